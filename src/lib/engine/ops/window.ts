import { ShapeError, ValueError, fmtShape } from '../errors';
import { alloc } from '../dtype';
import { Tensor } from '../tensor';
import type { ConvGeometry } from '../kernels/geometry';
import type { Pool2dAttrs } from './types';

/** Window geometry shared by conv2d and the pools, for one C×H×W image of a batch of N. */
export interface Window2d extends ConvGeometry {
	N: number;
}

function checkPair(op: string, name: string, [h, w]: readonly [number, number], min: number): void {
	if (!Number.isInteger(h) || !Number.isInteger(w) || h < min || w < min) {
		throw new ValueError(`${op}: ${name} must be integers ≥ ${min}, got (${h}, ${w})`);
	}
}

/** Throw unless `x` is [N, C, H, W]. */
export function check4d(op: string, x: Tensor): void {
	if (x.ndim !== 4) throw new ShapeError(op, `input must be 4-D [N, C, H, W], got ${fmtShape(x.shape)}`);
}

/**
 * Validate stride and padding, and compute the output size with PyTorch's floor rule
 * `⌊(H + 2p − k)/s⌋ + 1`; a kernel that does not fit the padded input is a ShapeError.
 * `what` names where the kernel size came from, for the message.
 */
export function window2d(
	op: string,
	x: Tensor,
	kernel: readonly [number, number],
	stride: readonly [number, number],
	padding: readonly [number, number],
	what: string
): Window2d {
	checkPair(op, 'stride', stride, 1);
	checkPair(op, 'padding', padding, 0);
	const [N, C, H, W] = x.shape;
	const [kH, kW] = kernel;
	const [sH, sW] = stride;
	const [pH, pW] = padding;
	if (kH < 1 || kW < 1) throw new ShapeError(op, `kernel ${kH}×${kW}${what} must be at least 1×1`);
	if (kH > H + 2 * pH || kW > W + 2 * pW) {
		throw new ShapeError(op, `kernel ${kH}×${kW}${what} is larger than input ${fmtShape(x.shape)} padded to ${H + 2 * pH}×${W + 2 * pW}`);
	}
	const OH = Math.floor((H + 2 * pH - kH) / sH) + 1;
	const OW = Math.floor((W + 2 * pW - kW) / sW) + 1;
	return { N, C, H, W, kH, kW, sH, sW, pH, pW, OH, OW };
}

/** Validate a pool's attributes against input `x` and give its geometry. */
export function poolWindow(op: string, x: Tensor, { kernel, stride, padding }: Pool2dAttrs): Window2d {
	check4d(op, x);
	checkPair(op, 'kernel', kernel, 1);
	// PyTorch's rule: a window could otherwise lie wholly in the padding and pool nothing real.
	if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) {
		throw new ValueError(`${op}: padding (${padding[0]}, ${padding[1]}) must be at most half the kernel (${kernel[0]}, ${kernel[1]})`);
	}
	return window2d(op, x, kernel, stride, padding, '');
}

/** A gradient for `like` from a float64 accumulator, rounded once into `like`'s dtype. */
export function gradFrom(acc: Float64Array, like: Tensor): Tensor {
	if (like.dtype === 'float64') return new Tensor(acc, like.shape);
	const data = alloc(like.dtype, acc.length);
	data.set(acc);
	return new Tensor(data, like.shape);
}
