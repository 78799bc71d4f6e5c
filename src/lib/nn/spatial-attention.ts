import { ShapeError, ValueError, fmtShape, type Rng, type Tensor } from '../engine/index';
import { positiveInt } from './args';
import { Linear } from './linear';
import { Module } from './module';

export interface SpatialAttentionOptions {
	/** Size of a query vector (e.g. a tracked object's template features); omit for query-free saliency. */
	queryDim?: number;
	rng?: Rng;
}

/**
 * Attention over the H×W positions of a feature map: one weight per position, summing to 1,
 * and the weighted average of the positions' feature vectors. It is the spatial analogue of
 * `AttentionPooling`, and what a tracker uses to say where the object is.
 *
 * Design. Each position's `C` features are its key and its value. Its score is either
 * - without a query: `score(f)`, a learned linear read-out (a 1×1 convolution to one channel):
 *   "what looks like an object here", the same for every clip; or
 * - with a query `[B, queryDim]`: `key(f) · query(t) / √C`, the scaled dot product between a
 *   projection of the position's features and a projection of the query (the object's
 *   template), so the map follows whatever the query describes.
 *
 * `score` and `key` have no bias: a bias adds the same amount to every position's score for a
 * given sample, which the softmax over positions ignores, so it would never learn.
 *
 * Shape:
 * - features `[B, C, H, W]`, query `[B, queryDim]` (only and always when built with `queryDim`)
 * - pooled `[B, C]`, weights `[B, H, W]` (each map sums to 1)
 * - `score.weight` `[1, C]`; or `query.weight` `[C, queryDim]`, `query.bias` `[C]`, `key.weight` `[C, C]`
 *
 * @example
 * const where = new SpatialAttention(16, { queryDim: 16, rng: new Rng(0) });
 * const { pooled, weights } = where.forward(randn([2, 16, 8, 8]), randn([2, 16])); // [2, 16], [2, 8, 8]
 */
export class SpatialAttention extends Module {
	readonly channels: number;
	readonly queryDim: number | null;
	score: Linear | null;
	query: Linear | null;
	key: Linear | null;

	constructor(channels: number, opts: SpatialAttentionOptions = {}) {
		super();
		this.channels = positiveInt('SpatialAttention', 'channels', channels);
		this.queryDim = opts.queryDim === undefined ? null : positiveInt('SpatialAttention', 'queryDim', opts.queryDim);
		const rng = opts.rng;
		this.score = this.queryDim === null ? new Linear(channels, 1, { bias: false, rng }) : null;
		this.query = this.queryDim === null ? null : new Linear(this.queryDim, channels, { rng });
		this.key = this.queryDim === null ? null : new Linear(channels, channels, { bias: false, rng });
	}

	forward(features: Tensor, query?: Tensor): { pooled: Tensor; weights: Tensor } {
		const C = this.channels;
		if (features.ndim !== 4 || features.shape[1] !== C) {
			throw new ShapeError('spatialAttention', `features must be [B, C=${C}, H, W], got ${fmtShape(features.shape)}`);
		}
		const [B, , H, W] = features.shape;
		const positions = features.reshape([B, C, H * W]).transpose(1, 2);
		const weights = this.scores(positions, query).softmax(1);
		const pooled = weights.unsqueeze(1).matmul(positions).squeeze(1);
		return { pooled, weights: weights.reshape([B, H, W]) };
	}

	/** One score per position, `[B, H·W]`, from `positions` `[B, H·W, C]`. */
	private scores(positions: Tensor, query: Tensor | undefined): Tensor {
		const { score, key, query: project } = this;
		if (score) {
			if (query) throw new ValueError('SpatialAttention: got a query, but this layer was built without queryDim');
			return score.forward(positions).squeeze(-1);
		}
		if (!query || !project || !key) {
			throw new ValueError(`SpatialAttention: this layer was built with queryDim ${this.queryDim} and needs a query [B, ${this.queryDim}]`);
		}
		const B = positions.shape[0];
		if (query.ndim !== 2 || query.shape[0] !== B) {
			throw new ShapeError('spatialAttention', `query must be [B=${B}, queryDim=${this.queryDim}], got ${fmtShape(query.shape)}`);
		}
		const q = project.forward(query).unsqueeze(-1);
		return key.forward(positions).matmul(q).squeeze(-1).div(Math.sqrt(this.channels));
	}
}
