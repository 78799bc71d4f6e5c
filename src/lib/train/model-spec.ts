import { ValueError, type Tensor } from '../engine/index';
import type { Module } from '../nn/module';
import type { Dataset, StepOutput } from './trainer';

/** The splits a spec's data factory makes; workers address examples by split and index. */
export interface SpecData<B> {
	train: Dataset<B>;
	val?: Dataset<B>;
}

/**
 * Everything needed to build and train a model from data that can cross a thread boundary:
 * a Worker receives only `{ name, config }` (a `SpecRef`) and builds its own replica and
 * its own copy of the data from it, so only example indices and parameters travel per step.
 *
 * `config` must survive `structuredClone` (numbers, strings, arrays, plain objects, typed
 * arrays). Factories must be deterministic in `config`: every worker has to build the same
 * architecture and the same examples.
 *
 * @example
 * const regression = defineModelSpec({
 *   name: 'regression',
 *   createModel: (c: { hidden: number }, seed) => new Mlp(seed, c.hidden),
 *   createData: () => ({ train: makeRegression(256) }),
 *   lossFn: (m, b) => ({ loss: mseLoss(m.forward(b.x), b.y) })
 * });
 */
export interface ModelSpec<C, M extends Module, B> {
	readonly name: string;
	/** The model; `seed` draws its initial parameters (replicas are overwritten by the coordinator's). */
	createModel(config: C, seed: number): M;
	createData(config: C): SpecData<B>;
	/** The mean loss of a batch, as `Trainer`'s `lossFn`: data parallelism weights shards by size to recover the batch mean. */
	lossFn(model: M, batch: B): StepOutput;
	/** Tensors worth showing while training (attention maps, predictions); called without grad, in eval mode. */
	snapshot?(model: M, batch: B): Record<string, Tensor>;
}

// The table is heterogeneous by nature: each entry fixes its own config, model and batch types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModelSpec = ModelSpec<any, any, any>;

/** The specs one worker entry can build, by name. */
export type SpecTable = Readonly<Record<string, AnyModelSpec>>;

/** What crosses to a worker: which spec, and its configuration. */
export interface SpecRef<C = unknown> {
	name: string;
	config: C;
}

/** Returns `spec` unchanged; exists so TypeScript infers `C`, `M` and `B` from the factories. */
export function defineModelSpec<C, M extends Module, B>(spec: ModelSpec<C, M, B>): ModelSpec<C, M, B> {
	return spec;
}

/** Collect specs into a table keyed by their names; a name used twice throws. */
export function specTable(...specs: AnyModelSpec[]): SpecTable {
	const table: Record<string, AnyModelSpec> = {};
	for (const spec of specs) {
		if (Object.hasOwn(table, spec.name)) throw new ValueError(`specTable: two specs are named ${spec.name}`);
		table[spec.name] = spec;
	}
	return Object.freeze(table);
}

/** The spec `ref` names, or an error listing the names the table has. */
export function resolveSpec(table: SpecTable, ref: SpecRef): AnyModelSpec {
	if (!Object.hasOwn(table, ref.name)) {
		const known = Object.keys(table);
		throw new ValueError(`no model spec named ${ref.name}; this worker knows ${known.length ? known.join(', ') : 'none'}`);
	}
	return table[ref.name];
}
