/**
 * The training Worker's whole behaviour, as a class with no Worker in it: commands in
 * (`ToSession`), throttled messages out (`FromSession`) through the `post` it is given. The
 * Worker entry (`train-worker.ts`) only wires it to `onmessage`; tests drive it directly.
 *
 * Rewind and replay: the parameters are kept every few steps (`RewindStore`, bounded). A replay
 * from step k does not restart from that snapshot, because the run's state at k is more than its
 * parameters: AdamW's moments, the schedule's position and the shuffled order of the epoch. It
 * re-runs from the run's initial parameters, silently, up to k (a `catchup` message reports how
 * far it got) and then reports steps k + 1 onwards as usual. Training is seeded and, on the same
 * number of workers, deterministic, so the replay's parameters at k are the snapshot's and its
 * curve from k on is the original's, value for value. Catching up costs k steps' time.
 */
import { ValueError } from '../engine/index';
import type { LabConfig } from '../lab/config';
import type { TrainEvent } from '../train/events';
import type { WorkerPool } from './pool';
import type { FromSession, SessionStatus, StepPoint, ToSession } from './train-protocol';
import { RewindStore } from './train-rewind';
import { checkWorkers, createRun, paramsOf, type TrainRun } from './train-run';

/** Four messages a second is as often as a chart needs; the page gets a frame's worth of work at most. */
export const PROGRESS_MS = 250;
/** Steps between rewind snapshots at first; it doubles whenever `REWIND_CAPACITY` are held. */
export const REWIND_EVERY = 5;
/** Snapshots kept: with the classifier's ~10k parameters, 64 of them are about 2.5 MB. */
export const REWIND_CAPACITY = 64;
/** Steps a benchmark runs before timing, so building the replicas and the first, slower steps do not count. */
const BENCH_WARMUP_STEPS = 3;
/** Fewer timed steps than this make a rate that is mostly rounding of where the window ends. */
const BENCH_MIN_STEPS = 4;
/** The window over which steps per second are measured. */
const RATE_WINDOW_MS = 3000;

export interface SessionOptions {
	/** Send a message to the page; `params` buffers are copies the session no longer uses. */
	post(message: FromSession): void;
	/** A pool of `size` workers for runs on two or more; the session reuses it while the size stays. */
	createPool(size: number): WorkerPool;
	now?: () => number;
	progressMs?: number;
	rewindEvery?: number;
	rewindCapacity?: number;
}

interface Current {
	id: number;
	run: TrainRun;
	config: LabConfig;
	workers: number;
	/** The parameters the run started from: a replay starts from them again. */
	initial: Float32Array;
	off: () => void;
	step: number;
	/** While a replay catches up: the step from which it reports again. */
	catchUp: number | null;
	/** The step a replay started from (0 for a start): nothing up to it is reported again. */
	from: number;
}

/**
 * Commands are handled one at a time, in order; a run trains in the background between them,
 * yielding after every step, so `pause`, `stop` and `seek` arrive while it trains.
 *
 * @example
 * const session = new TrainSession({ post: (m) => self.postMessage(m), createPool: createBrowserPool });
 * self.onmessage = (e) => session.handle(e.data);
 */
export class TrainSession {
	private current: Current | null = null;
	private pool: WorkerPool | null = null;
	private benchRun: TrainRun | null = null;
	private nextId = 1;
	private queue: Promise<void> = Promise.resolve();
	private pending: StepPoint[] = [];
	private lastFlush = -Infinity;
	private lastCatchUp = -Infinity;
	private samples: { t: number; step: number }[] = [];
	private readonly rewind: RewindStore;
	private readonly now: () => number;
	private readonly progressMs: number;

	constructor(private readonly opts: SessionOptions) {
		this.now = opts.now ?? (() => performance.now());
		this.progressMs = opts.progressMs ?? PROGRESS_MS;
		this.rewind = new RewindStore(opts.rewindEvery ?? REWIND_EVERY, opts.rewindCapacity ?? REWIND_CAPACITY);
	}

	/** Queue a command; resolves once it has been handled (not when the run it starts ends). */
	handle(msg: ToSession): Promise<void> {
		// A benchmark holds the queue for seconds; stopping it cannot wait behind it.
		if (msg.type === 'stop' || msg.type === 'dispose') this.benchRun?.stop();
		this.queue = this.queue.then(() => this.dispatch(msg)).catch((err) => this.refuse(msg.type, err));
		return this.queue;
	}

