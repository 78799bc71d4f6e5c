import { ValueError, type Storage, type Tensor } from '../engine/index';
import { Optimizer, checkNonNegative, type ParamState } from './optimizer';

export interface SGDOptions {
	lr: number;
	momentum?: number;
	dampening?: number;
	nesterov?: boolean;
	weightDecay?: number;
}

type SGDHyper = { momentum: number; dampening: number; nesterov: boolean; weightDecay: number };

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight
 * decay, with exactly `torch.optim.SGD`'s update:
 *
 *   d = g + weightDecay·p
 *   b = d on a parameter's first step, else momentum·b + (1 − dampening)·d
 *   d = nesterov ? d + momentum·b : b          (when momentum > 0)
 *   p = p − lr·d
 *
 * Arithmetic is float64 per element; buffers and parameters are stored at the
 * parameter's precision, as PyTorch stores them.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer<SGDHyper> {
	constructor(params: Iterable<Tensor>, opts: SGDOptions) {
		const hyper = {
			momentum: opts.momentum ?? 0,
			dampening: opts.dampening ?? 0,
			nesterov: opts.nesterov ?? false,
			weightDecay: opts.weightDecay ?? 0
		};
		checkNonNegative('SGD', 'momentum', hyper.momentum);
		checkNonNegative('SGD', 'weightDecay', hyper.weightDecay);
		if (!Number.isFinite(hyper.dampening)) throw new ValueError(`SGD: dampening must be finite, got ${hyper.dampening}`);
		if (hyper.nesterov && (hyper.momentum <= 0 || hyper.dampening !== 0)) {
			throw new ValueError('SGD: nesterov momentum needs momentum > 0 and dampening = 0');
		}
		super('SGD', params, opts.lr, hyper);
	}

	protected stateNames(hyper: SGDHyper): readonly string[] {
		return hyper.momentum !== 0 ? ['momentum_buffer'] : [];
	}

	protected update(p: Storage, g: Storage, state: ParamState): void {
		const { momentum, dampening, nesterov, weightDecay } = this.hyper;
		const lr = this.lr;
		let buf = state.get('momentum_buffer');
		const first = buf === undefined;
		if (momentum !== 0 && buf === undefined) {
			buf = this.zerosLike(p);
			state.set('momentum_buffer', buf);
		}
		for (let i = 0; i < p.length; i++) {
			let d = g[i] + weightDecay * p[i];
			if (buf !== undefined) {
				buf[i] = first ? d : momentum * buf[i] + (1 - dampening) * d;
				// Read back the stored (rounded) buffer value, as PyTorch's nesterov term uses it.
				d = nesterov ? d + momentum * buf[i] : buf[i];
			}
			p[i] -= lr * d;
		}
	}
}
