import { ValueError, getDefaultRng, normal_, zeros, type Rng, type Tensor } from '../../engine/index';
import { LayerNorm, Linear } from '../../nn/index';
import { Parameter } from '../../nn/module';
import { positiveInt } from '../../nn/args';
import type { TorchClass } from '../../train/export/index';
import { CausalBlock } from './block';
import { FRAME_TRANSFORMER_PY } from './python';
import { sinusoidalEncoding } from './positional';
import { NextFramePredictor, checkFrames, type PredictionResult } from './predictor';

export type PositionalKind = 'learned' | 'sinusoidal';

export interface FrameTransformerOptions {
	/** Frame size the model is built for. */
	height: number;
	width: number;
	/** Longest sequence of frames, the positional table's length. */
	maxFrames: number;
	/** Features per frame token. */
	embedDim: number;
	numHeads: number;
	numLayers: number;
	/** Hidden width of each block's MLP. */
	mlpDim: number;
	/** A learned table (`pos_embedding`, a parameter) or the fixed sinusoids (`pos_encoding`, a buffer). */
	positional: PositionalKind;
	/** Causal attention across frames (true) or none at all, each frame predicted from itself alone (false). */
	attention: boolean;
	rng?: Rng;
}

/**
 * A tiny causal video transformer that predicts the next frame. Each frame is one token: its
 * pixels are flattened and embedded by a Linear, a positional code says which frame it is,
 * causal attention blocks let frame t gather what it needs from frames 0…t (a ball's motion is
 * only visible by comparing frames), and a Linear decodes every token to the logits of the frame
 * after it. Trained with teacher forcing, one pass scores every position of a clip at once.
 *
 * With `attention: false` the blocks keep only their MLPs: the same network, blind to motion.
 *
 * Shape:
 * - input frames `[B, T, height, width]`, 1 ≤ T ≤ maxFrames, values in [0, 1]
 * - `predictions` `[B, T, height, width]` (row t predicts frame t + 1), `logits` the same before the sigmoid
 * - `attention` one `[B, numHeads, T, T]` per layer
 * - PyTorch names: `embed` (`nn.Linear(H·W, E)`), `pos_embedding` `[maxFrames, E]` (an `nn.Parameter`)
 *   or `pos_encoding` (a registered buffer), `blocks.i.*` (see `CausalBlock`), `norm`, `decoder` (`nn.Linear(E, H·W)`)
 *
 * @example
 * const model = new FrameTransformer({ ...GENERATION_MODEL_DEFAULTS, attention: true, rng: new Rng(0) });
 * const { predictions, attention } = model.forward(batch.context); // [B, T, 16, 16], [[B, 4, T, T]]
 */
export class FrameTransformer extends NextFramePredictor {
	readonly maxFrames: number;
	readonly options: Readonly<Omit<FrameTransformerOptions, 'rng'>>;
	embed: Linear;
	pos_embedding: Parameter | null;
	blocks: CausalBlock[];
	norm: LayerNorm;
	decoder: Linear;

	constructor(opts: FrameTransformerOptions) {
		super();
		const where = 'FrameTransformer';
		for (const k of ['height', 'width', 'maxFrames', 'embedDim', 'numHeads', 'numLayers', 'mlpDim'] as const)
			positiveInt(where, k, opts[k]);
		if (opts.positional !== 'learned' && opts.positional !== 'sinusoidal') {
			throw new ValueError(`${where}: positional must be 'learned' or 'sinusoidal', got ${String(opts.positional)}`);
		}
		const { rng, ...options } = opts;
		this.options = Object.freeze(options);
		this.maxFrames = opts.maxFrames;
		const pixels = opts.height * opts.width;
		const E = opts.embedDim;
		this.embed = new Linear(pixels, E, { rng });
		this.pos_embedding = null;
		if (opts.positional === 'learned') {
			this.pos_embedding = new Parameter(zeros([opts.maxFrames, E]));
			initPositions(this.pos_embedding, rng ?? getDefaultRng());
		} else {
			this.registerBuffer('pos_encoding', sinusoidalEncoding(opts.maxFrames, E));
		}
		this.blocks = Array.from(
			{ length: opts.numLayers },
			() => new CausalBlock(E, opts.numHeads, opts.mlpDim, { attention: opts.attention, rng })
		);
		this.norm = new LayerNorm(E);
		this.decoder = new Linear(E, pixels, { rng });
	}

	/** Fresh initial values for every parameter, drawn as the constructor draws them. */
	resetParameters(rng: Rng = getDefaultRng()): void {
		this.embed.resetParameters(rng);
		if (this.pos_embedding) initPositions(this.pos_embedding, rng);
		for (const block of this.blocks) block.resetParameters(rng);
		this.norm.resetParameters();
		this.decoder.resetParameters(rng);
	}

	forward(frames: Tensor): PredictionResult {
		const { height: H, width: W } = this.options;
		const [B, T] = checkFrames('frameTransformer', frames, H, W, this.maxFrames);
		const position = (this.pos_embedding ?? this.getBuffer('pos_encoding')).slice(0, 0, T);
		let x = this.embed.forward(frames.reshape([B, T, H * W])).add(position);
		const attention: Tensor[] = [];
		for (const block of this.blocks) {
			const { output, weights } = block.forward(x);
			x = output;
			if (weights) attention.push(weights);
		}
		const logits = this.decoder.forward(this.norm.forward(x)).reshape([B, T, H, W]);
		return { predictions: logits.sigmoid(), logits, attention };
	}

	extraRepr(): string {
		const o = this.options;
		return `frames=${o.maxFrames}, size=${o.height}×${o.width}, embed_dim=${o.embedDim}, heads=${o.numHeads}, positional=${o.positional}`;
	}

	/** The same model in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		const o = this.options;
		const sizes = [o.height, o.width, o.maxFrames, o.embedDim, o.numHeads, o.numLayers, o.mlpDim].map(String);
		const args = [...sizes, `positional=${JSON.stringify(o.positional)}`, `attention=${o.attention ? 'True' : 'False'}`];
		return { name: 'FrameTransformer', source: FRAME_TRANSFORMER_PY, args };
	}
}

/** Small, as GPT-2 initialises its position table (std 0.02): position should refine a frame's features, not drown them. */
function initPositions(table: Parameter, rng: Rng): void {
	normal_(table, 0, 0.02, rng);
}
