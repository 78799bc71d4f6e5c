import { ShapeError, fmtShape, type Rng, type Tensor } from '../engine/index';
import { positiveInt } from './args';
import { Linear } from './linear';
import { Module } from './module';

/**
 * Temporal attention pooling: score each time step with a learned linear map, softmax the
 * scores over time, and return the weighted average of the steps. This is the working form
 * of the article's idea: one weight per frame, summing to 1, and an output the size of one
 * frame's features whatever the clip length.
 *
 * `score` has no bias: adding the same number to every step's score leaves the softmax
 * unchanged, so a bias would never receive gradient.
 *
 * Shape:
 * - input `[B, T, dim]`
 * - pooled `[B, dim]`, weights `[B, T]` (each row sums to 1)
 * - `score.weight` `[1, dim]`
 *
 * @example
 * const pool = new AttentionPooling(64, { rng: new Rng(0) });
 * const { pooled, weights } = pool.forward(randn([2, 16, 64])); // [2, 64], [2, 16]
 */
export class AttentionPooling extends Module {
	readonly dim: number;
	score: Linear;

	constructor(dim: number, opts: { rng?: Rng } = {}) {
		super();
		this.dim = positiveInt('AttentionPooling', 'dim', dim);
		this.score = new Linear(dim, 1, { bias: false, rng: opts.rng });
	}

	forward(x: Tensor): { pooled: Tensor; weights: Tensor } {
		if (x.ndim !== 3) throw new ShapeError('attentionPooling', `input must be [B, T, dim=${this.dim}], got ${fmtShape(x.shape)}`);
		const weights = this.score.forward(x).squeeze(-1).softmax(1);
		const pooled = weights.unsqueeze(1).matmul(x).squeeze(1);
		return { pooled, weights };
	}
}
