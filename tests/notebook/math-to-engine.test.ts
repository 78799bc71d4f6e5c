import { describe, expect, test } from 'vitest';
import { tensor } from '$lib/engine';
import { differentiate, math } from '$lib/notebook/math/mathjs';
import { compareDerivatives, toEngine, UnsupportedError } from '$lib/notebook/math/to-engine';

const at = (expr: string, xs: number[]) => Array.from(toEngine(math.parse(expr), 'x')(tensor(xs)).data);

describe('toEngine', () => {
	test('computes the same values as mathjs for every supported function and operator', () => {
		const xs = [0.3, 0.7, 1.5, 2.2];
		for (const expr of [
			'x * sigmoid(x)',
			'tanh(x) + relu(x - 1)',
			'exp(-x^2 / 2)',
			'log(x) / sqrt(x)',
			'abs(x - 1) ^ 3',
			'2x - 1/x',
			'e^x + pi',
			'max(x - 1, 0) + max(0, 1 - x)',
			'square(x) * -x + +x'
		]) {
			const want = xs.map((x) => math.evaluate(expr, { x }) as number);
			expect(at(expr, xs), expr).toBeAllclose(want, { rtol: 1e-5, atol: 1e-6 });
		}
	});

	test('a constant f gives one value per point and a zero gradient', () => {
		const x = tensor([1, 2, 3], { requiresGrad: true });
		const y = toEngine(math.parse('2 ^ 3'), 'x')(x);
		expect(Array.from(y.data)).toEqual([8, 8, 8]);
		y.sum().backward();
		expect(Array.from(x.grad!.data)).toEqual([0, 0, 0]);
	});

	test('keeps the dtype of its input, so finite differences can run in float64', () => {
		expect(toEngine(math.parse('1 + x * 2'), 'x')(tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
	});

	test('names the function the engine lacks and lists what it has', () => {
		expect(() => toEngine(math.parse('sin(x)'), 'x')).toThrow(UnsupportedError);
		expect(() => toEngine(math.parse('sin(x)'), 'x')).toThrow(/sin\(\) has no engine op.*exp, log, sqrt, abs, tanh, sigmoid, relu/);
		expect(() => toEngine(math.parse('x * a'), 'x')).toThrow(/Unknown symbol "a"/);
		expect(() => toEngine(math.parse('x mod 2'), 'x')).toThrow(/operator "mod"/);
		expect(() => toEngine(math.parse('max(x, 1)'), 'x')).toThrow(/max\(\) has no engine op/);
	});
});

describe('differentiate', () => {
	test('differentiates through sigmoid and relu, which mathjs alone cannot', () => {
		const d = differentiate(math.parse('x * sigmoid(x)'), 'x');
		const s = (x: number) => 1 / (1 + Math.exp(-x));
		expect(d.evaluate({ x: 0.5 })).toBeCloseTo(s(0.5) + 0.5 * s(0.5) * (1 - s(0.5)), 12);
		expect(differentiate(math.parse('relu(x)'), 'x').evaluate({ x: -2 })).toBe(0);
		expect(differentiate(math.parse('relu(x)'), 'x').evaluate({ x: 3 })).toBe(1);
	});
});

describe('compareDerivatives', () => {
	test('symbolic, autograd and finite differences agree for x·sigmoid(x)', () => {
		const c = compareDerivatives('x * sigmoid(x)');
		expect(c.rows).toHaveLength(9);
		expect(c.agree).toBe(true);
		expect(c.maxAutogradDiff).toBeLessThan(1e-5);
		expect(c.maxFiniteDiffDiff).toBeLessThan(1e-7);
		expect(c.fTex.replaceAll(' ', '')).toBe('f(x)=x\\cdot\\sigma\\left(x\\right)');
		expect(c.dfTex).toMatch(/^f'\(x\) = \\frac/);
	});

	test('agree for every supported activation', () => {
		for (const expr of ['tanh(x)', 'relu(x)', 'x^3 - 2x', 'exp(x) / (1 + exp(x))', 'abs(x)', 'sqrt(x^2 + 1)', 'log(1 + exp(x))']) {
			expect(compareDerivatives(expr).agree, expr).toBe(true);
		}
	});

	test('rows outside the real domain of f are left out of the verdict', () => {
		const c = compareDerivatives('log(x)');
		expect(c.rows.filter((r) => !r.defined).map((r) => r.x)).toEqual([-1.9, -1.4, -0.9, -0.4]);
		expect(c.agree).toBe(true);
	});

	test('a parse error or an unsupported function throws', () => {
		expect(() => compareDerivatives('x *')).toThrow();
		expect(() => compareDerivatives('cos(x)')).toThrow(UnsupportedError);
	});
});
