import { ValueError } from '../engine/index';
import { eventStream } from '../train/event-stream';
import type { StepEvent, TrainEvent } from '../train/events';
import { yieldToEventLoop } from '../train/event-loop';
import type { TrainerStatus } from '../train/trainer';

export const ABORTED = Symbol('aborted');

/**
 * The run state machine of a trainer whose steps are asynchronous: run, pause and resume
 * between steps, stop at once (abandoning a step in flight), fail and retry. Subclasses do the
 * work in `next()` and report through `emit`, `end` and `fail`; `unlessStopped` lets them
 * abandon a pending request when `stop()` comes.
 */
export abstract class RunControl {
	protected step = 0;
	protected epoch = 0;
	private _status: TrainerStatus = 'ready';
	private readonly listeners = new Set<(event: TrainEvent) => void>();
	private loop: Promise<void> | null = null;
	private wake: (() => void) | null = null;
	private abort: (() => void) | null = null;
	/** The step being computed, if any. */
	private inFlight: Promise<void> | null = null;
	private stopRequested = false;
	private budget = Infinity;

	/** One unit of work: a step, or an epoch's end left pending by a failure. */
	protected abstract next(): Promise<void>;

	get status(): TrainerStatus {
		return this._status;
	}
	/** Steps applied so far. */
	get stepsDone(): number {
		return this.step;
	}
	protected get finished(): boolean {
		return this._status === 'done' || this._status === 'stopped';
	}
	/** Whether work should go on: not finished, failed or stopping. */
	protected get live(): boolean {
		return this._status === 'running' && !this.stopRequested;
	}

	/** Add a listener; returns a function that removes it. */
	onEvent(listener: (event: TrainEvent) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}
	/** Every event from now on, ending after `done` or `error`. */
	events(): AsyncIterableIterator<TrainEvent> {
		return eventStream((l) => this.onEvent(l));
	}

	/** Train until every epoch has run, `stop()` is called or a step fails (then `resume()` retries it). */
	run(): Promise<void> {
		if (this.loop) throw new ValueError(`${this.constructor.name}.run: already running`);
		if (this.finished) throw new ValueError(`${this.constructor.name}.run: cannot run a trainer that is ${this._status}`);
		if (this._status !== 'paused') this._status = 'running';
		this.loop = this.runLoop().finally(() => (this.loop = null));
		return this.loop;
	}

	/** Run `n` more steps (fewer if training ends), then pause. Resolves with their step events. */
	async runSteps(n: number): Promise<StepEvent[]> {
		const events: StepEvent[] = [];
		const off = this.onEvent((e) => e.type === 'step' && events.push(e));
		this.budget = n;
		try {
			if (this._status === 'paused') this._status = 'running';
			await this.run();
		} finally {
			off();
			this.budget = Infinity;
		}
		return events;
	}

	/** Finish the current step, then wait until `resume()` or `stop()`. */
	pause(): void {
		if (this._status === 'running' || this._status === 'ready') this._status = 'paused';
	}

	/** Continue a paused run, or retry a failed step from the last good parameters. Resolves when the run ends. */
	resume(): Promise<void> {
		if (this._status !== 'paused' && this._status !== 'failed') return this.loop ?? Promise.resolve();
		this._status = 'running';
		if (!this.loop) return this.run();
		this.wakeUp();
		return this.loop;
	}

	/** End now with a `done` event marked `stopped`; a step in flight is abandoned, so the model keeps the last applied step. */
	stop(): void {
		if (this.finished) return;
		this.stopRequested = true;
		this.abort?.();
		if (!this.loop) this.end(true);
		this.wakeUp();
	}

	protected emit(event: TrainEvent): void {
		for (const l of this.listeners) l(event);
	}

	protected end(stopped: boolean): void {
		this._status = stopped ? 'stopped' : 'done';
		this.emit({ type: 'done', step: this.step, epoch: this.epoch, stopped });
	}

	protected fail(step: number, message: string): void {
		this._status = 'failed';
		this.emit({ type: 'error', step, epoch: this.epoch + 1, message });
	}

	/** Count an applied step against `runSteps`' budget. */
	protected countStep(): void {
		this.budget--;
	}

	/** Wait for `work` unless `stop()` comes first; then the work's result, arriving later, is ignored. */
	protected async unlessStopped<T>(work: Promise<T>): Promise<T | typeof ABORTED> {
		if (this.stopRequested) return ABORTED;
		const stopped = new Promise<typeof ABORTED>((resolve) => (this.abort = () => resolve(ABORTED)));
		try {
			return await Promise.race([work, stopped]);
		} finally {
			this.abort = null;
		}
	}

	/** Resolves once no step is in flight: after `pause()`, when the step that was running has reported. */
	async idle(): Promise<void> {
		await this.inFlight?.catch(() => undefined);
	}

	private wakeUp(): void {
		this.wake?.();
		this.wake = null;
	}

	private async runLoop(): Promise<void> {
		while (!this.finished && this._status !== 'failed') {
			await yieldToEventLoop();
			while (this._status === 'paused' && !this.stopRequested) await new Promise<void>((resolve) => (this.wake = resolve));
			if (this.stopRequested) return this.end(true);
			if (this.budget <= 0) {
				this._status = 'paused';
				return;
			}
			this.inFlight = this.next();
			try {
				await this.inFlight;
			} finally {
				this.inFlight = null;
			}
			if (this.stopRequested && !this.finished) return this.end(true);
		}
	}
}
