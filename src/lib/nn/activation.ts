import { ValueError, type Tensor } from '../engine/index';
import { Module } from './module';

/**
 * `max(0, x)` elementwise, as `torch.nn.ReLU`.
 *
 * Shape: input `[*]`, output the same shape.
 *
 * @example
 * new ReLU().forward(tensor([-1, 2])).toArray(); // [0, 2]
 */
export class ReLU extends Module {
	forward(x: Tensor): Tensor {
		return x.relu();
	}
}

/**
 * The exact Gaussian error linear unit `x·Φ(x)`, as `torch.nn.GELU()` (approximate='none').
 *
 * Shape: input `[*]`, output the same shape.
 *
 * @example
 * new GELU().forward(tensor([0, 1])).toArray(); // [0, 0.8413]
 */
export class GELU extends Module {
	forward(x: Tensor): Tensor {
		return x.gelu();
	}

	extraRepr(): string {
		return "approximate='none'";
	}
}

/**
 * `exp(x) / Σ exp(x)` along `dim`, as `torch.nn.Softmax(dim)`. The dim is required:
 * which axis is normalised is the whole question (the article's `dim=1` is the time axis
 * of a `[B, T, D]` clip, not the features).
 *
 * Shape: input `[*]`, output the same shape; slices along `dim` sum to 1.
 *
 * @example
 * new Softmax(-1).forward(tensor([[0, 0]])).toArray(); // [[0.5, 0.5]]
 */
export class Softmax extends Module {
	readonly dim: number;

	constructor(dim: number) {
		super();
		if (!Number.isInteger(dim)) throw new ValueError(`Softmax: dim must be an integer, got ${String(dim)}`);
		this.dim = dim;
	}

	forward(x: Tensor): Tensor {
		return x.softmax(this.dim);
	}

	extraRepr(): string {
		return `dim=${this.dim}`;
	}
}
