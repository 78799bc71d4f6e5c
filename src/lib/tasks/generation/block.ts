import { getDefaultRng, type Rng, type Tensor } from '../../engine/index';
import { GELU, LayerNorm, Linear, MultiHeadAttention, Sequential } from '../../nn/index';
import { Module } from '../../nn/module';
import type { TorchClass } from '../../train/export/index';
import { CAUSAL_BLOCK_PY } from './python';

export interface CausalBlockOptions {
	/** Mix information across frames with causal self-attention (default true); without it each frame is processed alone. */
	attention?: boolean;
	rng?: Rng;
}

/**
 * A pre-norm transformer block over time: `x + attn(norm1(x))` with a causal mask, then
 * `x + mlp(norm2(x))`. The attention is the only place where one frame's features can reach
 * another's, and the mask lets frame t read frames 0…t only, so every position can be trained
 * to predict its successor at once without seeing it. Pre-norm (as GPT-2) keeps the residual
 * path an identity, which lets a stack this small train without warmup tricks.
 *
 * Built without attention, it is the same per-frame MLP: the baseline that cannot see motion.
 *
 * Shape:
 * - input `[B, T, dim]`, output `[B, T, dim]`
 * - weights `[B, heads, T, T]` (zero above the diagonal), or null without attention
 * - PyTorch names: `norm1`, `attn` (`nn.MultiheadAttention(dim, heads, batch_first=True)`), `norm2`,
 *   `mlp` (`nn.Sequential(nn.Linear(dim, mlpDim), nn.GELU(), nn.Linear(mlpDim, dim))`)
 *
 * @example
 * const block = new CausalBlock(32, 4, 64, { rng: new Rng(0) });
 * const { output, weights } = block.forward(randn([2, 6, 32])); // [2, 6, 32], [2, 4, 6, 6]
 */
export class CausalBlock extends Module {
	norm1: LayerNorm | null;
	attn: MultiHeadAttention | null;
	norm2: LayerNorm;
	mlp: Sequential;

	constructor(dim: number, heads: number, mlpDim: number, opts: CausalBlockOptions = {}) {
		super();
		const withAttention = opts.attention ?? true;
		this.norm1 = withAttention ? new LayerNorm(dim) : null;
		this.attn = withAttention ? new MultiHeadAttention(dim, heads, { rng: opts.rng }) : null;
		this.norm2 = new LayerNorm(dim);
		this.mlp = new Sequential(new Linear(dim, mlpDim, { rng: opts.rng }), new GELU(), new Linear(mlpDim, dim, { rng: opts.rng }));
	}

	/** Fresh initial values for every parameter, as each layer's constructor draws them. */
	resetParameters(rng: Rng = getDefaultRng()): void {
		this.norm1?.resetParameters();
		this.attn?.resetParameters(rng);
		this.norm2.resetParameters();
		for (const layer of [this.mlp.at(0), this.mlp.at(2)]) (layer as Linear).resetParameters(rng);
	}

	forward(x: Tensor): { output: Tensor; weights: Tensor | null } {
		let weights: Tensor | null = null;
		if (this.norm1 && this.attn) {
			const h = this.norm1.forward(x);
			const mixed = this.attn.forward(h, h, h, { causal: true, averageAttnWeights: false });
			x = x.add(mixed.output);
			weights = mixed.weights;
		}
		return { output: x.add(this.mlp.forward(this.norm2.forward(x))), weights };
	}

	/** The same block in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		const [dim, mlpDim] = [this.norm2.normalizedShape[0], (this.mlp.at(0) as Linear).outFeatures];
		const args = [dim, this.attn?.numHeads ?? 1, mlpDim].map(String);
		return { name: 'CausalBlock', source: CAUSAL_BLOCK_PY, args: this.attn ? args : [...args, 'attention=False'] };
	}
}
