import type { Storage } from '../dtype';
import type { ConvGeometry } from './geometry';

/**
 * Unfold image `x` (C×H×W from `xOff`) into `col`, a (C·kH·kW)×(OH·OW) matrix whose column
 * l holds the receptive field of output pixel l, zeros where it hangs over the padding.
 * Then a convolution is one matrix product: weight[O, C·kH·kW] · col.
 */
export function im2col(x: Storage, xOff: number, g: ConvGeometry, col: Storage): void {
	const { C, H, W, kH, kW, sH, sW, pH, pW, OH, OW } = g;
	const L = OH * OW;
	let r = 0;
	for (let c = 0; c < C; c++) {
		const plane = xOff + c * H * W;
		for (let i = 0; i < kH; i++) {
			for (let j = 0; j < kW; j++, r++) {
				const lo = firstInside(j, sW, pW, OW);
				const hi = endInside(j, sW, pW, W, OW, lo);
				const row = r * L;
				for (let oh = 0; oh < OH; oh++) {
					const ih = oh * sH - pH + i;
					const dst = row + oh * OW;
					// Loops rather than `fill`: the padded runs are a column or two, shorter than a call.
					if (ih < 0 || ih >= H) {
						for (let ow = 0; ow < OW; ow++) col[dst + ow] = 0;
						continue;
					}
					const src = plane + ih * W - pW + j;
					for (let ow = 0; ow < lo; ow++) col[dst + ow] = 0;
					for (let ow = lo; ow < hi; ow++) col[dst + ow] = x[src + ow * sW];
					for (let ow = hi; ow < OW; ow++) col[dst + ow] = 0;
				}
			}
		}
	}
}

/**
 * The adjoint of `im2col`: add each entry of `col` back onto the image pixel it was read
 * from (`gx` from `gxOff`, accumulated, so overlapping windows sum). Padding entries drop.
 */
export function col2im(col: Float64Array, g: ConvGeometry, gx: Float64Array, gxOff: number): void {
	const { C, H, W, kH, kW, sH, sW, pH, pW, OH, OW } = g;
	const L = OH * OW;
	let r = 0;
	for (let c = 0; c < C; c++) {
		const plane = gxOff + c * H * W;
		for (let i = 0; i < kH; i++) {
			for (let j = 0; j < kW; j++, r++) {
				const lo = firstInside(j, sW, pW, OW);
				const hi = endInside(j, sW, pW, W, OW, lo);
				const row = r * L;
				for (let oh = 0; oh < OH; oh++) {
					const ih = oh * sH - pH + i;
					if (ih < 0 || ih >= H) continue;
					const src = row + oh * OW;
					const dst = plane + ih * W - pW + j;
					for (let ow = lo; ow < hi; ow++) gx[dst + ow * sW] += col[src + ow];
				}
			}
		}
	}
}

/*
 * The output columns lo ≤ ow < hi whose input column ow·sW − pW + j lies inside the image,
 * worked out once per kernel column so the copy loops test nothing per element.
 */
function firstInside(j: number, sW: number, pW: number, OW: number): number {
	return Math.min(OW, Math.max(0, Math.ceil((pW - j) / sW)));
}
function endInside(j: number, sW: number, pW: number, W: number, OW: number, lo: number): number {
	return Math.max(lo, Math.min(OW, Math.ceil((W + pW - j) / sW)));
}
