import { Tensor, ValueError, fmtShape, getDefaultRng, normal_, zeros, type Rng } from '../engine/index';
import { positiveInt } from './args';
import { Module, Parameter } from './module';

/**
 * A lookup table: integer `i` maps to row `i` of `weight`, as `torch.nn.Embedding`.
 * Only the looked-up rows receive gradient.
 *
 * Shape:
 * - input: integer indices of any shape `[*]` (stored as floats, as every engine tensor)
 * - output `[*, embeddingDim]`
 * - `weight` `[numEmbeddings, embeddingDim]`, initialised N(0, 1)
 *
 * @example
 * const pos = new Embedding(16, 32, { rng: new Rng(0) });
 * pos.forward(arange(16)).shape; // [16, 32]
 */
export class Embedding extends Module {
	readonly numEmbeddings: number;
	readonly embeddingDim: number;
	weight: Parameter;

	constructor(numEmbeddings: number, embeddingDim: number, opts: { rng?: Rng } = {}) {
		super();
		this.numEmbeddings = positiveInt('Embedding', 'numEmbeddings', numEmbeddings);
		this.embeddingDim = positiveInt('Embedding', 'embeddingDim', embeddingDim);
		this.weight = new Parameter(zeros([numEmbeddings, embeddingDim]));
		this.resetParameters(opts.rng);
	}

	resetParameters(rng: Rng = getDefaultRng()): void {
		normal_(this.weight, 0, 1, rng);
	}

	forward(indices: Tensor): Tensor {
		indices.data.forEach((v, i) => {
			if (!Number.isInteger(v) || v < 0 || v >= this.numEmbeddings) {
				throw new ValueError(
					`Embedding: index ${v} (element ${i} of an index tensor of shape ${fmtShape(indices.shape)}) is out of range; ` +
						`expected an integer in [0, ${this.numEmbeddings})`
				);
			}
		});
		// A flat view of the indices is plain data, not a step of the graph.
		const flat = new Tensor(indices.data, [indices.size]);
		return this.weight.indexSelect(0, flat).reshape([...indices.shape, this.embeddingDim]);
	}

	extraRepr(): string {
		return `${this.numEmbeddings}, ${this.embeddingDim}`;
	}
}
