import { describe, expect, test } from 'vitest';
import { tensor } from '$lib/engine';
import { Linear } from '$lib/nn';
import { formatValue, plotOutput, valueOutput } from '$lib/notebook/kernel/format';

describe('formatValue', () => {
	test('prints values much as a browser console does', () => {
		expect(formatValue({ a: [1, 2], b: 'x', 'odd key': null })).toBe('{ a: [1, 2], b: \'x\', "odd key": null }');
		expect(formatValue(new Map([['k', 1]]))).toBe("Map(1) {'k' => 1}");
		expect(formatValue(new Set([1, 2]))).toBe('Set(2) {1, 2}');
		expect(formatValue(-0)).toBe('-0');
		expect(formatValue(function named() {})).toBe('[Function named]');
		expect(formatValue(class Model {})).toBe('[class Model]');
		expect(formatValue(new RangeError('bad'))).toBe('RangeError: bad');
	});

	test('long arrays and typed arrays stop after 100 items', () => {
		expect(formatValue(new Float32Array(1_000_000))).toMatch(/^Float32Array\(1000000\) \[0, 0, .*… 999900 more\]$/);
		expect(formatValue(Array.from({ length: 150 }, (_, i) => i))).toMatch(/, 99, … 50 more\]$/);
	});

	test('cycles and deep nesting print without recursing forever', () => {
		const loop: Record<string, unknown> = { name: 'loop' };
		loop.self = loop;
		expect(formatValue(loop)).toBe("{ name: 'loop', self: [Circular] }");
		expect(formatValue([[[[[1]]]]])).toBe('[[[[Array(1)]]]]');
	});

	test('modules and tensors print their own repr', () => {
		expect(formatValue(new Linear(4, 2))).toMatch(/^Linear\(/);
		expect(formatValue(tensor([1, 2]))).toBe('tensor([1,2], shape=[2])');
	});
});

describe('outputs', () => {
	test('undefined shows nothing, a tensor a heatmap, anything else text', () => {
		expect(valueOutput(undefined, '')).toBeNull();
		expect(valueOutput(tensor([[1]]), 'w')).toMatchObject({ kind: 'tensor', name: 'w', shape: [1, 1] });
		expect(valueOutput(null, '')).toEqual({ kind: 'text', stream: 'result', text: 'null' });
	});

	test('plot accepts arrays, 1-D tensors and named series, and explains bad input', () => {
		expect(plotOutput(tensor([1, 2]), { kind: 'bar' }).series).toEqual([{ name: '', x: [0, 1], y: [1, 2] }]);
		expect(plotOutput({ a: [1], b: [2] }, { x: [5] }).series.map((s) => [s.name, s.x])).toEqual([
			['a', [5]],
			['b', [5]]
		]);
		expect(() =>
			plotOutput(
				tensor([
					[1, 2],
					[3, 4]
				])
			)
		).toThrow(/should be 1-D/);
		expect(() => plotOutput([1, 2], { x: [1] })).toThrow(/options.x has 1 values but the data has 2/);
		expect(() => plotOutput(['a'] as unknown as number[])).toThrow(/array of numbers/);
	});
});
