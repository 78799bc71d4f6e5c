import { ShapeError, ValueError, fmtShape, type Tensor } from '../../engine/index';

/**
 * Mean squared error over every element, as a plain number (no graph).
 *
 * Shape: prediction and target the same shape, any rank.
 *
 * @example
 * meanSquaredError(tensor([0, 1]), tensor([0, 0])); // 0.5
 */
export function meanSquaredError(prediction: Tensor, target: Tensor): number {
	checkSameShape('meanSquaredError', prediction, target);
	const p = prediction.data;
	const t = target.data;
	// Accumulated in float64: a frame batch has tens of thousands of small terms.
	let total = 0;
	for (let i = 0; i < p.length; i++) total += (p[i] - t[i]) ** 2;
	return total / p.length;
}

/**
 * Peak signal-to-noise ratio in decibels, `10·log10(peak² / mse)`, for pixels in [0, peak]:
 * each 3 dB halves the squared error, each 10 dB divides it by ten. A perfect prediction
 * scores Infinity.
 *
 * @example
 * psnr(0.01); // 20
 */
export function psnr(mse: number, peak = 1): number {
	if (!(mse >= 0)) throw new ValueError(`psnr: mse must be a number ≥ 0, got ${mse}`);
	if (!(peak > 0)) throw new ValueError(`psnr: peak must be > 0, got ${peak}`);
	return 10 * Math.log10((peak * peak) / mse);
}

/**
 * The squared error of each frame position, averaged over the batch and the pixels, so a
 * rollout's error can be plotted against how far ahead it looks.
 *
 * Shape: prediction and target `[B, T, H, W]` → T numbers.
 *
 * @example
 * frameMse(rollout(model, batch.context, 4), batch.cleanTargets).map((m) => psnr(m)); // falling with the horizon
 */
export function frameMse(prediction: Tensor, target: Tensor): number[] {
	checkSameShape('frameMse', prediction, target);
	if (prediction.ndim !== 4) throw new ShapeError('frameMse', `frames must be [B, T, H, W], got ${fmtShape(prediction.shape)}`);
	const [B, T, H, W] = prediction.shape;
	const pixels = H * W;
	const totals = new Array<number>(T).fill(0);
	for (let b = 0; b < B; b++) {
		for (let t = 0; t < T; t++) {
			const start = (b * T + t) * pixels;
			for (let i = start; i < start + pixels; i++) totals[t] += (prediction.data[i] - target.data[i]) ** 2;
		}
	}
	return totals.map((s) => s / (B * pixels));
}

function checkSameShape(where: string, prediction: Tensor, target: Tensor): void {
	if (prediction.ndim !== target.ndim || prediction.shape.some((d, i) => d !== target.shape[i])) {
		throw new ShapeError(where, `prediction ${fmtShape(prediction.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
	}
	if (prediction.size === 0) throw new ValueError(`${where}: the tensors are empty`);
}