	/** The current run's promise-free state, for tests and the Worker's error handler. */
	get status(): SessionStatus | 'idle' {
		const c = this.current;
		if (!c) return 'idle';
		if (c.catchUp !== null && c.run.status === 'running') return 'replaying';
		return c.run.status === 'ready' ? 'running' : c.run.status;
	}

	private async dispatch(msg: ToSession): Promise<void> {
		switch (msg.type) {
			case 'start':
				return this.start(msg.config, msg.workers, msg.params);
			case 'replay':
				return this.replay(msg.step);
			case 'seek':
				return this.seek(msg.step);
			case 'bench':
				return this.bench(msg.config, msg.workers, msg.ms);
			case 'pause':
				return this.pause();
			case 'resume':
				return this.resume();
			case 'stop':
				this.current?.run.stop();
				return;
			case 'dispose':
				await this.release();
				this.pool?.terminate();
				this.pool = null;
				return;
			default: {
				const _exhaustive: never = msg;
				throw new ValueError(`unknown command ${JSON.stringify(_exhaustive)}`);
			}
		}
	}

	private refuse(command: ToSession['type'], err: unknown): void {
		this.opts.post({ type: 'refused', command, message: err instanceof Error ? err.message : String(err) });
	}

	private poolFor(workers: number): WorkerPool | null {
		if (workers === 1) return null;
		if (this.pool?.size === workers) return this.pool;
		this.pool?.terminate();
		this.pool = this.opts.createPool(workers);
		return this.pool;
	}

	/** Stop the current run and free its replicas; its later events are not reported. */
	private async release(): Promise<void> {
		const c = this.current;
		if (!c) return;
		this.current = null;
		c.off();
		await c.run.release();
	}

	private async start(config: LabConfig, workers: number, params: Float32Array | null): Promise<void> {
		checkWorkers(workers);
		const run = await createRun(config, workers, params, this.poolFor(workers));
		await this.release();
		this.rewind.clear();
		this.begin(run, config, workers, paramsOf(run), null);
	}

	private async replay(step: number): Promise<void> {
		const c = this.current;
		if (!c) throw new ValueError('there is no run to replay');
		if (!Number.isInteger(step) || step < 0 || step > c.step)
			throw new ValueError(`can replay from steps 0 to ${c.step} of this run, not ${step}`);
		const { config, workers, initial } = c;
		await this.release();
		const run = await createRun(config, workers, initial, this.poolFor(workers));
		this.rewind.truncate(step);
		this.begin(run, config, workers, initial, step);
	}

	private begin(run: TrainRun, config: LabConfig, workers: number, initial: Float32Array, from: number | null): void {
		const id = this.nextId++;
		const c: Current = { id, run, config, workers, initial, off: () => {}, step: 0, catchUp: from || null, from: from ?? 0 };
		c.off = run.onEvent((e) => this.onEvent(c, e));
		this.current = c;
		this.pending = [];
		this.samples = [];
		this.lastFlush = this.now();
		this.rewind.record(0, initial);
		const { totalSteps, stepsPerEpoch, sharedMemory } = run;
		this.opts.post({ type: 'started', run: id, totalSteps, stepsPerEpoch, workers, sharedMemory, from: from ?? 0 });
		this.opts.post({ type: 'status', run: id, status: this.status as SessionStatus, step: 0 });
		run.run().catch((err) => {
			const message = err instanceof Error ? err.message : String(err);
			this.opts.post({ type: 'failed', run: id, step: c.step, message, resumable: false });
		});
	}

	private onEvent(c: Current, e: TrainEvent): void {
		const post = this.opts.post;
		switch (e.type) {
			case 'step': {
				c.step = e.step;
				this.sample(e.step);
				if (c.catchUp !== null) return this.catchingUp(c);
				this.pending.push({ step: e.step, epoch: e.epoch, loss: e.loss, metrics: e.metrics });
				if (this.rewind.due(e.step)) this.rewind.record(e.step, paramsOf(c.run));
				if (this.now() - this.lastFlush >= this.progressMs || c.run.status !== 'running') this.flush(c);
				return;
			}
			case 'epoch':
				if (e.step <= c.from) return;
				this.flush(c);
				post({ type: 'epoch', run: c.id, epoch: e.epoch, step: e.step, train: e.train, val: e.val });
				return;
			case 'done':
				this.flush(c);
				post({ type: 'status', run: c.id, status: e.stopped ? 'stopped' : 'done', step: c.step });
				return;
			case 'error':
				this.flush(c);
				post({ type: 'failed', run: c.id, step: e.step, message: e.message, resumable: c.run.resumable });
				return;
			default: {
				const _exhaustive: never = e;
				throw new ValueError(`unknown event ${JSON.stringify(_exhaustive)}`);
			}
		}
	}

