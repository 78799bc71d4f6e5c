import { describe, expect, test } from 'vitest';
import { Rng, cat, tensor } from '$lib/engine/index';
import { Adam } from '$lib/optim/index';
import { Trainer } from '$lib/train/index';
import {
	AttentionTracker,
	FIRST_SCORED_FRAME,
	PoolingTracker,
	TrackingScores,
	attentionPeak,
	boxIoU,
	boxMask,
	cellCentres,
	centreDistance,
	iouTensor,
	pointInBox,
	precisionAt,
	successAuc,
	successCurve,
	trackingTask
} from '$lib/tasks/tracking/index';
import type { Box } from '$lib/tasks/video';

describe('box metrics', () => {
	test('IoU is 1 for identical boxes, 0 for disjoint or touching ones, and symmetric', () => {
		expect(boxIoU([2, 3, 8, 9], [2, 3, 8, 9])).toBe(1);
		expect(boxIoU([0, 0, 2, 2], [5, 5, 7, 7])).toBe(0);
		expect(boxIoU([0, 0, 2, 2], [2, 0, 4, 2])).toBe(0);
		expect(boxIoU([0, 0, 2, 2], [1, 0, 3, 2])).toBeCloseTo(1 / 3, 12);
		expect(boxIoU([1, 0, 3, 2], [0, 0, 2, 2])).toBe(boxIoU([0, 0, 2, 2], [1, 0, 3, 2]));
		expect(boxIoU([0, 0, 4, 4], [1, 1, 3, 3])).toBe(0.25);
	});

	test('IoU of two empty boxes is 0, not NaN', () => {
		expect(boxIoU([1, 1, 1, 1], [1, 1, 1, 1])).toBe(0);
	});

	test('centre distance is the Euclidean distance between box centres', () => {
		expect(centreDistance([0, 0, 2, 2], [3, 4, 5, 6])).toBe(5);
		expect(centreDistance([0, 0, 6, 6], [0, 0, 6, 6])).toBe(0);
	});

	test('success AUC is 1 for a perfect tracker, 0 for one that never overlaps, and 0.5 at IoU 0.5', () => {
		expect(successAuc([1, 1, 1])).toBe(1);
		expect(successAuc([0, 0])).toBe(0);
		expect(successAuc([0.5])).toBe(0.5);
		expect(successAuc([])).toBe(0);
	});

	test('the success curve counts IoU ≥ θ at θ = 1/n … 1 and never rises', () => {
		expect(successCurve([1, 0.5, 0], 4)).toEqual([2 / 3, 2 / 3, 1 / 3, 1 / 3]);
		const curve = successCurve([0.93, 0.1, 0.42, 0.66, 0.77, 0.05]);
		expect(curve).toHaveLength(20);
		for (let k = 1; k < curve.length; k++) expect(curve[k]).toBeLessThanOrEqual(curve[k - 1]);
	});

	test('precision is the share of centre errors within the radius, inclusive', () => {
		expect(precisionAt([0, 4, 5, 6], 5)).toBe(0.75);
		expect(precisionAt([])).toBe(0);
	});

	test('the attention peak is the centre of the largest cell, in frame pixels', () => {
		expect(attentionPeak([0, 0.1, 0.9, 0], 0, 2, 2, 16, 16)).toEqual([4, 12]);
		const map = new Float32Array(2 * 64);
		map[64 + 8 * 3 + 5] = 1;
		expect(attentionPeak(map, 64, 8, 8, 16, 16)).toEqual([11, 7]);
	});

	test('a box holds points on its left and top edges but not its right and bottom ones', () => {
		const box: Box = [2, 2, 8, 8];
		expect(pointInBox(2, 2, box)).toBe(true);
		expect(pointInBox(7.9, 5, box)).toBe(true);
		expect(pointInBox(8, 5, box)).toBe(false);
		expect(pointInBox(5, 8, box)).toBe(false);
	});
});

