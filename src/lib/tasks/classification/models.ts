import { full, noGrad, type Tensor } from '../../engine/index';
import { AttentionModule, AttentionPooling, Linear, Module } from '../../nn/index';
import type { TorchClass } from '../../train/export/index';
import { FrameEncoder, type FrameEncoderOptions } from './frame-encoder';
import { ARTICLE_CLASSIFIER_PY, ATTENTION_CLASSIFIER_PY, MEAN_POOL_CLASSIFIER_PY } from './python';

/**
 * The three classifiers share everything but how they pool a clip's frames into one vector:
 * the same per-frame encoder before, the same linear classifier after. So any difference in
 * what they learn comes from the pooling alone.
 */
export interface ClassifierOptions extends FrameEncoderOptions {
	/** Classes to tell apart (the dataset's shapes). */
	numClasses?: number;
}

export const DEFAULT_NUM_CLASSES = 4;

/** What every classifier returns for a batch of clips. */
export interface ClassifierOutput {
	/** Class scores before softmax, `[B, numClasses]`. */
	logits: Tensor;
	/** How much each frame counted in the pooled vector, `[B, T]`; every row sums to 1. */
	weights: Tensor;
}

/** The article variant's output, with its attention kept per feature as well. */
export interface ArticleClassifierOutput extends ClassifierOutput {
	/** The softmax weights as the article's module computes them, one distribution over time per feature, `[B, T, dim]`. */
	featureWeights: Tensor;
}

/** Every variant: a module from clips to logits and the frames' weights. */
export type FrameClassifier = Module & { forward(clips: Tensor): ClassifierOutput };

/**
 * Temporal attention pooling, the working design: each frame's features get one score, a
 * softmax over time turns the scores into weights, and the clip is the weighted average of its
 * frames. A clip whose class shows in one frame can put nearly all its weight on that frame.
 *
 * Shape:
 * - input clips `[B, T, H, W]`
 * - logits `[B, numClasses]`, weights `[B, T]`
 *
 * @example
 * const model = new AttentionClassifier({ numClasses: 4, rng: new Rng(0) });
 * const { logits, weights } = model.forward(clips); // [B, 4], [B, T]
 */
export class AttentionClassifier extends Module {
	readonly numClasses: number;
	encoder: FrameEncoder;
	pool: AttentionPooling;
	fc: Linear;

	constructor(opts: ClassifierOptions = {}) {
		super();
		this.numClasses = opts.numClasses ?? DEFAULT_NUM_CLASSES;
		this.encoder = new FrameEncoder(opts);
		this.pool = new AttentionPooling(this.encoder.dim, { rng: opts.rng });
		this.fc = new Linear(this.encoder.dim, this.numClasses, { rng: opts.rng });
	}

	forward(clips: Tensor): ClassifierOutput {
		const { pooled, weights } = this.pool.forward(this.encoder.forward(clips));
		return { logits: this.fc.forward(pooled), weights };
	}

	/** The same model in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'AttentionClassifier', source: ATTENTION_CLASSIFIER_PY, args: classifierArgs(this.encoder, this.numClasses) };
	}
}

/**
 * The baseline: the plain mean of the frames' features, which is attention with its weights
 * fixed at 1/T. Every distractor frame counts as much as the frame that shows the class, so the
 * class's evidence is diluted by T / (key frames) and the distractors' noise is not.
 *
 * Shape:
 * - input clips `[B, T, H, W]`
 * - logits `[B, numClasses]`, weights `[B, T]` (all 1/T)
 *
 * @example
 * const model = new MeanPoolClassifier({ numClasses: 4, rng: new Rng(0) });
 * model.forward(clips).weights; // 1/T everywhere
 */
export class MeanPoolClassifier extends Module {
	readonly numClasses: number;
	encoder: FrameEncoder;
	fc: Linear;

