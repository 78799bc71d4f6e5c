import { ShapeError, fmtShape, type Tensor } from '../../engine/index';

function checkFrames(op: string, weights: Tensor, keyFrames: Tensor): void {
	if (weights.ndim !== 2 || keyFrames.ndim !== 2 || weights.shape[0] !== keyFrames.shape[0] || weights.shape[1] !== keyFrames.shape[1]) {
		throw new ShapeError(
			op,
			`weights and keyFrames must both be [B, T], got ${fmtShape(weights.shape)} and ${fmtShape(keyFrames.shape)}`,
			''
		);
	}
}

/**
 * The share of attention that lands on the key frames (the frames showing the class), averaged
 * over clips: per clip the sum of `weights` where `keyFrames` is 1. It is 1 for a model that looks
 * only at the key frames; uniform weights get `keyFrameShare(keyFrames)`, the baseline to beat.
 *
 * Shape: weights `[B, T]` (rows summing to 1), keyFrames `[B, T]` (0/1) → a number in [0, 1].
 *
 * @example
 * keyFrameAttention(tensor([[0.7, 0.2, 0.1]]), tensor([[1, 0, 0]])); // 0.7
 */
export function keyFrameAttention(weights: Tensor, keyFrames: Tensor): number {
	checkFrames('keyFrameAttention', weights, keyFrames);
	const [b, t] = weights.shape;
	if (b === 0) return 0;
	let total = 0;
	for (let i = 0; i < b * t; i++) if (keyFrames.data[i]) total += weights.data[i];
	return total / b;
}

/**
 * The share of frames that are key frames, averaged over clips: what `keyFrameAttention` gives
 * for uniform weights (mean pooling), so the fair point of comparison for any attention.
 *
 * Shape: keyFrames `[B, T]` (0/1) → a number in [0, 1].
 *
 * @example
 * keyFrameShare(tensor([[1, 0, 0, 0], [1, 1, 0, 0]])); // (1/4 + 2/4) / 2 = 0.375
 */
export function keyFrameShare(keyFrames: Tensor): number {
	if (keyFrames.ndim !== 2) throw new ShapeError('keyFrameShare', `keyFrames must be [B, T], got ${fmtShape(keyFrames.shape)}`, '');
	const [b, t] = keyFrames.shape;
	if (b === 0) return 0;
	let keys = 0;
	for (let i = 0; i < b * t; i++) if (keyFrames.data[i]) keys++;
	return keys / (b * t);
}
