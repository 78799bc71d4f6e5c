import { Rng, ValueError, noGrad, type Tensor } from '../engine/index';
import type { Module } from '../nn/module';
import { clipGradNorm, gradNorm, type LrSchedule, type Optimizer } from '../optim/index';
import type { StepEvent, TrainEvent } from './events';
import { eventStream } from './event-stream';
import { MetricsMean, type Metrics } from './metrics';
import { yieldToEventLoop } from './event-loop';

/** Examples addressed by index; a batch is whatever the loss function takes. */
export interface Dataset<B> {
	readonly size: number;
	getBatch(indices: number[]): B;
}

/** The loss of one batch (a scalar with a graph) and any metrics to report with it. */
export interface StepOutput {
	loss: Tensor;
	metrics?: Metrics;
}

export interface TrainerOptions<M extends Module, B> {
	model: M;
	optimizer: Optimizer;
	lossFn: (model: M, batch: B) => StepOutput;
	data: Dataset<B>;
	valData?: Dataset<B>;
	/** Validation at the end of each epoch; by default the mean loss and metrics of `lossFn` over `valData`. */
	evaluate?: (model: M, valData: Dataset<B> | undefined) => Metrics;
	batchSize: number;
	epochs: number;
	/** Seeds the shuffling: the same seed, model and data give the same parameters every run. */
	seed: number;
	/** Sets the optimizer's rate before every step (or, with `scheduleBy: 'epoch'`, from the epoch index). */
	schedule?: LrSchedule;
	scheduleBy?: 'step' | 'epoch';
	/** Clip the total gradient norm to this before each update. */
	clipNorm?: number;
	/** Steps between yields to the event loop in `run()`; each yield lets pause/stop messages in. */
	yieldEvery?: number;
	onEvent?: (event: TrainEvent) => void;
}

export type TrainerStatus = 'ready' | 'running' | 'paused' | 'done' | 'stopped' | 'failed';

/**
 * Trains a model with mini-batches in seeded random order and reports every step, epoch
 * and ending as a `TrainEvent`. `run()` is asynchronous and can be paused, resumed and
 * stopped between steps; `trainSteps(n)` does the same work synchronously.
 *
 * A step whose loss or gradient is NaN or infinite is not applied: training stops with
 * an `error` event and the parameters keep the values of the last good step.
 *
 * @example
 * const trainer = new Trainer({ model, optimizer: new Adam(model.parameters(), { lr: 1e-2 }),
 *   lossFn: (m, b) => ({ loss: mseLoss(m.forward(b.x), b.y) }), data, batchSize: 16, epochs: 5, seed: 1 });
 * trainer.onEvent((e) => e.type === 'step' && plot(e.step, e.loss));
 * await trainer.run();
 */
export class Trainer<M extends Module, B> {
	readonly stepsPerEpoch: number;
	readonly totalSteps: number;
	private readonly opts: TrainerOptions<M, B>;
	private readonly rng: Rng;
	private readonly listeners = new Set<(event: TrainEvent) => void>();
	private _status: TrainerStatus = 'ready';
	private step = 0;
	private epoch = 0;
	private order: number[] = [];
	private pos = 0;
	private epochMeans = new MetricsMean();
	private wake: (() => void) | null = null;
	private stopRequested = false;

	constructor(opts: TrainerOptions<M, B>) {
		for (const k of ['batchSize', 'epochs', 'yieldEvery'] as const) {
			const v = opts[k] ?? 1;
			if (!Number.isInteger(v) || v < 1) throw new ValueError(`Trainer: ${k} must be an integer ≥ 1, got ${v}`);
		}
		if (!Number.isInteger(opts.data.size) || opts.data.size < 1)
			throw new ValueError(`Trainer: the dataset is empty (size ${opts.data.size})`);
		if (opts.clipNorm !== undefined && !(opts.clipNorm > 0)) throw new ValueError(`Trainer: clipNorm must be > 0, got ${opts.clipNorm}`);
		this.opts = opts;
		this.rng = new Rng(opts.seed);
		this.stepsPerEpoch = Math.ceil(opts.data.size / opts.batchSize);
		this.totalSteps = this.stepsPerEpoch * opts.epochs;
		if (opts.onEvent) this.listeners.add(opts.onEvent);
	}

	get status(): TrainerStatus {
		return this._status;
	}
	/** Steps applied so far. */
	get stepsDone(): number {
		return this.step;
	}
	private get finished(): boolean {
		return this._status === 'done' || this._status === 'stopped' || this._status === 'failed';
	}

