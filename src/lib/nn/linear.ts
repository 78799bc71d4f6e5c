import { ShapeError, biasBound, fmtShape, getDefaultRng, kaimingUniform_, uniform_, zeros, type Rng, type Tensor } from '../engine/index';
import { positiveInt } from './args';
import { Module, Parameter } from './module';
import { pyBool } from './repr';

export interface LinearOptions {
	/** Learn an additive bias (default true). */
	bias?: boolean;
	/** Generator for the initial weights (default: the engine's default generator). */
	rng?: Rng;
}

/**
 * An affine map `y = x Wᵀ + b` over the last dimension, as `torch.nn.Linear`.
 *
 * Shape:
 * - input `[…, inFeatures]` (any number of leading dims)
 * - output `[…, outFeatures]`
 * - `weight` `[outFeatures, inFeatures]`, `bias` `[outFeatures]`
 *
 * @example
 * const fc = new Linear(512, 256, { rng: new Rng(0) });
 * fc.forward(randn([2, 16, 512])).shape; // [2, 16, 256]
 */
export class Linear extends Module {
	readonly inFeatures: number;
	readonly outFeatures: number;
	weight: Parameter;
	bias: Parameter | null;

	constructor(inFeatures: number, outFeatures: number, opts: LinearOptions = {}) {
		super();
		this.inFeatures = positiveInt('Linear', 'inFeatures', inFeatures);
		this.outFeatures = positiveInt('Linear', 'outFeatures', outFeatures);
		this.weight = new Parameter(zeros([outFeatures, inFeatures]));
		this.bias = (opts.bias ?? true) ? new Parameter(zeros([outFeatures])) : null;
		this.resetParameters(opts.rng);
	}

	/** PyTorch's default: weight kaiming-uniform with a = √5, bias U(−1/√in, 1/√in). */
	resetParameters(rng: Rng = getDefaultRng()): void {
		kaimingUniform_(this.weight, { a: Math.sqrt(5), rng });
		if (this.bias) {
			const bound = biasBound(this.weight.shape);
			uniform_(this.bias, -bound, bound, rng);
		}
	}

	forward(x: Tensor): Tensor {
		// Checked here rather than left to matmul so the message speaks of features, not inner dims.
		if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
			throw new ShapeError(
				'linear',
				`input ${fmtShape(x.shape)} must end in inFeatures = ${this.inFeatures}, but its last dim is ${x.shape[x.ndim - 1] ?? 'missing'}`
			);
		}
		// x·Wᵀ with W read transposed by the kernel: no copy of the weight, forward or backward.
		const y = x.matmul(this.weight, { transB: true });
		return this.bias ? y.add(this.bias) : y;
	}

	extraRepr(): string {
		return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
	}
}
