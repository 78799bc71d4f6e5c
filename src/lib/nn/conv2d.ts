import { biasBound, conv2d, getDefaultRng, kaimingUniform_, uniform_, zeros, type Rng, type Tensor } from '../engine/index';
import { nonNegativeInt, pairOf, positiveInt, type Pair } from './args';
import { Module, Parameter } from './module';
import { pyTuple } from './repr';

export interface Conv2dOptions {
	/** Step between windows, one number or [height, width] (default 1). */
	stride?: Pair;
	/** Zeros added on each side, one number or [height, width] (default 0). */
	padding?: Pair;
	/** Learn a bias per output channel (default true). */
	bias?: boolean;
	rng?: Rng;
}

/**
 * 2-D convolution (cross-correlation) over a batch of images, as `torch.nn.Conv2d`.
 *
 * Shape:
 * - input `[N, inChannels, H, W]`
 * - output `[N, outChannels, H', W']` with `H' = ⌊(H + 2·padding − kernel) / stride⌋ + 1` (likewise W')
 * - `weight` `[outChannels, inChannels, kH, kW]`, `bias` `[outChannels]`
 *
 * @example
 * const conv = new Conv2d(3, 8, 3, { padding: 1, rng: new Rng(0) });
 * conv.forward(randn([2, 3, 16, 16])).shape; // [2, 8, 16, 16]
 */
export class Conv2d extends Module {
	readonly inChannels: number;
	readonly outChannels: number;
	readonly kernelSize: [number, number];
	readonly stride: [number, number];
	readonly padding: [number, number];
	weight: Parameter;
	bias: Parameter | null;

	constructor(inChannels: number, outChannels: number, kernelSize: Pair, opts: Conv2dOptions = {}) {
		super();
		this.inChannels = positiveInt('Conv2d', 'inChannels', inChannels);
		this.outChannels = positiveInt('Conv2d', 'outChannels', outChannels);
		this.kernelSize = pairOf('Conv2d', 'kernelSize', kernelSize, positiveInt);
		this.stride = pairOf('Conv2d', 'stride', opts.stride ?? 1, positiveInt);
		this.padding = pairOf('Conv2d', 'padding', opts.padding ?? 0, nonNegativeInt);
		this.weight = new Parameter(zeros([outChannels, inChannels, ...this.kernelSize]));
		this.bias = (opts.bias ?? true) ? new Parameter(zeros([outChannels])) : null;
		this.resetParameters(opts.rng);
	}

	/** PyTorch's default: weight kaiming-uniform with a = √5, bias U(±1/√fan_in), fan_in = inChannels·kH·kW. */
	resetParameters(rng: Rng = getDefaultRng()): void {
		kaimingUniform_(this.weight, { a: Math.sqrt(5), rng });
		if (this.bias) {
			const bound = biasBound(this.weight.shape);
			uniform_(this.bias, -bound, bound, rng);
		}
	}

	forward(x: Tensor): Tensor {
		return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding });
	}

	extraRepr(): string {
		const parts = [`${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`];
		if (this.padding.some((p) => p !== 0)) parts.push(`padding=${pyTuple(this.padding)}`);
		if (!this.bias) parts.push('bias=False');
		return parts.join(', ');
	}
}
