import type { Storage } from '../dtype';
import type { PoolGeometry } from './geometry';

/**
 * Max over each window, padding counting as −∞. `argmax` receives the flat index into `x`
 * of the value chosen, for backward. Ties keep the first in row-major window order and a
 * NaN wins (the last NaN, if several), exactly as PyTorch's CPU kernel decides.
 */
export function maxPoolForward(x: Storage, planes: number, g: PoolGeometry, out: Storage, argmax: Int32Array): void {
	const { H, W, kH, kW, sH, sW, pH, pW, OH, OW } = g;
	let o = 0;
	for (let p = 0; p < planes; p++) {
		const plane = p * H * W;
		for (let oh = 0; oh < OH; oh++) {
			const h0 = Math.max(oh * sH - pH, 0);
			const h1 = Math.min(oh * sH - pH + kH, H);
			for (let ow = 0; ow < OW; ow++, o++) {
				const w0 = Math.max(ow * sW - pW, 0);
				const w1 = Math.min(ow * sW - pW + kW, W);
				let best = -Infinity;
				let at = plane + h0 * W + w0;
				for (let h = h0; h < h1; h++) {
					for (let w = w0; w < w1; w++) {
						const i = plane + h * W + w;
						const v = x[i];
						if (v > best || v !== v) {
							best = v;
							at = i;
						}
					}
				}
				out[o] = best;
				argmax[o] = at;
			}
		}
	}
}

/** Route each output gradient to the input that won its window, summing where windows overlap. */
export function maxPoolBackward(gy: Storage, argmax: Int32Array, gx: Float64Array): void {
	for (let o = 0; o < gy.length; o++) gx[argmax[o]] += gy[o];
}

/**
 * Mean over each window, with zero padding counted in the divisor (PyTorch's default
 * `count_include_pad=True`). Under the floor rule every window fits inside the padded input,
 * so the divisor is always kH·kW. Dividing (not multiplying by 1/k) matches PyTorch's rounding.
 */
export function avgPoolForward(x: Storage, planes: number, g: PoolGeometry, out: Storage): void {
	const { H, W, kH, kW, sH, sW, pH, pW, OH, OW } = g;
	const count = kH * kW;
	let o = 0;
	for (let p = 0; p < planes; p++) {
		const plane = p * H * W;
		for (let oh = 0; oh < OH; oh++) {
			const h0 = Math.max(oh * sH - pH, 0);
			const h1 = Math.min(oh * sH - pH + kH, H);
			for (let ow = 0; ow < OW; ow++, o++) {
				const w0 = Math.max(ow * sW - pW, 0);
				const w1 = Math.min(ow * sW - pW + kW, W);
				let s = 0;
				for (let h = h0; h < h1; h++) {
					const row = plane + h * W;
					for (let w = w0; w < w1; w++) s += x[row + w];
				}
				out[o] = s / count;
			}
		}
	}
}

/** Spread each output gradient evenly over its window's kH·kW cells; padding cells drop theirs. */
export function avgPoolBackward(gy: Storage, planes: number, g: PoolGeometry, gx: Float64Array): void {
	const { H, W, kH, kW, sH, sW, pH, pW, OH, OW } = g;
	const count = kH * kW;
	let o = 0;
	for (let p = 0; p < planes; p++) {
		const plane = p * H * W;
		for (let oh = 0; oh < OH; oh++) {
			const h0 = Math.max(oh * sH - pH, 0);
			const h1 = Math.min(oh * sH - pH + kH, H);
			for (let ow = 0; ow < OW; ow++, o++) {
				const w0 = Math.max(ow * sW - pW, 0);
				const w1 = Math.min(ow * sW - pW + kW, W);
				const v = gy[o] / count;
				for (let h = h0; h < h1; h++) {
					const row = plane + h * W;
					for (let w = w0; w < w1; w++) gx[row + w] += v;
				}
			}
		}
	}
}
