import { ShapeError, ValueError, cat, fmtShape, type Tensor } from '../../engine/index';
import { Module } from '../../nn/module';

/** What a predictor returns: next-frame predictions and, for attention models, each layer's weights. */
export interface PredictionResult {
	/** `[B, T, H, W]`: row t predicts frame t + 1 from frames 0…t. */
	predictions: Tensor;
	/** The predictions before their sigmoid, for a numerically stable cross-entropy; absent for the fixed baselines. */
	logits?: Tensor;
	/** One `[B, heads, T, T]` tensor per attention layer, first layer first; empty for models without attention. */
	attention: Tensor[];
}

/**
 * A next-frame predictor: given frames 0…T−1 it predicts, at every position t, frame t + 1
 * from frames 0…t only. Learned models and the fixed baselines share this interface, so
 * training, rollout, metrics and the lesson views treat them alike.
 *
 * Shape:
 * - input frames `[B, T, H, W]` (1 ≤ T ≤ `maxFrames`), pixel values in [0, 1]
 * - output `predictions` `[B, T, H, W]` in [0, 1]; `attention` one `[B, heads, T, T]` per layer
 */
export abstract class NextFramePredictor extends Module {
	/** The longest input the predictor accepts (its positional table's length); Infinity when unbounded. */
	abstract readonly maxFrames: number;

	/** Predictions and attention weights from one pass, as `MultiHeadAttention` returns output and weights together. */
	abstract forward(frames: Tensor): PredictionResult;
}

/** `frames` as `[B, T, H, W]` with the expected frame size, or a ShapeError naming the model. */
export function checkFrames(
	where: string,
	frames: Tensor,
	height?: number,
	width?: number,
	maxFrames = Infinity
): [number, number, number, number] {
	const [B, T, H, W] = frames.shape;
	if (frames.ndim !== 4 || (height !== undefined && H !== height) || (width !== undefined && W !== width)) {
		const size = height === undefined ? 'H, W' : `H=${height}, W=${width}`;
		throw new ShapeError(where, `frames must be [B, T, ${size}], got ${fmtShape(frames.shape)}`);
	}
	if (T < 1 || T > maxFrames) {
		const limit = Number.isFinite(maxFrames) ? `1 to ${maxFrames} frames (its positional table's length)` : 'at least 1 frame';
		throw new ShapeError(where, `takes ${limit}, got ${T} in ${fmtShape(frames.shape)}`);
	}
	return [B, T, H, W];
}

/**
 * Generate `steps` frames autoregressively: predict the frame after `context`, append it, and
 * predict again from the longer sequence. Once the sequence outgrows the model's `maxFrames`,
 * only the latest `maxFrames` frames are fed (a sliding window: the motion is the same
 * wherever it starts). Errors compound, which is why rollout scores fall with the horizon.
 * Runs with whatever grad mode is active; wrap it in `noGrad` to evaluate.
 *
 * Shape: context `[B, T, H, W]` → generated frames `[B, steps, H, W]`.
 *
 * @example
 * const future = noGrad(() => rollout(model, batch.context, 2)); // [B, 2, H, W]
 */
export function rollout(model: NextFramePredictor, context: Tensor, steps: number): Tensor {
	if (!Number.isInteger(steps) || steps < 1) throw new ValueError(`rollout: steps must be an integer ≥ 1, got ${steps}`);
	checkFrames('rollout', context);
	let frames = context;
	const generated: Tensor[] = [];
	for (let k = 0; k < steps; k++) {
		const T = frames.shape[1];
		const recent = T > model.maxFrames ? frames.slice(1, T - model.maxFrames, T) : frames;
		const next = model.forward(recent).predictions.slice(1, recent.shape[1] - 1, recent.shape[1]);
		generated.push(next);
		frames = cat([frames, next], 1);
	}
	return cat(generated, 1);
}
