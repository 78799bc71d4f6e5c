import { Rng, ValueError } from '../engine/index';
import type { Module } from '../nn/module';
import { clipGradNorm, gradNorm, type LrSchedule, type Optimizer } from '../optim/index';
import type { TrainEvent } from '../train/events';
import { MetricsMean, type Metrics } from '../train/metrics';
import type { SpecRef } from '../train/model-spec';
import { ParamExchange, canShareMemory, splitContiguous, weightedMeans, type ShardResult } from './exchange';
import { WorkerFault, type WorkerPool } from './pool';
import type { SnapshotTensor, SplitName } from './protocol';
import { ReplicaSet } from './replicas';
import { ABORTED, RunControl } from './run-control';

/** Four updates a second is as often as a chart needs; more would take worker 0's time from training. */
const DEFAULT_SNAPSHOT_MS = 250;

export interface DataParallelOptions<M extends Module> {
	pool: WorkerPool;
	/** What each worker builds its replica and data from. */
	spec: SpecRef;
	/** The coordinator's copy, built from the same spec: its parameters are the ones trained, checkpointed and edited. */
	model: M;
	/** Steps `model`'s parameters; it runs on the coordinator only, so its state exists once. */
	optimizer: Optimizer;
	batchSize: number;
	epochs: number;
	/** Seeds the shuffling (as `Trainer`'s) and the replicas' randomness. */
	seed: number;
	schedule?: LrSchedule;
	scheduleBy?: 'step' | 'epoch';
	clipNorm?: number;
	/** Validate on the spec's val split at each epoch's end (when it has one). Default true. */
	validate?: boolean;
	/** Exchange parameters and gradients through SharedArrayBuffers. Default: whenever `canShareMemory()`. */
	sharedMemory?: boolean;
	/** Ask worker 0 for the spec's snapshot tensors of these examples, at most every `intervalMs`. */
	snapshot?: { indices: number[]; split?: SplitName; intervalMs?: number };
	onEvent?: (event: TrainEvent) => void;
}

/** The spec's snapshot tensors after a step, as typed arrays. */
export interface TrainSnapshot {
	step: number;
	tensors: SnapshotTensor[];
}

/**
 * Data-parallel training over a worker pool: each batch is split into contiguous shards, each
 * worker computes the mean-loss gradient of its shard on its replica, and the coordinator
 * averages them weighted by shard size (the batch-mean gradient, to float32 rounding), clips,
 * and takes one optimizer step on its own model. Replicas read the coordinator's parameters
 * at every request, so they never drift apart. At the same seed the parameters match
 * `Trainer`'s to float32 rounding (exactly with one worker), for models without randomness.
 * Buffers (fixed, unlearned state) are not sent: each replica builds its own from the spec.
 *
 * The coordinator's own work per step is O(parameters): averaging, clipping, the update. It
 * uses no DOM, so it runs on a page or inside a Worker that owns the pool (nested Workers).
 *
 * Events are `Trainer`'s. A worker that throws or dies fails the step with an `error` event
 * naming it; the worker is replaced and `resume()` retries the step from the last good
 * parameters. `stop()` abandons a step in flight, so the model keeps the last applied step.
 *
 * @example
 * const pool = createBrowserPool(2);
 * const trainer = await DataParallelTrainer.create({ pool, spec: { name: 'classification', config },
 *   model, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), batchSize: 64, epochs: 5, seed: 1 });
 * trainer.onEvent((e) => e.type === 'step' && plot(e.step, e.loss));
 * await trainer.run();
 */
export class DataParallelTrainer<M extends Module> extends RunControl {
	readonly model: M;
	readonly trainSize: number;
	readonly stepsPerEpoch: number;
	readonly totalSteps: number;
	private readonly snapshotListeners = new Set<(snapshot: TrainSnapshot) => void>();
	private readonly rng: Rng;
	private order: number[] = [];
	private shuffledEpoch = -1;
	private pos = 0;
	private epochMeans = new MetricsMean();
	private lastSnapshot = -Infinity;

