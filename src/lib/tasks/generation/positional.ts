import { Tensor } from '../../engine/index';

/**
 * The fixed sinusoidal encoding of "Attention Is All You Need": position p, feature 2i is
 * `sin(p / 10000^(2i/dim))` and feature 2i + 1 the matching cosine, as the PyTorch tutorial's
 * `PositionalEncoding` builds its `pe` buffer. Each position gets a distinct pattern, and the
 * encoding of p + k is a fixed rotation of p's, so attention can learn "the previous frame".
 *
 * Shape: `[length, dim]`.
 *
 * @example
 * sinusoidalEncoding(8, 32).shape; // [8, 32]; row 0 alternates 0 and 1
 */
export function sinusoidalEncoding(length: number, dim: number): Tensor {
	const data = new Float32Array(length * dim);
	for (let p = 0; p < length; p++) {
		for (let i = 0; i < dim; i += 2) {
			const angle = p / 10000 ** (i / dim);
			data[p * dim + i] = Math.sin(angle);
			if (i + 1 < dim) data[p * dim + i + 1] = Math.cos(angle);
		}
	}
	return new Tensor(data, [length, dim]);
}
