/**
 * What the lesson views draw for one preview clip: the clip itself and, per task, what the model
 * made of it (class probabilities and frame weights, boxes and spatial attention, predicted frames
 * and the causal attention matrix), as plain typed arrays. Runs the task's own `attention()` and
 * the model's forward pass without gradients, in eval mode. UI-free.
 *
 * @example
 * const lab = { config: defaultConfig('tracking'), model: buildModel(config), data: buildPreviewData(config) };
 * const p = computePreview(lab.config, lab.model, lab.data, 0);
 * if (p.task === 'tracking') p.attention; // Float32Array [T·h·w], or null for the baseline
 */
import { ValueError, noGrad, type Tensor } from '../engine/index';
import type { Module } from '../nn/module';
import { tasks } from '../tasks/index';
import { asPredictor, rollout } from '../tasks/generation/index';
import type { Tracker } from '../tasks/tracking/index';
import type { FrameClassifier, ArticleClassifierOutput } from '../tasks/classification/index';
import type { ClassificationBatch, GenerationBatch, TrackingBatch } from '../tasks/video/index';
import type { Dataset } from '../train/trainer';
import type { LabConfig } from './config';

/** One clip, `[T, H, W]` row-major, values nominally in [0, 1] (noise may stray outside). */
export interface ClipData {
	frames: number;
	height: number;
	width: number;
	data: Float32Array;
}

/** What a frame is for in its task: a key frame (classification), context or a frame to predict (generation). */
export type FrameRole = 'key' | 'plain' | 'context' | 'target';

export interface ClipPreview {
	clip: ClipData;
	/** One role per frame. */
	roles: FrameRole[];
}

export interface ClassificationPreview extends ClipPreview {
	task: 'classification';
	variant: string;
	label: number;
	classNames: string[];
	/** Softmax of the logits, `[numClasses]`. */
	probs: Float32Array;
	predicted: number;
	/** Indices of the frames where the shape shows. */
	keyFrames: number[];
	/** How much each frame counted, `[T]`, summing to 1. */
	frameWeights: Float32Array;
	/** The article variant's softmax over time per feature, `[T, dim]` row-major (each column sums to 1); null for the others. */
	featureWeights: Float32Array | null;
	dim: number;
}

export interface TrackingPreview extends ClipPreview {
	task: 'tracking';
	variant: string;
	/** `[T, 4]`: x0, y0, x1, y1 as fractions of the frame. */
	trueBoxes: Float32Array;
	predBoxes: Float32Array;
	/** Attention over the feature map of every frame, `[T, h, w]`; null for a model without attention. */
	attention: Float32Array | null;
	featureSize: [number, number];
}

export interface GenerationPreview extends ClipPreview {
	task: 'generation';
	variant: string;
	/** Frames 0…contextFrames−1 are given; the rest are to predict. */
	contextFrames: number;
	horizon: number;
	/** Teacher-forced predictions `[T − 1, H, W]`: row t is frame t + 1 predicted from the true frames 0…t. */
	teacherForced: Float32Array;
	/** Frames contextFrames…T−1 generated from the context alone, each fed back, `[horizon, H, W]`. */
	rollout: Float32Array;
	/** The last layer's causal attention over the context, `[heads, Tc, Tc]`: query rows, key columns; null without attention. */
	attention: Float32Array | null;
	heads: number;
}

export type Preview = ClassificationPreview | TrackingPreview | GenerationPreview;

/** `index` if it names one of the dataset's clips, else a ValueError saying which indices there are. */
export function checkExample(index: number, size: number): number {
	if (!Number.isInteger(index) || index < 0 || index >= size) {
		throw new ValueError(`preview: clip ${index} does not exist; there are ${size} preview clips (0 to ${size - 1})`);
	}
	return index;
}

/** The nearest valid clip index (0 for anything unreadable). */
export function clampExample(index: number, size: number): number {
	if (!Number.isFinite(index) || size < 1) return 0;
	return Math.min(size - 1, Math.max(0, Math.round(index)));
}

const copy = (t: Tensor): Float32Array => Float32Array.from(t.data);

function clipOf(clips: Tensor): ClipData {
	const [, frames, height, width] = clips.shape;
	return { frames, height, width, data: copy(clips) };
}

function batchOf<B>(data: Dataset<unknown>, example: number): B {
	return data.getBatch([checkExample(example, data.size)]) as B;
}

/** Run `fn` without gradients with the model in eval mode, then put its mode back. */
function inEval<T>(model: Module, fn: () => T): T {
	const wasTraining = model.training;
	model.eval();
	try {
		return noGrad(fn);
	} finally {
		model.train(wasTraining);
	}
}