	/** Build the replicas (one `init` per worker) and learn the data's size from them. */
	static async create<M extends Module>(opts: DataParallelOptions<M>): Promise<DataParallelTrainer<M>> {
		for (const k of ['batchSize', 'epochs'] as const) {
			if (!Number.isInteger(opts[k]) || opts[k] < 1)
				throw new ValueError(`DataParallelTrainer: ${k} must be an integer ≥ 1, got ${opts[k]}`);
		}
		if (opts.clipNorm !== undefined && !(opts.clipNorm > 0))
			throw new ValueError(`DataParallelTrainer: clipNorm must be > 0, got ${opts.clipNorm}`);
		const shared = opts.sharedMemory ?? canShareMemory();
		if (shared && !canShareMemory()) throw new ValueError('DataParallelTrainer: sharedMemory needs cross-origin isolation here');
		const exchange = new ParamExchange(opts.model.parameters(), shared);
		const replicas = new ReplicaSet(opts.pool, opts.spec, opts.seed, opts.model, exchange);
		const sizes = await replicas.ensure(opts.pool.size);
		if (sizes.trainSize < 1) throw new ValueError(`DataParallelTrainer: spec ${opts.spec.name} has an empty training split`);
		return new DataParallelTrainer(opts, replicas, exchange, sizes);
	}

	private constructor(
		private readonly opts: DataParallelOptions<M>,
		private readonly replicas: ReplicaSet,
		private readonly exchange: ParamExchange,
		private readonly sizes: { trainSize: number; valSize: number }
	) {
		super();
		this.model = opts.model;
		this.rng = new Rng(opts.seed);
		this.trainSize = sizes.trainSize;
		this.stepsPerEpoch = Math.ceil(sizes.trainSize / opts.batchSize);
		this.totalSteps = this.stepsPerEpoch * opts.epochs;
		if (opts.onEvent) this.onEvent(opts.onEvent);
	}

	/** Whether parameters and gradients go through shared memory rather than copies. */
	get sharedMemory(): boolean {
		return this.exchange.shared;
	}

	onSnapshot(listener: (snapshot: TrainSnapshot) => void): () => void {
		this.snapshotListeners.add(listener);
		return () => this.snapshotListeners.delete(listener);
	}

	/** Stop, and free the replicas and their data in the workers; the pool stays up for other trainers. */
	async release(): Promise<void> {
		this.stop();
		await this.replicas.release();
	}

	protected async next(): Promise<void> {
		// A run that failed while validating resumes by validating again.
		if (this.pos >= this.trainSize) return this.endEpoch();
		if ((await this.advance()) && this.pos >= this.trainSize && this.live) await this.endEpoch();
	}

	/** What the parameters are after a step fails, for error messages. */
	private kept(): string {
		return this.step === 0 ? 'are still the initial ones' : `are those after step ${this.step}`;
	}

	/** A request failed: a faulty worker is replaced, and the run fails until `resume()` retries. */
	private interrupted(err: unknown, step: number, where: string): void {
		if (err instanceof WorkerFault) this.opts.pool.replace(err.worker);
		const reason = err instanceof Error ? err.message : String(err);
		this.fail(step, `${where}: ${reason}; the parameters ${this.kept()}, and resume() retries from there.`);
	}

	/** Every shard's gradient at the current parameters, or null when the step failed or was stopped. */
	private async shardGradients(stepNo: number, indices: number[], where: string): Promise<ShardResult[] | null> {
		const { pool } = this.opts;
		const shards = splitContiguous(indices, pool.size);
		const session = this.replicas.session;
		try {
			const ready = await this.unlessStopped(this.replicas.ensure(shards.length));
			if (ready !== ABORTED) {
				const sources = this.exchange.sources(shards.length);
				const requests = shards.map((shard, k) =>
					pool.request(
						k,
						{ type: 'computeGrads', session, step: stepNo, shard: k, indices: shard, params: sources[k].source },
						sources[k].transfer
					)
				);
				const replies = await this.unlessStopped(Promise.all(requests));
				if (replies !== ABORTED) return replies.map((reply, worker) => ({ worker, reply }));
			}
		} catch (err) {
			this.interrupted(err, stepNo, where);
		}
		return null;
	}

