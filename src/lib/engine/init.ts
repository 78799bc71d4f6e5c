import { ValueError, fmtShape } from './errors';
import { getDefaultRng, type Rng } from './random';
import type { Tensor } from './tensor';

/**
 * PyTorch's fan computation: fan_in = in-features × receptive field, fan_out = out × receptive field,
 * for weights laid out as [out, in, ...kernel].
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
	if (shape.length < 2) throw new ValueError(`fans: need a weight with at least 2 dimensions, got ${fmtShape(shape)}`);
	const receptive = shape.slice(2).reduce((n, d) => n * d, 1);
	return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

/** Fill a leaf tensor in place with uniform values in [low, high). */
export function uniform_(t: Tensor, low: number, high: number, rng: Rng = getDefaultRng()): Tensor {
	for (let i = 0; i < t.size; i++) t.data[i] = low + (high - low) * rng.uniform();
	return t;
}

/** Fill a leaf tensor in place with normal values. */
export function normal_(t: Tensor, mean = 0, std = 1, rng: Rng = getDefaultRng()): Tensor {
	for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
	return t;
}

/**
 * `kaiming_uniform_` as PyTorch's Linear and Conv2d use it by default (a = √5), which
 * works out to U(−1/√fan_in, 1/√fan_in).
 *
 * @example
 * kaimingUniform_(weight, { rng }); // weight [out, in]
 */
export function kaimingUniform_(t: Tensor, opts: { a?: number; rng?: Rng } = {}): Tensor {
	const a = opts.a ?? Math.sqrt(5);
	const { fanIn } = fans(t.shape);
	const gain = Math.sqrt(2 / (1 + a * a));
	const bound = fanIn === 0 ? 0 : gain * Math.sqrt(3 / fanIn);
	return uniform_(t, -bound, bound, opts.rng);
}

/** The bound PyTorch draws a Linear/Conv bias from: U(−1/√fan_in, 1/√fan_in). */
export function biasBound(weightShape: readonly number[]): number {
	const { fanIn } = fans(weightShape);
	return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

/** Glorot/Xavier uniform: U(−b, b) with b = gain·√(6 / (fan_in + fan_out)). */
export function xavierUniform_(t: Tensor, opts: { gain?: number; rng?: Rng } = {}): Tensor {
	const { fanIn, fanOut } = fans(t.shape);
	const bound = (opts.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
	return uniform_(t, -bound, bound, opts.rng);
}
