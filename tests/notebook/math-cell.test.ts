import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { evaluateMathCell, parseMathCell } from '$lib/notebook/math/math-cell';

/** Each line's TeX without spaces, which mathjs scatters where they do not change the rendering. */
const texOf = (source: string, values: Record<string, number> = {}) =>
	evaluateMathCell(parseMathCell(source), values).map((r) => r.error ?? r.tex.replaceAll(' ', ''));

describe('parseMathCell', () => {
	test('reads a slider directive with its range and step', () => {
		const [line] = parseMathCell('a = 0.5  # slider -1..1 step 0.25');
		expect(line).toMatchObject({ kind: 'expr', slider: { name: 'a', initial: 0.5, min: -1, max: 1, step: 0.25 } });
	});

	test('picks a round default step and clamps the start into the range', () => {
		const [line] = parseMathCell('k = 9 # slider 0..3');
		expect(line).toMatchObject({ slider: { initial: 3, step: 0.02 } });
	});

	test('skips blank and comment lines and keeps source line numbers', () => {
		const lines = parseMathCell('# intro\n\nx = 1');
		expect(lines.map((l) => l.kind)).toEqual(['blank', 'blank', 'expr']);
		expect(lines[2].line).toBe(3);
	});

	test('a bad line or a bad slider becomes an error line, and the others still parse', () => {
		const lines = parseMathCell('a = (1\nb = 2  # slider 3..1\nc = 2');
		expect(lines.map((l) => l.kind)).toEqual(['error', 'error', 'expr']);
		expect(lines[1].kind === 'error' && lines[1].message).toMatch(/range must go up/);
	});
});

describe('evaluateMathCell', () => {
	test('evaluates lines in order with the slider values', () => {
		expect(texOf('a = 2  # slider 0..4\nb = a^2\nb + 1', { a: 3 })).toEqual(['a=3', 'b={a}^{2}=9', 'b+1=10']);
	});

	test('a slider missing from the values starts at its initial value', () => {
		expect(texOf('a = 2  # slider 0..4\na * 10')).toEqual(['a=2', 'a\\cdot10=20']);
	});

	test('functions are shown as TeX and can be called on later lines', () => {
		expect(texOf('f(x) = x^2 * sigmoid(x)\nf(0)')).toEqual([
			'f\\left(x\\right)={x}^{2}\\cdot\\sigma\\left(x\\right)',
			'f\\left(0\\right)=0'
		]);
	});

	test('derivative(f(x), x) is shown symbolically, and valued when x has a value', () => {
		const [, symbolic] = texOf('f(x) = x^3\nderivative(f(x), x)');
		expect(symbolic).toBe('\\frac{d}{dx}\\left[f\\left(x\\right)\\right]=3\\cdot{x}^{2}');
		const [, , valued] = texOf('f(x) = x^3\nx = 2  # slider 0..3\nderivative(f(x), x)');
		expect(valued).toMatch(/=12$/);
	});

	test('a derivative can define a new function', () => {
		expect(texOf('f(x) = x^2\ng(x) = derivative(f(x), x)\ng(5)')).toEqual([
			'f\\left(x\\right)={x}^{2}',
			'g\\left(x\\right)=2\\cdotx',
			'g\\left(5\\right)=10'
		]);
	});

	test('an undefined symbol is an error on its line only', () => {
		const results = evaluateMathCell(parseMathCell('y + 1\n2 * 3'));
		expect(results[0].error).toMatch(/Undefined symbol y/);
		expect(results[1]).toMatchObject({ tex: '2\\cdot3 = 6', error: null });
	});

	test('every line is TeX that KaTeX renders without an error', () => {
		const source = [
			'x = [1, 2, 3]',
			'L = sum(x .^ 2)',
			'dL_dx = 2 * x',
			'y = e .^ x / sum(e .^ x)',
			'f(t) = t * sigmoid(t) + relu(-t) / 2',
			'derivative(f(t), t)',
			'a = 0.5  # slider 0..1',
			'b = a * pi - 2a'
		].join('\n');
		for (const r of evaluateMathCell(parseMathCell(source))) {
			expect(r.error).toBeNull();
			expect(() => katex.renderToString(r.tex, { throwOnError: true }), r.tex).not.toThrow();
		}
	});
});
