import { ShapeError, Tensor, ValueError, dropout, fmtShape, getDefaultRng, xavierUniform_, zeros, type Rng } from '../engine/index';
import { positiveInt, probability } from './args';
import { Linear } from './linear';
import { Module, Parameter } from './module';

export interface MultiHeadAttentionOptions {
	/** Learn biases for the input and output projections (default true). */
	bias?: boolean;
	/** Dropout on the attention weights while training (default 0). */
	dropout?: number;
	rng?: Rng;
}

export interface AttentionCallOptions {
	/**
	 * `[T, S]` or `[B·numHeads, T, S]`. A mask of only 0s and 1s is boolean: 1 means "may not
	 * attend", as PyTorch's `True`. Any other values are added to the scores (use 0 and −Infinity,
	 * or a learned bias). `maskKind` overrides the guess. A query with every key masked gets
	 * NaN weights, as in PyTorch.
	 */
	attnMask?: Tensor;
	maskKind?: 'bool' | 'additive';
	/** Query i may attend to keys 0…i only (the upper triangle above the diagonal is masked). */
	causal?: boolean;
	/** Return the attention weights (default true); `weights` is null otherwise. */
	needWeights?: boolean;
	/** Average the weights over heads to `[B, T, S]` (default true) rather than `[B, H, T, S]`. */
	averageAttnWeights?: boolean;
}

export interface AttentionResult {
	output: Tensor;
	weights: Tensor | null;
}

/**
 * Multi-head scaled dot-product attention, as `torch.nn.MultiheadAttention(batch_first=True)`.
 * Queries, keys and values are projected by one packed `in_proj_weight`, split into `numHeads`
 * heads of `embedDim / numHeads` features, and each head computes
 * `softmax(q kᵀ / √headDim + mask) v`; the heads are concatenated and projected by `out_proj`.
 * Parameter names are PyTorch's (snake_case on purpose), so state dicts load either way.
 *
 * Shape:
 * - query `[B, T, E]`, key and value `[B, S, E]`
 * - output `[B, T, E]`; weights `[B, T, S]` (averaged over heads) or `[B, H, T, S]`
 * - `in_proj_weight` `[3E, E]`, `in_proj_bias` `[3E]`, `out_proj.weight` `[E, E]`, `out_proj.bias` `[E]`
 *
 * @example
 * const mha = new MultiHeadAttention(32, 4, { rng: new Rng(0) });
 * const frames = randn([2, 8, 32]);
 * const { output, weights } = mha.forward(frames, frames, frames, { causal: true });
 * output.shape; // [2, 8, 32]; weights.shape: [2, 8, 8], zero above the diagonal
 */
export class MultiHeadAttention extends Module {
	readonly embedDim: number;
	readonly numHeads: number;
	readonly headDim: number;
	readonly dropout: number;
	in_proj_weight: Parameter;
	in_proj_bias: Parameter | null;
	out_proj: Linear;
	private readonly rng: Rng | undefined;

	constructor(embedDim: number, numHeads: number, opts: MultiHeadAttentionOptions = {}) {
		super();
		this.embedDim = positiveInt('MultiHeadAttention', 'embedDim', embedDim);
		this.numHeads = positiveInt('MultiHeadAttention', 'numHeads', numHeads);
		if (embedDim % numHeads !== 0) {
			throw new ValueError(
				`MultiHeadAttention: embedDim ${embedDim} must be divisible by numHeads ${numHeads} (each head gets embedDim / numHeads features)`
			);
		}
		this.headDim = embedDim / numHeads;
		this.dropout = probability('MultiHeadAttention', 'dropout', opts.dropout ?? 0);
		this.rng = opts.rng;
		const bias = opts.bias ?? true;
		this.in_proj_weight = new Parameter(zeros([3 * embedDim, embedDim]));
		this.in_proj_bias = bias ? new Parameter(zeros([3 * embedDim])) : null;
		this.out_proj = new Linear(embedDim, embedDim, { bias, rng: opts.rng });
		this.resetInProjection(opts.rng);
	}

	/**
	 * PyTorch's initialisation: `in_proj_weight` Xavier-uniform, both biases zero, and
	 * `out_proj.weight` as a fresh Linear's (kaiming-uniform, a = √5).
	 */
	resetParameters(rng: Rng = getDefaultRng()): void {
		this.out_proj.resetParameters(rng);
		this.resetInProjection(rng);
	}

