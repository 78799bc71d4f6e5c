import { describe, expect, it } from 'vitest';
import { interpolateRdBu, interpolateViridis } from 'd3';
import { heatScale, heatStats } from '../../src/lib/viz/heat-scale';

describe('heatStats', () => {
	it('summarises the finite values only', () => {
		expect(heatStats([1, -3, NaN, 5, Infinity, -Infinity])).toEqual({ min: -3, max: 5, mean: 1 });
	});

	it('gives 0, 0 and a NaN mean when no value is finite or there are none', () => {
		for (const values of [[], [NaN, Infinity], new Float32Array(0)]) {
			const stats = heatStats(values);
			expect(stats.min).toBe(0);
			expect(stats.max).toBe(0);
			expect(stats.mean).toBeNaN();
		}
	});

	it('reads typed arrays', () => {
		expect(heatStats(new Float32Array([0.5, 1.5]))).toEqual({ min: 0.5, max: 1.5, mean: 1 });
	});
});

describe('heatScale', () => {
	it('centres signed data on 0 with the diverging red-blue scale, symmetric about the larger side', () => {
		const scale = heatScale({ min: -1, max: 4, mean: 0 });
		expect(scale.domain()).toEqual([-4, 0, 4]);
		expect(scale(0)).toBe(interpolateRdBu(0.5));
		expect(scale(4)).toBe(interpolateRdBu(1));
	});

	it('spans one-signed data with viridis from min to max', () => {
		const scale = heatScale({ min: 0, max: 0.5, mean: 0.2 });
		expect(scale.domain()).toEqual([0, 0.5]);
		expect(scale(0)).toBe(interpolateViridis(0));
		expect(scale(0.5)).toBe(interpolateViridis(1));
	});

	it('widens a constant tensor by 1 each side so its one value has a colour', () => {
		expect(heatScale({ min: 2, max: 2, mean: 2 }).domain()).toEqual([1, 3]);
	});
});
