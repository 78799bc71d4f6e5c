import { Tensor, ShapeError, ValueError, fmtShape, noGrad, withScope } from '../engine/index';

/**
 * A tensor that a module learns. Assigning one to a module property registers it, as
 * assigning an `nn.Parameter` does in PyTorch.
 */
export class Parameter extends Tensor {
	constructor(t: Tensor) {
		super(t.data, t.shape, { requiresGrad: true });
	}
}

export type StateDict = Map<string, Tensor>;

type AnyForward = (...args: never[]) => unknown;

/**
 * Base class of every layer and model, shaped like `torch.nn.Module`.
 *
 * Children and parameters are the module's own properties, found in assignment order:
 * a `Parameter`, a `Module`, or an array of modules (named `layers.0`, `layers.1`, …, as
 * `nn.ModuleList`). Buffers (state that is saved but not learned) are registered with
 * `registerBuffer`. Each module's `forward` runs under its property name as the module
 * path, so traces and shape errors say where an op ran (`encoder.attention → mul`).
 *
 * @example
 * class Mlp extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 */
export abstract class Module {
	training = true;
	/** The property name this module has in its parent ('' for a root). */
	scopeName = '';
	private buffers = new Map<string, Tensor>();
	private childrenNamed = false;

	abstract forward(...args: never[]): unknown;

	constructor() {
		// The subclass's forward is already on the prototype chain here; wrap it so every call
		// runs under this module's name and first names this module's children.
		const impl = this.forward as AnyForward;
		const wrapped = (...args: never[]) => {
			this.nameChildren();
			return withScope(this.scopeName, () => impl.apply(this, args));
		};
		Object.defineProperty(this, 'forward', { value: wrapped, enumerable: false, writable: true });
	}

	/** Register saved, non-learned state (e.g. a fixed positional encoding). */
	registerBuffer(name: string, t: Tensor): void {
		this.buffers.set(name, t);
	}
	getBuffer(name: string): Tensor {
		const t = this.buffers.get(name);
		if (!t) throw new ValueError(`${this.constructor.name}: no buffer named ${name}`);
		return t;
	}

	/** Direct children with their names, in assignment order. */
	namedChildren(): [string, Module][] {
		const out: [string, Module][] = [];
		for (const [key, value] of Object.entries(this)) {
			if (value instanceof Module) out.push([key, value]);
			else if (Array.isArray(value)) value.forEach((m, i) => m instanceof Module && out.push([`${key}.${i}`, m]));
		}
		return out;
	}

	private nameChildren(): void {
		if (this.childrenNamed) return;
		for (const [name, child] of this.namedChildren()) child.scopeName = name;
		this.childrenNamed = true;
	}

	/** Every module in the tree, this one first, with dotted paths. */
	namedModules(prefix = ''): [string, Module][] {
		this.nameChildren();
		const out: [string, Module][] = [[prefix, this]];
		for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
		return out;
	}

	/** Parameters with the keys PyTorch's `named_parameters()` gives the same architecture. */
	namedParameters(): [string, Parameter][] {
		const out: [string, Parameter][] = [];
		for (const [path, m] of this.namedModules()) {
			for (const [key, value] of Object.entries(m)) {
				if (value instanceof Parameter) out.push([path ? `${path}.${key}` : key, value]);
			}
		}
		return out;
	}
	parameters(): Parameter[] {
		return this.namedParameters().map(([, p]) => p);
	}
	namedBuffers(): [string, Tensor][] {
		const out: [string, Tensor][] = [];
		for (const [path, m] of this.namedModules()) for (const [key, t] of m.buffers) out.push([path ? `${path}.${key}` : key, t]);
		return out;
	}
	/** Total number of learned values. */
	numParameters(): number {
		return this.parameters().reduce((n, p) => n + p.size, 0);
	}

	/** Switch this module and its children to training (dropout active) or evaluation. */
	train(mode = true): this {
		for (const [, m] of this.namedModules()) m.training = mode;
		return this;
	}
	eval(): this {
		return this.train(false);
	}
	zeroGrad(): void {
		for (const p of this.parameters()) p.grad = null;
	}

	/** Parameters and buffers by key; the tensors are this module's own (not copies). */
	stateDict(): StateDict {
		return new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
	}

	/**
	 * Copy values from `state` into this module's parameters and buffers. Every key must be
	 * present with the same shape and no key may be unknown; otherwise nothing is changed and
	 * the error names the keys and shapes.
	 */
	loadStateDict(state: ReadonlyMap<string, Tensor>): void {
		const own = this.stateDict();
		const missing = [...own.keys()].filter((k) => !state.has(k));
		const unexpected = [...state.keys()].filter((k) => !own.has(k));
		const problems: string[] = [];
		if (missing.length) problems.push(`missing keys: ${missing.join(', ')}`);
		if (unexpected.length) problems.push(`unexpected keys: ${unexpected.join(', ')}`);
		for (const [k, t] of own) {
			const src = state.get(k);
			if (src && (src.ndim !== t.ndim || src.shape.some((d, i) => d !== t.shape[i]))) {
				problems.push(`${k}: checkpoint has shape ${fmtShape(src.shape)}, model has ${fmtShape(t.shape)}`);
			}
		}
		for (const [k, src] of state) {
			if (own.has(k) && src.data.some((v) => !Number.isFinite(v))) problems.push(`${k}: contains NaN or infinite values`);
		}
		if (problems.length) throw new ShapeError('loadStateDict', problems.join('; '), '');
		noGrad(() => {
			for (const [k, t] of own) t.data.set(state.get(k)!.data);
		});
	}

	/** One-line summary of this module's configuration, shown inside `toString()`. */
	extraRepr(): string {
		return '';
	}

	toString(): string {
		const children = this.namedChildren();
		const head = `${this.constructor.name}(${this.extraRepr()}`;
		if (children.length === 0) return `${head})`;
		const body = children.map(([name, m]) => `  (${name}): ${m.toString().split('\n').join('\n  ')}`).join('\n');
		return `${head}\n${body}\n)`;
	}
}
