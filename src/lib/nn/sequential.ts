import { ValueError, type Tensor } from '../engine/index';
import { Module } from './module';

/** A module whose forward maps one tensor to one tensor, so it can be chained. */
export type TensorModule = Module & { forward(x: Tensor): Tensor };

/**
 * Modules run one after another, each on the previous one's output, as `torch.nn.Sequential`.
 * Children are named by position, so state-dict keys are `0.weight`, `2.bias`, … exactly as
 * PyTorch names them, and a shape error inside says which step failed (`head.2 → linear: …`).
 *
 * Shape: input whatever the first module takes; output whatever the last one returns.
 *
 * @example
 * const mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * mlp.forward(randn([3, 4])).shape; // [3, 2]
 * [...mlp.stateDict().keys()]; // ['0.weight', '0.bias', '2.weight', '2.bias']
 */
export class Sequential extends Module {
	private readonly steps: readonly TensorModule[];

	constructor(...modules: TensorModule[]) {
		super();
		modules.forEach((m, i) => {
			if (!(m instanceof Module)) throw new ValueError(`Sequential: argument ${i} is not a Module`);
		});
		this.steps = modules;
	}

	get length(): number {
		return this.steps.length;
	}

	/** The module at `index` (negative counts from the end), as `seq[i]` in PyTorch. */
	at(index: number): TensorModule {
		const m = Number.isInteger(index) ? this.steps.at(index) : undefined;
		if (!m) throw new ValueError(`Sequential.at: index ${index} is out of range for ${this.steps.length} modules`);
		return m;
	}

	// Positions alone, not `steps.0`: PyTorch registers Sequential's children under '0', '1', ….
	namedChildren(): [string, Module][] {
		return this.steps.map((m, i) => [String(i), m]);
	}

	forward(x: Tensor): Tensor {
		return this.steps.reduce((y, m) => m.forward(y), x);
	}
}
