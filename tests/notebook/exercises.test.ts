import { describe, expect, test } from 'vitest';
import { tensor } from '$lib/engine';
import { allClose, argmax, expectTensor, row } from '$lib/notebook/exercises';

describe('expectTensor', () => {
	test('finds a tensor of the expected shape', () => {
		const w = tensor([[1, 2]]);
		expect(expectTensor({ w }, 'w', { shape: [1, 2] })).toEqual({ ok: true, tensor: w });
	});

	test.each([
		['missing', {}, 'No variable named `w` was defined. Declare it at the top level: `const w = …`.'],
		['undefined', { w: undefined }, 'No variable named `w` was defined. Declare it at the top level: `const w = …`.'],
		['a number', { w: 3 }, '`w` should be a Tensor, but it is a number.'],
		['null', { w: null }, '`w` should be a Tensor, but it is null.'],
		['an array', { w: [1, 2] }, '`w` should be a Tensor, but it is an array. Wrap it with `tensor(w)`.'],
		['the wrong shape', { w: tensor([1, 2, 3]) }, '`w` should have shape [1, 2], but it has shape [3].'],
		['NaN', { w: tensor([[1, NaN]]) }, '`w` holds NaN at flat index 1; every value should be a finite number.'],
		['Infinity', { w: tensor([[Infinity, 1]]) }, '`w` holds Infinity at flat index 0; every value should be a finite number.']
	])('fails with a clear message when the variable is %s', (_, scope, message) => {
		expect(expectTensor(scope, 'w', { shape: [1, 2] })).toEqual({ ok: false, result: { pass: false, message } });
	});
});

describe('check helpers', () => {
	test('argmax finds the first largest value', () => {
		expect(argmax([0.1, 0.7, 0.7, 0.2])).toBe(1);
	});

	test('row reads one row of a matrix', () => {
		expect(
			row(
				tensor([
					[1, 2],
					[3, 4]
				]),
				1
			)
		).toEqual([3, 4]);
	});

	test('allClose compares within a tolerance and rejects NaN and length mismatches', () => {
		expect(allClose([1, 2], [1 + 1e-6, 2])).toBe(true);
		expect(allClose([1, 2], [1.1, 2])).toBe(false);
		expect(allClose([NaN], [NaN])).toBe(false);
		expect(allClose([1], [1, 2])).toBe(false);
	});
});
