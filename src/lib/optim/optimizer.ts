import { Tensor, ValueError, fmtShape, type Storage } from '../engine/index';

/** Hyperparameters an optimizer saves with its state: numbers and switches only. */
export type Hyper = Record<string, number | boolean>;

/** Per-parameter buffers by name (`momentum_buffer`, `exp_avg`, `step`, …), each as long as the parameter. */
export type ParamState = Map<string, Storage>;

/**
 * An optimizer's state as PyTorch's `optimizer.state_dict()` holds it: the learning rate,
 * the other hyperparameters, and per-parameter buffers keyed `<param index>.<buffer>`
 * (`0.exp_avg`, `3.momentum_buffer`). The tensors are copies, so the snapshot stays put
 * while training goes on, and it can be saved with the same checkpoint code as a model.
 */
export interface OptimizerStateDict {
	type: string;
	lr: number;
	hyper: Hyper;
	state: Map<string, Tensor>;
}

/** Buffers that hold one number per parameter tensor rather than one per element. */
const SCALAR_STATE = new Set(['step']);

/**
 * Base class of the optimizers: one parameter group (the parameters and a learning rate
 * a scheduler may change), lazily created per-parameter state, and state dicts.
 *
 * Subclasses implement `update`, which changes one parameter's values in place given its
 * gradient; parameters whose `grad` is null are skipped and keep their state, as in PyTorch.
 */
export abstract class Optimizer<H extends Hyper = Hyper> {
	/** The class's name, kept as data because bundlers rename classes. */
	readonly name: string;
	readonly params: readonly Tensor[];
	lr: number;
	readonly hyper: H;
	/** How many times `step()` has run. */
	stepCount = 0;
	protected readonly state: (ParamState | undefined)[];

	constructor(name: string, params: Iterable<Tensor>, lr: number, hyper: H) {
		this.name = name;
		this.params = [...params];
		if (this.params.length === 0) throw new ValueError(`${name}: got an empty parameter list`);
		if (new Set(this.params).size !== this.params.length) throw new ValueError(`${name}: a parameter appears more than once in the list`);
		this.params.forEach((p, i) => {
			if (!p.requiresGrad) throw new ValueError(`${name}: parameter ${i} of shape ${fmtShape(p.shape)} does not require grad`);
		});
		checkNonNegative(name, 'lr', lr);
		this.lr = lr;
		this.hyper = hyper;
		this.state = this.params.map(() => undefined);
	}

	/** Names of the buffers each updated parameter has under hyperparameters `hyper`. */
	protected abstract stateNames(hyper: H): readonly string[];

	/** Update `param` in place from `grad`; `state` holds this parameter's buffers (empty before its first update). */
	protected abstract update(param: Storage, grad: Storage, state: ParamState): void;

	/** Clear every parameter's gradient, as `optimizer.zero_grad(set_to_none=True)`. */
	zeroGrad(): void {
		for (const p of this.params) p.grad = null;
	}

	/** Apply one update to every parameter that has a gradient. */
	step(): void {
		this.params.forEach((p, i) => {
			if (p.grad === null) return;
			if (p.grad.size !== p.size) {
				throw new ValueError(`${this.name}: gradient of shape ${fmtShape(p.grad.shape)} for parameter ${i} of shape ${fmtShape(p.shape)}`);
			}
			this.state[i] ??= new Map();
			this.update(p.data, p.grad.data, this.state[i]);
		});
		this.stepCount++;
	}

	/** Fresh zeroed storage shaped like `param`, in its dtype (state lives at the parameter's precision, as in PyTorch). */
	protected zerosLike(param: Storage): Storage {
		return param instanceof Float64Array ? new Float64Array(param.length) : new Float32Array(param.length);
	}

	stateDict(): OptimizerStateDict {
		const state = new Map<string, Tensor>();
		this.state.forEach((s, i) => {
			for (const [name, buf] of s ?? [])
				state.set(`${i}.${name}`, new Tensor(buf.slice(), SCALAR_STATE.has(name) ? [] : this.params[i].shape));
		});
		return { type: this.name, lr: this.lr, hyper: { ...this.hyper }, state };
	}

	/**
	 * Restore the learning rate, hyperparameters and buffers from `sd`. The whole dict is
	 * checked first: on any problem nothing changes and the error lists every problem.
	 */
	loadStateDict(sd: OptimizerStateDict): void {
		const name = this.name;
		const problems: string[] = [];
		if (sd.type !== name) problems.push(`state is from ${sd.type}, not ${name}`);
		if (!(sd.lr >= 0)) problems.push(`lr must be a number ≥ 0, got ${sd.lr}`);
		for (const [k, v] of Object.entries(this.hyper)) {
			if (typeof sd.hyper[k] !== typeof v) problems.push(`hyperparameter ${k} should be a ${typeof v}, got ${JSON.stringify(sd.hyper[k])}`);
		}
		const unknownHyper = Object.keys(sd.hyper).filter((k) => !(k in this.hyper));
		if (unknownHyper.length) problems.push(`unknown hyperparameters: ${unknownHyper.join(', ')}`);
		const incoming = this.params.map(() => new Map<string, Storage>());
		for (const [key, t] of sd.state) {
			const m = /^(\d+)\.(\w+)$/.exec(key);
			const i = m ? Number(m[1]) : -1;
			if (!m || i >= this.params.length) {
				problems.push(`${key}: not a buffer of one of the ${this.params.length} parameters`);
				continue;
			}
			const want = SCALAR_STATE.has(m[2]) ? [] : this.params[i].shape;
			if (t.ndim !== want.length || t.shape.some((d, j) => d !== want[j])) {
				problems.push(`${key}: state has shape ${fmtShape(t.shape)}, parameter ${i} needs ${fmtShape(want)}`);
			} else if (t.data.some((v) => !Number.isFinite(v))) {
				problems.push(`${key}: contains NaN or infinite values`);
			}
			incoming[i].set(m[2], t.data);
		}
		if (problems.length === 0) {
			const needed = [...this.stateNames({ ...this.hyper, ...sd.hyper })].sort().join(', ');
			incoming.forEach((s, i) => {
				const have = [...s.keys()].sort().join(', ');
				if (s.size > 0 && have !== needed) problems.push(`parameter ${i}: state has buffers [${have}], ${name} needs [${needed}]`);
			});
		}
		if (problems.length) throw new ValueError(`${name}.loadStateDict: ${problems.join('; ')}`);
		this.lr = sd.lr;
		Object.assign(this.hyper, sd.hyper);
		incoming.forEach((s, i) => {
			if (s.size === 0) {
				this.state[i] = undefined;
				return;
			}
			const own: ParamState = new Map();
			for (const [k, data] of s) {
				const buf = SCALAR_STATE.has(k) ? new Float64Array(1) : this.zerosLike(this.params[i].data);
				buf.set(data);
				own.set(k, buf);
			}
			this.state[i] = own;
		});
	}
}

export function checkNonNegative(owner: string, what: string, v: number): void {
	if (!(v >= 0) || !Number.isFinite(v)) throw new ValueError(`${owner}: ${what} must be a finite number ≥ 0, got ${v}`);
}
