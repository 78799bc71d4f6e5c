import { ValueError, noGrad, smoothL1Loss, type Tensor } from '../../engine/index';
import type { Module } from '../../nn/index';
import type { Metrics } from '../../train/metrics';
import type { Dataset, StepOutput } from '../../train/trainer';
import type { AttentionMaps, TaskDefinition } from '../task';
import { makeTrackingDataset, resolveTrackingOptions, type TrackingBatch, type TrackingOptions } from '../video/tracking';
import { iouTensor } from './box-ops';
import { AttentionTracker, DEFAULT_CHANNELS, DEFAULT_HIDDEN, PoolingTracker, Tracker, type TrackerOutput } from './models';
import { FIRST_SCORED_FRAME, TrackingScores } from './scores';

export type TrackingVariant = 'attention' | 'baseline';
export type TrackingDataOptions = Omit<TrackingOptions, 'seed'>;
export interface TrackingModelOptions {
	channels: number;
	hidden: number;
}

/**
 * Smooth L1's switch from quadratic to linear, in fractions of the frame: 1/16 is one pixel of a
 * 16-pixel frame. PyTorch's default of 1 would keep every error (all below 1 on this scale) in
 * the quadratic zone, whose gradient vanishes just as the box gets close.
 */
const SMOOTH_L1_BETA = 1 / 16;

/** Examples per batch when evaluating: big enough to amortise per-op overhead, small enough to stay light on memory. */
const EVAL_BATCH = 64;

const VARIANTS = ['attention', 'baseline'] as const satisfies readonly TrackingVariant[];

function asTracker(model: Module): Tracker {
	if (!(model instanceof Tracker))
		throw new ValueError(`tracking: expected a model from trackingTask.makeModel, got ${model.constructor.name}`);
	return model;
}

function run(model: Module, batch: TrackingBatch): TrackerOutput {
	return asTracker(model).forward(batch.clips, batch.boxes.select(1, 0));
}

/**
 * The loss over every frame: smooth L1 on the box coordinates, which pulls in even a box that
 * misses the target entirely, plus 1 − IoU, which weighs an error by how much of the box it costs.
 * `meanIoU` is over the scored frames only, as in `evaluate`.
 *
 * Shape: pred and truth `[B, T, 4]`.
 */
function boxLoss(pred: Tensor, truth: Tensor): { loss: Tensor; meanIoU: number } {
	const iou = iouTensor(pred, truth);
	const loss = smoothL1Loss(pred, truth, { beta: SMOOTH_L1_BETA }).add(iou.neg().add(1).mean());
	return { loss, meanIoU: iou.slice(1, FIRST_SCORED_FRAME).mean().item() };
}

function evaluate(model: Module, data: Dataset<TrackingBatch>): Metrics {
	if (data.size === 0) throw new ValueError('tracking.evaluate: the split is empty');
	let scores: TrackingScores | null = null;
	let lossSum = 0;
	noGrad(() => {
		for (let start = 0; start < data.size; start += EVAL_BATCH) {
			const indices = Array.from({ length: Math.min(EVAL_BATCH, data.size - start) }, (_, i) => start + i);
			const batch = data.getBatch(indices);
			const { boxes, weights } = run(model, batch);
			scores ??= new TrackingScores(batch.clips.shape[2], batch.clips.shape[3]);
			scores.add(boxes, batch.boxes, weights);
			lossSum += boxLoss(boxes, batch.boxes).loss.item() * indices.length;
		}
	});
	return { loss: lossSum / data.size, ...scores!.summary() };
}

/**
 * Single-object tracking on synthetic clips: follow a hollow ring among filled discs of the same
 * brightness, given its box in the first frame. The attention variant localises with a spatial
 * attention map (see `AttentionTracker`); the baseline averages the whole frame instead.
 *
 * Metrics (frames after the first; see `TrackingScores`): `meanIoU` (the headline), `successAUC`,
 * `precision` (centre within 5 px) and, for attention, `peakInBox`.
 *
 * @example
 * const { train, val } = trackingTask.makeData({ seed: 0 });
 * const model = trackingTask.makeModel('attention', { rng: new Rng(0) });
 * const { loss } = trackingTask.loss(model, train.getBatch([0, 1, 2, 3]));
 */
export const trackingTask: TaskDefinition<TrackingBatch, TrackingDataOptions, TrackingModelOptions> = {
	name: 'tracking',
	variants: VARIANTS,
	defaults: {
		data: { trainSize: 512, valSize: 128 },
		model: { channels: DEFAULT_CHANNELS, hidden: DEFAULT_HIDDEN },
		train: { epochs: 8, batchSize: 16, lr: 1e-2, weightDecay: 0, seed: 0 }
	},

	makeData(opts) {
		const options = { ...trackingTask.defaults.data, ...opts };
		const { frames } = resolveTrackingOptions(options);
		if (frames <= FIRST_SCORED_FRAME) {
			throw new ValueError(
				`tracking: clips need more than ${FIRST_SCORED_FRAME} frame(s): the first shows the target, the rest are tracked; got ${frames}`
			);
		}
		const { train, val } = makeTrackingDataset(options);
		return { train, val };
	},

	makeModel(variant, opts) {
		const { rng, ...rest } = opts;
		const options = { ...trackingTask.defaults.model, ...rest, rng };
		if (variant === 'attention') return new AttentionTracker(options);
		if (variant === 'baseline') return new PoolingTracker(options);
		throw new ValueError(`tracking: unknown variant '${variant}'; known variants are ${VARIANTS.join(', ')}`);
	},

	loss(model, batch): StepOutput {
		const { boxes } = run(model, batch);
		const { loss, meanIoU } = boxLoss(boxes, batch.boxes);
		return { loss, metrics: { meanIoU } };
	},

	evaluate,

	headline: { metric: 'meanIoU', higherIsBetter: true },

	attention(model, batch): AttentionMaps | null {
		const { weights } = noGrad(() => run(model, batch));
		if (!weights) return null;
		const [, , h, w] = weights.shape;
		return { kind: 'positions', weights, featureSize: [h, w] };
	}
};
