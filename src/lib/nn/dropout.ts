import { dropout, getDefaultRng, type Rng, type Tensor } from '../engine/index';
import { probability } from './args';
import { Module } from './module';
import { pyFloat } from './repr';

/**
 * While training, zero each element with probability `p` and scale the survivors by
 * `1/(1−p)` so the expected value is unchanged; in eval mode, the identity. As
 * `torch.nn.Dropout`.
 *
 * Shape: input `[*]`, output the same shape.
 *
 * @example
 * const drop = new Dropout(0.5, { rng: new Rng(1) });
 * drop.forward(ones([4])); // some 0s, the rest 2s
 * drop.eval().forward(ones([4])); // [1, 1, 1, 1]
 */
export class Dropout extends Module {
	readonly p: number;
	private readonly rng: Rng | undefined;

	constructor(p = 0.5, opts: { rng?: Rng } = {}) {
		super();
		this.p = probability('Dropout', 'p', p);
		this.rng = opts.rng;
	}

	forward(x: Tensor): Tensor {
		// The default generator is looked up per call so `manualSeed` after construction still applies.
		return dropout(x, this.p, { training: this.training, rng: this.rng ?? getDefaultRng() });
	}

	extraRepr(): string {
		return `p=${pyFloat(this.p)}, inplace=False`;
	}
}