/**
 * The clip alone and each frame's role, without running the model: what the frame player needs.
 *
 * @example
 * computeClip(config, lab.data, 3).clip.frames; // 16
 */
export function computeClip(config: LabConfig, data: Dataset<unknown>, example: number): ClipPreview {
	if (config.task === 'classification') {
		const batch = batchOf<ClassificationBatch>(data, example);
		return { clip: clipOf(batch.clips), roles: Array.from(batch.keyFrames.data, (k) => (k > 0 ? 'key' : 'plain')) };
	}
	if (config.task === 'tracking') {
		const batch = batchOf<TrackingBatch>(data, example);
		return { clip: clipOf(batch.clips), roles: Array.from({ length: batch.clips.shape[1] }, () => 'plain') };
	}
	const batch = batchOf<GenerationBatch>(data, example);
	const [T, Tc] = [batch.clips.shape[1], batch.context.shape[1]];
	return { clip: clipOf(batch.clips), roles: Array.from({ length: T }, (_, t) => (t < Tc ? 'context' : 'target')) };
}

function classification(config: LabConfig, model: Module, data: Dataset<unknown>, example: number): ClassificationPreview {
	const batch = batchOf<ClassificationBatch>(data, example);
	const out = inEval(model, () => (model as FrameClassifier).forward(batch.clips)) as Partial<ArticleClassifierOutput>;
	const maps = inEval(model, () => tasks.classification.attention(model, batch));
	const probs = copy(noGrad(() => out.logits!.softmax(-1)));
	const keyFrames = [...batch.keyFrames.data].flatMap((k, t) => (k > 0 ? [t] : []));
	const frameWeights = copy(maps!.weights);
	const feature = out.featureWeights;
	return {
		task: 'classification',
		variant: config.variant,
		clip: clipOf(batch.clips),
		roles: [...frameWeights].map((_, t) => (keyFrames.includes(t) ? 'key' : 'plain')),
		label: batch.labels.data[0],
		classNames: [...tasks.classification.defaults.data.shapes],
		probs,
		predicted: probs.indexOf(Math.max(...probs)),
		keyFrames,
		frameWeights,
		featureWeights: feature ? copy(feature) : null,
		dim: feature ? feature.shape[2] : 0
	};
}

function tracking(config: LabConfig, model: Module, data: Dataset<unknown>, example: number): TrackingPreview {
	const batch = batchOf<TrackingBatch>(data, example);
	const out = inEval(model, () => (model as Tracker).forward(batch.clips, batch.boxes.select(1, 0)));
	const maps = inEval(model, () => tasks.tracking.attention(model, batch));
	const positions = maps?.kind === 'positions' ? maps : null;
	const T = batch.clips.shape[1];
	return {
		task: 'tracking',
		variant: config.variant,
		clip: clipOf(batch.clips),
		roles: Array.from({ length: T }, () => 'plain'),
		trueBoxes: copy(batch.boxes),
		predBoxes: copy(out.boxes),
		attention: positions ? copy(positions.weights) : null,
		featureSize: positions ? positions.featureSize : [0, 0]
	};
}

function generation(config: LabConfig, model: Module, data: Dataset<unknown>, example: number): GenerationPreview {
	const batch = batchOf<GenerationBatch>(data, example);
	const predictor = asPredictor(model);
	const [T, Tc] = [batch.clips.shape[1], batch.context.shape[1]];
	const teacherForced = inEval(model, () => predictor.forward(batch.clips.slice(1, 0, T - 1)).predictions);
	const generated = inEval(model, () => rollout(predictor, batch.context, T - Tc));
	const maps = inEval(model, () => tasks.generation.attention(model, batch));
	const causal = maps?.kind === 'causal' ? maps : null;
	return {
		task: 'generation',
		variant: config.variant,
		clip: clipOf(batch.clips),
		roles: Array.from({ length: T }, (_, t) => (t < Tc ? 'context' : 'target')),
		contextFrames: Tc,
		horizon: T - Tc,
		teacherForced: copy(teacherForced),
		rollout: copy(generated),
		attention: causal ? copy(causal.weights) : null,
		heads: causal ? causal.heads : 0
	};
}

/**
 * Everything the attention views draw for preview clip `example` of `data`, computed with `model`
 * as `config` built it. Throws a ValueError naming the valid range for a clip that does not exist.
 *
 * @example
 * const p = computePreview(config, model, data, 0);
 * if (p.task === 'generation') p.attention; // [heads·Tc·Tc], query-major
 */
export function computePreview(config: LabConfig, model: Module, data: Dataset<unknown>, example: number): Preview {
	checkExample(example, data.size);
	if (config.task === 'classification') return classification(config, model, data, example);
	if (config.task === 'tracking') return tracking(config, model, data, example);
	return generation(config, model, data, example);
}