describe('TrackingScores', () => {
	// Two clips of three frames on a 16×16 frame; boxes as fractions.
	const truth = tensor(
		[
			[
				[0, 0, 0.375, 0.375],
				[0.25, 0.25, 0.625, 0.625],
				[0.5, 0.5, 0.875, 0.875]
			],
			[
				[0.5, 0, 0.875, 0.375],
				[0.5, 0.125, 0.875, 0.5],
				[0.5, 0.25, 0.875, 0.625]
			]
		],
		{}
	);
	/** Attention `[2, 3, 8, 8]` with all its weight on the cell holding pixel (x, y) of each truth box's centre. */
	const peakedAttention = (shift: number) => {
		const data = new Float32Array(2 * 3 * 64);
		for (let i = 0; i < 6; i++) {
			const [x0, y0, x1, y1] = truth.data.subarray(4 * i, 4 * i + 4);
			const col = Math.min(7, Math.floor(((x0 + x1) / 2) * 8) + shift);
			data[i * 64 + Math.floor(((y0 + y1) / 2) * 8) * 8 + col] = 1;
		}
		return tensor(data, { shape: [2, 3, 8, 8] });
	};

	test('score a perfect tracker 1 on every metric', () => {
		const scores = new TrackingScores(16, 16);
		scores.add(truth, truth, peakedAttention(0));
		expect(scores.summary()).toEqual({ meanIoU: 1, successAUC: 1, precision: 1, peakInBox: 1 });
	});

	test('skip the frames before FIRST_SCORED_FRAME, where the tracker was given the box', () => {
		const pred = truth.clone();
		for (let b = 0; b < 2; b++) pred.data.set([0.9, 0.9, 1, 1], (b * 3 + FIRST_SCORED_FRAME - 1) * 4);
		const scores = new TrackingScores(16, 16);
		scores.add(pred, truth, null);
		expect(scores.summary()).toEqual({ meanIoU: 1, successAUC: 1, precision: 1 });
	});

	test('measure a one-pixel shift in pixels of the frame, and an attention peak outside the box', () => {
		const pred = truth.add(tensor([1 / 16, 0, 1 / 16, 0]));
		const scores = new TrackingScores(16, 16);
		scores.add(pred, truth, peakedAttention(4));
		const m = scores.summary();
		expect(m.meanIoU).toBeCloseTo(30 / 42, 5);
		expect(m.precision).toBe(1);
		expect(m.peakInBox).toBe(0);
	});
});

describe('differentiable box ops', () => {
	test('iouTensor agrees with boxIoU on random boxes, including disjoint ones', () => {
		const rng = new Rng(3);
		const boxes = Array.from({ length: 64 }, () => {
			const [x, y] = [rng.uniform() * 12, rng.uniform() * 12];
			return [x, y, x + 1 + rng.uniform() * 4, y + 1 + rng.uniform() * 4];
		});
		const [a, b] = [boxes.slice(0, 32), boxes.slice(32)];
		const expected = a.map((box, i) => boxIoU(box as unknown as Box, b[i] as unknown as Box));
		expect(iouTensor(tensor(a), tensor(b))).toBeAllclose(expected, { atol: 1e-5 });
	});

	test('boxMask weighs the cells a box covers by their overlap and sums to 1', () => {
		expect(boxMask(tensor([[0, 0, 0.5, 0.5]]), 2, 2)).toBeAllclose([[1, 0, 0, 0]]);
		expect(boxMask(tensor([[0.25, 0, 0.75, 0.5]]), 2, 2)).toBeAllclose([[0.5, 0.5, 0, 0]]);
		expect(boxMask(tensor([[0.1, 0.2, 0.7, 0.9]]), 8, 8).sum()).toBeAllclose(1, { atol: 1e-6 });
	});

	test('cellCentres lists each cell’s centre as fractions, row-major', () => {
		expect(cellCentres(2, 2)).toBeAllclose([
			[0.25, 0.25],
			[0.75, 0.25],
			[0.25, 0.75],
			[0.75, 0.75]
		]);
	});
});