	/** A silent step of a replay; at its target the replay reports as a run again. */
	private catchingUp(c: Current): void {
		const target = c.catchUp as number;
		if (c.step >= target) {
			c.catchUp = null;
			this.lastFlush = -Infinity;
			this.flush(c);
			this.opts.post({ type: 'status', run: c.id, status: this.status as SessionStatus, step: c.step });
		} else if (this.now() - this.lastCatchUp >= this.progressMs) {
			this.lastCatchUp = this.now();
			this.opts.post({ type: 'catchup', run: c.id, step: c.step, target });
		}
	}

	private sample(step: number): void {
		const t = this.now();
		this.samples.push({ t, step });
		while (this.samples.length > 2 && t - this.samples[0].t > RATE_WINDOW_MS) this.samples.shift();
	}

	private rate(): number {
		const first = this.samples[0];
		const last = this.samples[this.samples.length - 1];
		if (!first || last.t <= first.t) return 0;
		return ((last.step - first.step) * 1000) / (last.t - first.t);
	}

	/** Send the steps since the last message with the parameters now. */
	private flush(c: Current): void {
		this.lastFlush = this.now();
		const points = this.pending;
		this.pending = [];
		this.opts.post({
			type: 'progress',
			run: c.id,
			step: c.step,
			points,
			params: paramsOf(c.run),
			stepsPerSecond: this.rate(),
			rewind: this.rewind.steps()
		});
	}

	/** Pause, and say so once the step in flight (a parallel step cannot be cut short) has reported. */
	private async pause(): Promise<void> {
		const c = this.current;
		if (!c || c.run.status !== 'running') throw new ValueError(`cannot pause: training is ${this.status}`);
		c.run.pause();
		await c.run.idle();
		// A stop or a resume may have come while the step finished; then that has reported instead.
		const now: string = c.run.status;
		if (this.current !== c || now !== 'paused') return;
		this.samples = [];
		this.flush(c);
		this.opts.post({ type: 'status', run: c.id, status: 'paused', step: c.step });
	}

	private resume(): void {
		const c = this.current;
		const status = c?.run.status;
		if (!c || !(status === 'paused' || (status === 'failed' && c.run.resumable)))
			throw new ValueError(status === 'failed' ? 'this run cannot resume; start it again' : `cannot resume: training is ${this.status}`);
		this.samples = [];
		void c.run.resume();
		this.opts.post({ type: 'status', run: c.id, status: this.status as SessionStatus, step: c.step });
	}

	private seek(step: number): void {
		const c = this.current;
		const snap = this.rewind.at(step);
		if (!c || !snap) throw new ValueError(`no snapshot at or before step ${step}`);
		this.opts.post({ type: 'params', run: c.id, step: snap.step, params: snap.params.slice() });
	}

	/** Time at least `ms` and a few steps of training after a short warm-up; the current run is stopped first. */
	private async bench(config: LabConfig, workers: number, ms: number): Promise<void> {
		checkWorkers(workers);
		if (!(ms > 0)) throw new ValueError(`a benchmark needs a duration in ms > 0, got ${ms}`);
		await this.release();
		const run = await createRun(config, workers, null, this.poolFor(workers));
		this.benchRun = run;
		let steps = 0;
		let t0 = 0;
		let elapsed = 0;
		run.onEvent((e) => {
			if (e.type !== 'step') return;
			steps++;
			if (steps === BENCH_WARMUP_STEPS) t0 = this.now();
			elapsed = this.now() - t0;
			if (steps >= BENCH_WARMUP_STEPS + BENCH_MIN_STEPS && elapsed >= ms) run.stop();
		});
		try {
			await run.run();
		} finally {
			this.benchRun = null;
			await run.release();
		}
		const timed = Math.max(0, steps - BENCH_WARMUP_STEPS);
		if (run.status === 'failed' || timed === 0) throw new ValueError(`the benchmark on ${workers} workers did not complete a timed step`);
		this.opts.post({ type: 'bench', workers, steps: timed, ms: elapsed, stepsPerSecond: (timed * 1000) / elapsed });
	}
}
