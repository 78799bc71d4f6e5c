import { describe, expect, it } from 'vitest';
import { Curves, SMOOTHING, eta, formatDuration } from '$lib/widgets/trainer/curves';

import type { StepPoint } from '$lib/parallel/train-protocol';

const point = (step: number, loss: number, accuracy?: number): StepPoint => ({
	step,
	epoch: 1,
	loss,
	metrics: accuracy === undefined ? {} : { accuracy }
});

describe('Curves', () => {
	it('holds each step once, in order, and smooths from the first value', () => {
		const c = new Curves('accuracy');
		c.add([point(1, 2, 0), point(2, 1, 0.5)]);
		c.add([point(2, 9), point(3, 1, 1)]);
		const [train, smoothed, val] = c.lossSeries();
		expect(train).toEqual({ name: 'train', x: [1, 2, 3], y: [2, 1, 1] });
		expect(smoothed.y[0]).toBeCloseTo(2, 12);
		const b = SMOOTHING;
		expect(smoothed.y[1]).toBeCloseTo(((1 - b) * (b * 2 + 1)) / (1 - b ** 2), 12);
		expect(val).toEqual({ name: 'validation', x: [], y: [] });
		expect(c.metricSeries()[0].y).toEqual([0, 0.5, 1]);
		expect(c.metricSeries()[1].y[0]).toBe(0);
	});

	it('puts validation at the step its epoch ended, replacing a repeated epoch', () => {
		const c = new Curves('accuracy');
		c.addEpoch(1, 8, { loss: 1.2, accuracy: 0.4 });
		c.addEpoch(2, 16, { loss: 0.9, accuracy: 0.7 });
		c.addEpoch(2, 16, { loss: 0.8, accuracy: 0.75 });
		c.addEpoch(3, 24, null);
		expect(c.lossSeries()[2]).toEqual({ name: 'validation', x: [8, 16], y: [1.2, 0.8] });
		expect(c.metricSeries()[2].y).toEqual([0.4, 0.75]);
	});

	it('truncates to a step so a replay appends where it starts, with the same smoothing as before', () => {
		const c = new Curves('accuracy');
		const points = [1, 2, 3, 4, 5, 6].map((s) => point(s, 1 / s, s / 10));
		c.add(points);
		c.addEpoch(1, 3, { loss: 0.5 });
		c.addEpoch(2, 6, { loss: 0.2 });
		const before = c.lossSeries();
		c.truncate(3);
		expect(c.length).toBe(3);
		expect(c.lossSeries()[2].x).toEqual([3]);
		c.add(points.slice(3));
		c.addEpoch(2, 6, { loss: 0.2 });
		expect(c.lossSeries()).toEqual(before);
		c.clear();
		expect(c.length).toBe(0);
		expect(c.smoothedLoss).toBeNaN();
	});

	it('charts validation under the first name the report has: the full evaluation (psnr1) or the loss metric (psnr)', () => {
		const c = new Curves('psnr', ['psnr1', 'psnr']);
		c.add([{ step: 1, epoch: 1, loss: 1, metrics: { psnr: 12 } }]);
		c.addEpoch(1, 1, { loss: 1, psnr1: 14, psnr: 13 });
		c.addEpoch(2, 2, { loss: 1, psnr: 15 });
		c.addEpoch(3, 3, { loss: 1 });
		expect(c.metricSeries()[0].y).toEqual([12]);
		expect(c.metricSeries()[2]).toEqual({ name: 'validation', x: [1, 2], y: [14, 15] });
	});

	it('leaves a task without the metric as gaps rather than zeros', () => {
		const c = new Curves('iou');
		c.add([point(1, 1), point(2, 1)]);
		expect(c.metricSeries()[0].y).toEqual([NaN, NaN]);
		expect(c.metricSeries()[1].y).toEqual([NaN, NaN]);
	});
});

describe('eta and formatDuration', () => {
	it('gives the time left at the current rate, and a dash when it is unknown', () => {
		expect(eta(40, 100, 6)).toBe(10);
		expect(eta(0, 100, 0)).toBeNaN();
		expect(formatDuration(42.4)).toBe('42 s');
		expect(formatDuration(185)).toBe('3 min 05 s');
		expect(formatDuration(3720)).toBe('1 h 02 min');
		expect(formatDuration(NaN)).toBe('—');
	});
});
