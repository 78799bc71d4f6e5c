import { describe, expect, it } from 'vitest';
import { tensor } from '$lib/engine/index';
import { MetricsMean, RunningMean, accuracy } from '$lib/train/index';

describe('metrics', () => {
	it('accuracy counts rows whose argmax is the target, ties going to the lower class', () => {
		expect(
			accuracy(
				tensor([
					[2, 1],
					[0, 3],
					[1, 1]
				]),
				tensor([0, 0, 0])
			)
		).toBeCloseTo(2 / 3, 12);
		expect(() => accuracy(tensor([1, 2]), tensor([0]))).toThrow('accuracy: logits must be [N, C] and target [N], got [2] and [1]');
	});

	it('RunningMean weights each value, and is NaN when empty', () => {
		const m = new RunningMean();
		expect(m.mean).toBeNaN();
		m.add(1, 3);
		m.add(3, 1);
		expect(m.mean).toBe(1.5);
		expect(m.count).toBe(4);
	});

	it('MetricsMean averages each named metric on its own', () => {
		const m = new MetricsMean();
		m.add({ loss: 2, acc: 0 }, 1);
		m.add({ loss: 4, acc: 1 }, 3);
		expect(m.get()).toEqual({ loss: 3.5, acc: 0.75 });
	});
});