	constructor(opts: ClassifierOptions = {}) {
		super();
		this.numClasses = opts.numClasses ?? DEFAULT_NUM_CLASSES;
		this.encoder = new FrameEncoder(opts);
		this.fc = new Linear(this.encoder.dim, this.numClasses, { rng: opts.rng });
	}

	forward(clips: Tensor): ClassifierOutput {
		const features = this.encoder.forward(clips);
		const [b, t] = features.shape;
		return { logits: this.fc.forward(features.mean(1)), weights: full([b, t], 1 / t) };
	}

	/** The same model in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'MeanPoolClassifier', source: MEAN_POOL_CLASSIFIER_PY, args: classifierArgs(this.encoder, this.numClasses) };
	}
}

/**
 * The article's `VideoClassifier` made to run: its `AttentionModule` with `hidden_dim =
 * input_dim` (the only size at which its multiply works), over the encoder's per-frame
 * features, then the mean over time and a linear classifier, as the article writes them.
 *
 * Its softmax runs over dim 1, time, separately for every feature: each feature picks its own
 * frames, rather than the clip picking frames for all features. The output is then
 * `mean_t(relu(x_t) · w_t)`, a weighted sum scaled by 1/T. The frames' weights reported are the
 * per-feature weights averaged over features (still a distribution over time); `featureWeights`
 * keeps them all for the per-feature view.
 *
 * Shape:
 * - input clips `[B, T, H, W]`
 * - logits `[B, numClasses]`, weights `[B, T]`, featureWeights `[B, T, dim]`
 * - `attention.attention.weight` `[dim, dim]`
 *
 * @example
 * const model = new ArticleClassifier({ numClasses: 4, rng: new Rng(0) });
 * model.forward(clips).featureWeights; // [B, T, dim], each [b, :, d] sums to 1
 */
export class ArticleClassifier extends Module {
	readonly numClasses: number;
	encoder: FrameEncoder;
	attention: AttentionModule;
	fc: Linear;

	constructor(opts: ClassifierOptions = {}) {
		super();
		this.numClasses = opts.numClasses ?? DEFAULT_NUM_CLASSES;
		this.encoder = new FrameEncoder(opts);
		this.attention = new AttentionModule(this.encoder.dim, this.encoder.dim, { rng: opts.rng });
		this.fc = new Linear(this.encoder.dim, this.numClasses, { rng: opts.rng });
	}

	forward(clips: Tensor): ArticleClassifierOutput {
		const features = this.encoder.forward(clips);
		// The article's block runs as written, so traces and lessons show its own ops.
		const logits = this.fc.forward(this.attention.forward(features).mean(1));
		// The block returns only the product; its weights are read out again from its own layers,
		// without grad because they are for viewing (a [B·T, dim]×[dim, dim] product, cheap next to the encoder).
		const featureWeights = noGrad(() => this.attention.attention.forward(features.relu()).softmax(1));
		return { logits, weights: noGrad(() => featureWeights.mean(2)), featureWeights };
	}

	/** The same model in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'ArticleClassifier', source: ARTICLE_CLASSIFIER_PY, args: classifierArgs(this.encoder, this.numClasses) };
	}
}

/** The Python constructor arguments every classifier shares: `(channels, dim, num_classes)`. */
function classifierArgs(encoder: FrameEncoder, numClasses: number): string[] {
	return [`(${encoder.channels.join(', ')})`, String(encoder.dim), String(numClasses)];
}

/** The variants by name; the first is the task's default. */
export const CLASSIFIERS = {
	attention: AttentionClassifier,
	baseline: MeanPoolClassifier,
	article: ArticleClassifier
} as const;

export type ClassifierVariant = keyof typeof CLASSIFIERS;

/** Build a variant by name. @example makeClassifier('baseline', { numClasses: 4, rng: new Rng(1) }) */
export function makeClassifier(variant: ClassifierVariant, opts: ClassifierOptions = {}): FrameClassifier {
	return new CLASSIFIERS[variant](opts);
}