	/** Add a listener; returns a function that removes it. */
	onEvent(listener: (event: TrainEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Every event from now on, ending after `done` or `error`. */
	events(): AsyncIterableIterator<TrainEvent> {
		return eventStream((listener) => this.onEvent(listener));
	}

	/** Train until every epoch has run, `stop()` is called or a step fails. */
	async run(): Promise<void> {
		if (this._status !== 'ready' && this._status !== 'paused')
			throw new ValueError(`Trainer.run: cannot run a trainer that is ${this._status}`);
		if (this._status === 'ready') this._status = 'running';
		const every = this.opts.yieldEvery ?? 1;
		let sinceYield = 0;
		while (!this.finished) {
			if (++sinceYield >= every) {
				sinceYield = 0;
				await yieldToEventLoop();
			}
			while (this._status === 'paused' && !this.stopRequested) await new Promise<void>((resolve) => (this.wake = resolve));
			if (this.stopRequested) {
				this.end(true);
				break;
			}
			this.advance(false);
		}
	}

	/** Finish the current step, then wait until `resume()` or `stop()`. */
	pause(): void {
		if (this._status === 'running' || this._status === 'ready') this._status = 'paused';
	}
	resume(): void {
		if (this._status !== 'paused') return;
		this._status = 'running';
		this.wakeUp();
	}
	/** Finish the current step and end with a `done` event marked `stopped`. */
	stop(): void {
		if (this.finished) return;
		this.stopRequested = true;
		if (this._status === 'ready') this.end(true);
		this.wakeUp();
	}

	/** Run `n` steps (fewer if training ends) synchronously, for tests and scripts. Returns their step events. */
	trainSteps(n: number): StepEvent[] {
		if (this._status !== 'ready') throw new ValueError(`Trainer.trainSteps: cannot train a trainer that is ${this._status}`);
		const events: StepEvent[] = [];
		for (let i = 0; i < n && !this.finished; i++) {
			const e = this.advance(true);
			if (e) events.push(e);
		}
		return events;
	}

	private wakeUp(): void {
		this.wake?.();
		this.wake = null;
	}

	private emit(event: TrainEvent): void {
		for (const l of this.listeners) l(event);
	}

	private end(stopped: boolean): void {
		this._status = stopped ? 'stopped' : 'done';
		this.emit({ type: 'done', step: this.step, epoch: this.epoch, stopped });
	}

	private fail(step: number, message: string): void {
		this._status = 'failed';
		this.emit({ type: 'error', step, epoch: this.epoch + 1, message });
	}

	/** One optimizer step, then the epoch's end if it was the epoch's last batch. */
	private advance(rethrow: boolean): StepEvent | null {
		const stepNo = this.step + 1;
		const event = this.guard(rethrow, stepNo, `Step ${stepNo} (epoch ${this.epoch + 1})`, () => this.applyStep(stepNo));
		if (event === null) return null;
		// Outside the guard: an exception from a listener is the listener's bug, not a failed step.
		this.emit(event);
		if (this.pos >= this.opts.data.size) this.guard(rethrow, this.step, `After epoch ${this.epoch + 1}`, () => this.endEpoch());
		return event;
	}

	/** Run `fn`; if it throws, end training with an error event (and rethrow when asked, for synchronous callers). */
	private guard<T>(rethrow: boolean, step: number, where: string, fn: () => T | null): T | null {
		try {
			return fn();
		} catch (err) {
			// Training already ended (a listener threw on the final event): no second ending.
			if (this.finished) throw err;
			this.fail(step, `${where}: ${err instanceof Error ? err.message : String(err)}`);
			if (rethrow) throw err;
			return null;
		}
	}

	private applyStep(stepNo: number): StepEvent | null {
		const { model, optimizer, lossFn, data, batchSize, schedule } = this.opts;
		if (this.pos === 0) this.order = this.rng.shuffle(Array.from({ length: data.size }, (_, i) => i));
		const indices = this.order.slice(this.pos, this.pos + batchSize);
		if (schedule) optimizer.lr = schedule.get(this.opts.scheduleBy === 'epoch' ? this.epoch : this.step);
		model.train();
		optimizer.zeroGrad();
		const out = lossFn(model, data.getBatch(indices));
		const loss = out.loss.item();
		const kept = this.step === 0 ? 'are still the initial ones' : `are those after step ${this.step}`;
		const advice = `training stopped without applying this step, so the parameters ${kept}. Try a lower learning rate (it is ${optimizer.lr}).`;
		const where = `Step ${stepNo} (epoch ${this.epoch + 1})`;
		if (!Number.isFinite(loss)) {
			this.fail(stepNo, `${where}: the loss is ${loss}; ${advice}`);
			return null;
		}
		out.loss.backward();
		const norm = this.opts.clipNorm === undefined ? gradNorm(optimizer.params) : clipGradNorm(optimizer.params, this.opts.clipNorm);
		if (!Number.isFinite(norm)) {
			this.fail(stepNo, `${where}: the gradient norm is ${norm}; ${advice}`);
			return null;
		}
		optimizer.step();
		this.step++;
		this.pos += indices.length;
		const metrics = out.metrics ?? {};
		this.epochMeans.add({ loss, ...metrics }, indices.length);
		return { type: 'step', step: this.step, epoch: this.epoch + 1, loss, lr: optimizer.lr, gradNorm: norm, metrics };
	}

	private endEpoch(): void {
		const train = this.epochMeans.get();
		const val = this.opts.evaluate || this.opts.valData ? this.validate() : null;
		this.emit({ type: 'epoch', epoch: this.epoch + 1, step: this.step, train, val });
		this.epochMeans.reset();
		this.pos = 0;
		this.epoch++;
		if (this.epoch >= this.opts.epochs) this.end(false);
	}

	private validate(): Metrics {
		const { model, valData, evaluate, lossFn, batchSize } = this.opts;
		model.eval();
		try {
			if (evaluate) return evaluate(model, valData);
			const means = new MetricsMean();
			noGrad(() => {
				for (let start = 0; start < valData!.size; start += batchSize) {
					const indices = Array.from({ length: Math.min(batchSize, valData!.size - start) }, (_, i) => start + i);
					const out = lossFn(model, valData!.getBatch(indices));
					means.add({ loss: out.loss.item(), ...out.metrics }, indices.length);
				}
			});
			return means.get();
		} finally {
			model.train();
		}
	}
}