describe('tracking models', () => {
	const data = trackingTask.makeData({ seed: 0, trainSize: 8, valSize: 8 });
	const batch = data.train.getBatch([0, 1, 2]);

	test('the attention tracker returns boxes [B, T, 4] and an attention map per frame that sums to 1', () => {
		const model = trackingTask.makeModel('attention', { rng: new Rng(0) }) as AttentionTracker;
		const { boxes, weights } = model.forward(batch.clips, batch.boxes.select(1, 0));
		expect(boxes.shape).toEqual([3, 8, 4]);
		expect(weights!.shape).toEqual([3, 8, 8, 8]);
		expect(weights!.sum([2, 3])).toBeAllclose(1, { atol: 1e-5 });
	});

	test('the attention tracker’s box centre is the attention-weighted mean of cell centres', () => {
		const model = new AttentionTracker({ rng: new Rng(1) });
		const { boxes, weights } = model.forward(batch.clips, batch.boxes.select(1, 0));
		const centre = weights!.reshape([24, 64]).matmul(cellCentres(8, 8));
		const predicted = boxes.reshape([24, 4]);
		expect(
			predicted
				.slice(1, 0, 2)
				.add(predicted.slice(1, 2, 4))
				.mul(0.5)
		).toBeAllclose(centre, { atol: 1e-6 });
	});

	test('the baseline returns boxes but no attention', () => {
		const model = trackingTask.makeModel('baseline', { rng: new Rng(0) });
		expect(model).toBeInstanceOf(PoolingTracker);
		expect((model as PoolingTracker).forward(batch.clips, batch.boxes.select(1, 0)).boxes.shape).toEqual([3, 8, 4]);
		expect(trackingTask.attention(model, batch)).toBeNull();
	});

	test('the task exposes attention as positions [B, T, h, w] with the feature map size', () => {
		const model = trackingTask.makeModel('attention', { rng: new Rng(0), channels: 4 });
		const maps = trackingTask.attention(model, batch);
		expect(maps?.kind).toBe('positions');
		if (maps?.kind !== 'positions') return;
		expect(maps.featureSize).toEqual([8, 8]);
		expect(maps.weights.shape).toEqual([3, 8, 8, 8]);
	});

	test('makeData rejects clips too short to track, since frame 0 only shows the target', () => {
		expect(() => trackingTask.makeData({ seed: 0, frames: 1 })).toThrow(/more than 1 frame/);
	});

	test('makeModel rejects an unknown variant, naming the known ones', () => {
		expect(() => trackingTask.makeModel('transformer', { rng: new Rng(0) })).toThrow(/attention, baseline/);
	});

	test('loss is a finite scalar with the batch IoU, and evaluate reports every metric', () => {
		const model = trackingTask.makeModel('attention', { rng: new Rng(0) });
		const { loss, metrics } = trackingTask.loss(model, batch);
		expect(loss.shape).toEqual([]);
		expect(Number.isFinite(loss.item())).toBe(true);
		expect(metrics?.meanIoU).toBeGreaterThanOrEqual(0);
		expect(Object.keys(trackingTask.evaluate(model, data.val)).sort()).toEqual(['loss', 'meanIoU', 'peakInBox', 'precision', 'successAUC']);
	});
});

describe('training the attention tracker', () => {
	test('lifts validation mean IoU well above its start and the centred-box guess within seconds', () => {
		// Measured over seeds 0–3: 0.24–0.28 before, 0.84–0.86 after 80 steps (about 4 s of CPU), centred box 0.20–0.27.
		const { train, val } = trackingTask.makeData({ seed: 0, trainSize: 128, valSize: 32, frames: 4 });
		const model = trackingTask.makeModel('attention', { rng: new Rng(0), channels: 8 });
		const before = trackingTask.evaluate(model, val).meanIoU;
		const truth = val.getBatch(Array.from({ length: val.size }, (_, i) => i)).boxes;
		const centred = new TrackingScores(16, 16);
		// The trivial tracker: the true box moved to the frame's centre (it knows the size, not where).
		const offset = truth
			.slice(-1, 0, 2)
			.add(truth.slice(-1, 2, 4))
			.mul(0.5)
			.sub(0.5);
		centred.add(truth.sub(cat([offset, offset], -1)), truth, null);
		const trainer = new Trainer({
			model,
			optimizer: new Adam(model.parameters(), { lr: 0.01 }),
			lossFn: trackingTask.loss,
			data: train,
			batchSize: 8,
			epochs: 5,
			seed: 0
		});
		trainer.trainSteps(80);
		const after = trackingTask.evaluate(model.eval(), val);
		expect(after.meanIoU).toBeGreaterThan(before + 0.35);
		expect(after.meanIoU).toBeGreaterThan(centred.summary().meanIoU + 0.35);
		expect(after.peakInBox).toBeGreaterThan(0.8);
	}, 120_000);
});