	private resetInProjection(rng: Rng = getDefaultRng()): void {
		xavierUniform_(this.in_proj_weight, { rng });
		this.in_proj_bias?.data.fill(0);
		this.out_proj.bias?.data.fill(0);
	}

	forward(query: Tensor, key: Tensor, value: Tensor, opts: AttentionCallOptions = {}): AttentionResult {
		const [B, T, S] = this.checkInputs(query, key, value);
		const [E, H, D] = [this.embedDim, this.numHeads, this.headDim];
		const heads = (x: Tensor, i: number, len: number) => {
			const w = this.in_proj_weight.slice(0, i * E, (i + 1) * E);
			const y = x.matmul(w, { transB: true });
			const b = this.in_proj_bias?.slice(0, i * E, (i + 1) * E);
			return (b ? y.add(b) : y).reshape([B, len, H, D]).transpose(1, 2);
		};
		// Scaling q rather than the scores costs T·E multiplies instead of H·T·S, as PyTorch does.
		const q = heads(query, 0, T).mul(1 / Math.sqrt(D));
		const k = heads(key, 1, S);
		const v = heads(value, 2, S);
		const scores = this.mask(q.matmul(k, { transB: true }), opts, B, T, S);
		let weights = scores.softmax(-1);
		if (this.training && this.dropout > 0) weights = dropout(weights, this.dropout, { rng: this.rng ?? getDefaultRng() });
		const output = this.out_proj.forward(weights.matmul(v).transpose(1, 2).reshape([B, T, E]));
		if (!(opts.needWeights ?? true)) return { output, weights: null };
		return { output, weights: (opts.averageAttnWeights ?? true) ? weights.mean(1) : weights };
	}

	private checkInputs(query: Tensor, key: Tensor, value: Tensor): [number, number, number] {
		const E = this.embedDim;
		for (const [name, t] of [
			['query', query],
			['key', key],
			['value', value]
		] as const) {
			if (t.ndim !== 3 || t.shape[2] !== E) {
				throw new ShapeError('multiHeadAttention', `${name} must be [B, L, embedDim=${E}] (batch first), got ${fmtShape(t.shape)}`);
			}
		}
		if (key.shape[0] !== query.shape[0] || value.shape[0] !== query.shape[0] || key.shape[1] !== value.shape[1]) {
			throw new ShapeError(
				'multiHeadAttention',
				`query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must share the batch size, and key and value their length`
			);
		}
		return [query.shape[0], query.shape[1], key.shape[1]];
	}

	/** Scores `[B, H, T, S]` with the user's mask and the causal mask applied. */
	private mask(scores: Tensor, opts: AttentionCallOptions, B: number, T: number, S: number): Tensor {
		let out = scores;
		if (opts.attnMask) {
			const m = this.maskAs4d(opts.attnMask, B, T, S);
			const kind = opts.maskKind ?? (m.data.every((x) => x === 0 || x === 1) ? 'bool' : 'additive');
			out = kind === 'bool' ? out.maskedFill(m, -Infinity) : out.add(m);
		}
		return opts.causal ? out.maskedFill(causalMask(T, S), -Infinity) : out;
	}

	private maskAs4d(m: Tensor, B: number, T: number, S: number): Tensor {
		const H = this.numHeads;
		if (m.ndim === 2 && m.shape[0] === T && m.shape[1] === S) return m;
		if (m.ndim === 3 && m.shape[0] === B * H && m.shape[1] === T && m.shape[2] === S) return m.reshape([B, H, T, S]);
		throw new ShapeError(
			'multiHeadAttention',
			`attnMask must be [T, S] = ${fmtShape([T, S])} or [B·numHeads, T, S] = ${fmtShape([B * H, T, S])}, got ${fmtShape(m.shape)}`
		);
	}
}

/** 1 where key j lies in query i's future (j > i): the positions a causal model may not see. */
function causalMask(T: number, S: number): Tensor {
	const data = new Float32Array(T * S);
	for (let i = 0; i < T; i++) for (let j = i + 1; j < S; j++) data[i * S + j] = 1;
	return new Tensor(data, [T, S]);
}
