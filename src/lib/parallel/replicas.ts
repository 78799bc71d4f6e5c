import type { Module } from '../nn/module';
import type { Metrics } from '../train/metrics';
import type { SpecRef } from '../train/model-spec';
import type { ParamExchange } from './exchange';
import type { WorkerPool } from './pool';
import type { ParamEntry, SnapshotReply, SplitName } from './protocol';

let nextSession = 1;

/**
 * Which session each worker of a pool holds, and in which of its starts. Kept per pool rather
 * than per trainer: trainers take turns on one pool, and the next one must see that the last
 * replaced its replicas.
 */
const holders = new WeakMap<WorkerPool, Map<number, { instance: number; session: number }>>();

export interface DataSizes {
	trainSize: number;
	valSize: number;
}

/**
 * A training session's replicas across a pool: it (re)initialises any worker that does not hold
 * the session (first use, a replacement after a fault, or another trainer used it since).
 */
export class ReplicaSet {
	readonly session = nextSession++;
	private readonly layout: ParamEntry[];
	private sizes: DataSizes | null = null;

	constructor(
		private readonly pool: WorkerPool,
		private readonly spec: SpecRef,
		private readonly seed: number,
		model: Module,
		private readonly exchange: ParamExchange
	) {
		this.layout = model.namedParameters().map(([name, p]) => ({ name, shape: [...p.shape] }));
	}

	private held(): Map<number, { instance: number; session: number }> {
		let map = holders.get(this.pool);
		if (!map) holders.set(this.pool, (map = new Map()));
		return map;
	}

	/** Make workers `0 … count − 1` hold this session; resolves with the data sizes they report. */
	async ensure(count: number): Promise<DataSizes> {
		const held = this.held();
		const inits: Promise<void>[] = [];
		for (let k = 0; k < count; k++) {
			const instance = this.pool.instance(k);
			const h = held.get(k);
			if (h?.instance === instance && h.session === this.session) continue;
			held.delete(k);
			const shared = this.exchange.sharedFor(k);
			const init = { type: 'init' as const, session: this.session, spec: this.spec, seed: this.seed, layout: this.layout, shared };
			inits.push(
				this.pool.request(k, init).then(({ trainSize, valSize }) => {
					this.sizes ??= { trainSize, valSize };
					if (this.sizes.trainSize !== trainSize || this.sizes.valSize !== valSize) {
						throw new Error(
							`worker ${k} built ${trainSize} training and ${valSize} validation examples where another built ` +
								`${this.sizes.trainSize} and ${this.sizes.valSize}: spec ${this.spec.name} must make the same data in every worker`
						);
					}
					if (this.pool.instance(k) === instance) held.set(k, { instance, session: this.session });
				})
			);
		}
		await Promise.all(inits);
		if (!this.sizes) throw new Error('ensure: no worker was initialised');
		return this.sizes;
	}

	/** Mean loss and metrics of each shard of the validation split, with the shard's example count. */
	async evaluate(shards: number[][], step: number, batchSize: number): Promise<{ count: number; metrics: Metrics }[]> {
		await this.ensure(shards.length);
		const sources = this.exchange.sources(shards.length);
		return Promise.all(
			shards.map((indices, k) =>
				this.pool.request(
					k,
					{ type: 'evaluate', session: this.session, step, split: 'val', indices, batchSize, params: sources[k].source },
					sources[k].transfer
				)
			)
		);
	}

	/** The spec's snapshot tensors from worker 0, at a private copy of the current parameters. */
	async snapshot(split: SplitName, indices: number[], step: number): Promise<SnapshotReply> {
		await this.ensure(1);
		const { source, transfer } = this.exchange.copy();
		return this.pool.request(0, { type: 'snapshot', session: this.session, step, split, indices, params: source }, transfer);
	}

	/** Drop this session from the workers that still hold it. */
	async release(): Promise<void> {
		const held = this.held();
		const releases: Promise<unknown>[] = [];
		for (const [k, h] of held) {
			if (h.session !== this.session || h.instance !== this.pool.instance(k)) continue;
			held.delete(k);
			// A worker that died meanwhile has nothing left to free.
			releases.push(this.pool.request(k, { type: 'release', session: this.session }).catch(() => undefined));
		}
		await Promise.all(releases);
	}
}