	/** One optimizer step from every shard's gradient. False when the step was not applied. */
	private async advance(): Promise<boolean> {
		const { optimizer, batchSize, schedule } = this.opts;
		const stepNo = this.step + 1;
		const where = `Step ${stepNo} (epoch ${this.epoch + 1})`;
		if (this.pos === 0 && this.shuffledEpoch !== this.epoch) {
			this.order = this.rng.shuffle(Array.from({ length: this.trainSize }, (_, i) => i));
			this.shuffledEpoch = this.epoch;
		}
		const indices = this.order.slice(this.pos, this.pos + batchSize);
		if (schedule) optimizer.lr = schedule.get(this.opts.scheduleBy === 'epoch' ? this.epoch : this.step);
		const results = await this.shardGradients(stepNo, indices, where);
		if (!results) return false;
		const { loss, ...metrics } = weightedMeans(results.map((r) => r.reply));
		const advice = `training stopped without applying this step, so the parameters ${this.kept()}. Try a lower learning rate (it is ${optimizer.lr}).`;
		if (!Number.isFinite(loss)) {
			this.fail(stepNo, `${where}: the loss is ${loss}; ${advice}`);
			return false;
		}
		this.exchange.gather(results);
		const norm = this.opts.clipNorm === undefined ? gradNorm(optimizer.params) : clipGradNorm(optimizer.params, this.opts.clipNorm);
		if (!Number.isFinite(norm)) {
			this.fail(stepNo, `${where}: the gradient norm is ${norm}; ${advice}`);
			return false;
		}
		optimizer.step();
		this.step++;
		this.pos += indices.length;
		this.countStep();
		this.epochMeans.add({ loss, ...metrics }, indices.length);
		this.emit({ type: 'step', step: this.step, epoch: this.epoch + 1, loss, lr: optimizer.lr, gradNorm: norm, metrics });
		await this.maybeSnapshot();
		return true;
	}

	private async endEpoch(): Promise<void> {
		let val: Metrics | null = null;
		if ((this.opts.validate ?? true) && this.sizes.valSize > 0) {
			const where = `After epoch ${this.epoch + 1}`;
			const indices = Array.from({ length: this.sizes.valSize }, (_, i) => i);
			const shards = splitContiguous(indices, this.opts.pool.size);
			try {
				const done = await this.unlessStopped(this.replicas.evaluate(shards, this.step, this.opts.batchSize));
				if (done === ABORTED) return;
				val = weightedMeans(done);
			} catch (err) {
				return this.interrupted(err, this.step, where);
			}
		}
		this.emit({ type: 'epoch', epoch: this.epoch + 1, step: this.step, train: this.epochMeans.get(), val });
		this.epochMeans.reset();
		this.pos = 0;
		this.epoch++;
		if (this.epoch >= this.opts.epochs) this.end(false);
	}

	/** Throttled: worker 0 computes the spec's snapshot tensors at a private copy of the parameters. */
	private async maybeSnapshot(): Promise<void> {
		const opts = this.opts.snapshot;
		if (!opts || this.snapshotListeners.size === 0) return;
		const now = performance.now();
		if (now - this.lastSnapshot < (opts.intervalMs ?? DEFAULT_SNAPSHOT_MS)) return;
		this.lastSnapshot = now;
		const split = opts.split ?? 'train';
		try {
			const reply = await this.unlessStopped(this.replicas.snapshot(split, opts.indices, this.step));
			if (reply === ABORTED) return;
			for (const l of this.snapshotListeners) l({ step: reply.step, tensors: reply.tensors });
		} catch (err) {
			// The step itself was applied; a failed snapshot fails the run so the fault is seen, and resume() goes on.
			this.interrupted(err, this.step, `Snapshot after step ${this.step}`);
		}
	}
}
