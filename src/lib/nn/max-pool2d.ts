import { maxPool2d, type Tensor } from '../engine/index';
import { nonNegativeInt, pairOf, positiveInt, type Pair } from './args';
import { Module } from './module';
import { pyIntOrTuple } from './repr';

export interface MaxPool2dOptions {
	/** Step between windows (default: the kernel size, so windows do not overlap). */
	stride?: Pair;
	/** Implicit −∞ padding on each side (default 0). */
	padding?: Pair;
}

/**
 * Maximum over each `kernelSize` window, as `torch.nn.MaxPool2d`. It has no parameters.
 *
 * Shape:
 * - input `[N, C, H, W]`
 * - output `[N, C, H', W']` with `H' = ⌊(H + 2·padding − kernel) / stride⌋ + 1` (likewise W')
 *
 * @example
 * new MaxPool2d(2).forward(randn([1, 8, 16, 16])).shape; // [1, 8, 8, 8]
 */
export class MaxPool2d extends Module {
	readonly kernelSize: Pair;
	readonly stride: Pair;
	readonly padding: Pair;
	private readonly window: { kernel: [number, number]; stride: [number, number]; padding: [number, number] };

	constructor(kernelSize: Pair, opts: MaxPool2dOptions = {}) {
		super();
		// Kept as given (int or pair) as well, because PyTorch's repr prints them unconverted.
		this.kernelSize = kernelSize;
		this.stride = opts.stride ?? kernelSize;
		this.padding = opts.padding ?? 0;
		this.window = {
			kernel: pairOf('MaxPool2d', 'kernelSize', this.kernelSize, positiveInt),
			stride: pairOf('MaxPool2d', 'stride', this.stride, positiveInt),
			padding: pairOf('MaxPool2d', 'padding', this.padding, nonNegativeInt)
		};
	}

	forward(x: Tensor): Tensor {
		const { kernel, stride, padding } = this.window;
		return maxPool2d(x, kernel, { stride, padding });
	}

	extraRepr(): string {
		const [k, s, p] = [this.kernelSize, this.stride, this.padding].map(pyIntOrTuple);
		return `kernel_size=${k}, stride=${s}, padding=${p}, dilation=1, ceil_mode=False`;
	}
}
