import { ValueError, type Storage, type Tensor } from '../engine/index';
import { Optimizer, checkNonNegative, type ParamState } from './optimizer';

export interface AdamOptions {
	lr?: number;
	betas?: [number, number];
	eps?: number;
	weightDecay?: number;
	amsgrad?: boolean;
}

type AdamHyper = { beta1: number; beta2: number; eps: number; weightDecay: number; amsgrad: boolean };

function adamHyper(owner: string, opts: AdamOptions, defaultDecay: number): AdamHyper {
	const [beta1, beta2] = opts.betas ?? [0.9, 0.999];
	const hyper = { beta1, beta2, eps: opts.eps ?? 1e-8, weightDecay: opts.weightDecay ?? defaultDecay, amsgrad: opts.amsgrad ?? false };
	for (const [k, b] of [
		['betas[0]', beta1],
		['betas[1]', beta2]
	] as const) {
		if (!(b >= 0 && b < 1)) throw new ValueError(`${owner}: ${k} must be in [0, 1), got ${b}`);
	}
	checkNonNegative(owner, 'eps', hyper.eps);
	checkNonNegative(owner, 'weightDecay', hyper.weightDecay);
	return hyper;
}

/** The update Adam and AdamW share; they differ only in where weight decay enters. */
abstract class AdamFamily extends Optimizer<AdamHyper> {
	protected abstract readonly decoupled: boolean;

	protected stateNames(hyper: AdamHyper): readonly string[] {
		return hyper.amsgrad ? ['step', 'exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['step', 'exp_avg', 'exp_avg_sq'];
	}

	protected update(p: Storage, g: Storage, state: ParamState): void {
		const { beta1, beta2, eps, weightDecay, amsgrad } = this.hyper;
		const lr = this.lr;
		const buffer = (name: string) => {
			let b = state.get(name);
			if (b === undefined) {
				b = name === 'step' ? new Float64Array(1) : this.zerosLike(p);
				state.set(name, b);
			}
			return b;
		};
		const stepBuf = buffer('step');
		const m = buffer('exp_avg');
		const v = buffer('exp_avg_sq');
		const vMax = amsgrad ? buffer('max_exp_avg_sq') : null;
		const t = ++stepBuf[0];
		const stepSize = lr / (1 - beta1 ** t);
		const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
		const shrink = this.decoupled ? 1 - lr * weightDecay : 1;
		const l2 = this.decoupled ? 0 : weightDecay;
		for (let i = 0; i < p.length; i++) {
			const gi = g[i] + l2 * p[i];
			m[i] = beta1 * m[i] + (1 - beta1) * gi;
			v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
			let second = v[i];
			if (vMax !== null) {
				vMax[i] = Math.max(vMax[i], v[i]);
				second = vMax[i];
			}
			p[i] = p[i] * shrink - (stepSize * m[i]) / (Math.sqrt(second) / bc2Sqrt + eps);
		}
	}
}

/**
 * Adam with PyTorch's update (`torch.optim.Adam`, bias-corrected moments, optional
 * AMSGrad). `weightDecay` here is L2 regularisation: it is added to the gradient, so it
 * also passes through the moment estimates. For decay applied to the weights directly,
 * use `AdamW`.
 *
 *   g = g + weightDecay·p                      (Adam only; AdamW instead sets p = p·(1 − lr·weightDecay))
 *   m = β1·m + (1 − β1)·g,   v = β2·v + (1 − β2)·g²,   v̂ = amsgrad ? max(v̂, v) : v
 *   p = p − lr/(1 − β1^t) · m / (√v̂ / √(1 − β2^t) + eps)
 *
 * Arithmetic is float64 per element; moments are stored at the parameter's precision.
 *
 * @example
 * const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamFamily {
	protected readonly decoupled = false;

	constructor(params: Iterable<Tensor>, opts: AdamOptions = {}) {
		super('Adam', params, opts.lr ?? 1e-3, adamHyper('Adam', opts, 0));
	}
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter), as `torch.optim.AdamW`: the
 * weights shrink by `lr·weightDecay` each step, independent of the gradient's scale.
 * `weightDecay` defaults to 0.01 as in PyTorch.
 *
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 3e-4, weightDecay: 0.05 });
 */
export class AdamW extends AdamFamily {
	protected readonly decoupled = true;

	constructor(params: Iterable<Tensor>, opts: AdamOptions = {}) {
		super('AdamW', params, opts.lr ?? 1e-3, adamHyper('AdamW', opts, 0.01));
	}
}
