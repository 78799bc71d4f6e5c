/**
 * One kernel Worker at a time, and the single request in flight to it. Owns the low-level facts:
 * when the Worker is ready, which events belong to which request, when a request has run too
 * long. What to do after a Worker is killed (replaying state) is the Kernel's business.
 */
import type { KernelEvent, KernelRequest } from './protocol';

/** What the kernel needs of a Worker, so tests can hand it a fake one. */
export interface WorkerLike {
	postMessage(message: KernelRequest): void;
	terminate(): void;
	onmessage: ((e: MessageEvent<KernelEvent>) => void) | null;
	onerror: ((e: Event) => void) | null;
}

export type Abort = 'stopped' | 'timeout';

/** Loading the engine bundle into a Worker takes well under a second; past this something is broken. */
const START_TIMEOUT_MS = 15_000;

interface Pending {
	runId: number;
	replay: boolean;
	onEvent(e: KernelEvent): void;
	abort(status: Abort): void;
}

export interface ChannelHooks {
	/** A request ran past its time limit; the hook decides how to stop it (normally `kill`). */
	onTimeout(): void;
	/** The Worker reported something outside any request. */
	onLog(message: string): void;
}

export interface RequestHandlers<T> {
	/** Called with each event of this request; call `finish` with the answer once it is complete. */
	onEvent(e: KernelEvent, finish: (result: T) => void): void;
	/** The answer when the request is stopped or times out instead. */
	aborted(status: Abort): T;
}

export class WorkerChannel {
	#createWorker: () => WorkerLike;
	#hooks: ChannelHooks;
	#worker: WorkerLike | null = null;
	#generation = 0;
	#onReady: (() => void) | null = null;
	#abortSpawn: (() => void) | null = null;
	#pending: Pending | null = null;
	#nextRunId = 1;

	constructor(createWorker: () => WorkerLike, hooks: ChannelHooks) {
		this.#createWorker = createWorker;
		this.#hooks = hooks;
	}

	get alive(): boolean {
		return this.#worker !== null;
	}

	/** The request in flight, if any, and whether it is a replay. */
	get pending(): { replay: boolean } | null {
		return this.#pending && { replay: this.#pending.replay };
	}

	/** Start a fresh Worker and wait until it says it is ready; resolves to an error message on failure. */
	spawn(): Promise<string | null> {
		this.terminate();
		const generation = ++this.#generation;
		const worker = this.#createWorker();
		this.#worker = worker;
		return new Promise((resolve) => {
			const timer = setTimeout(() => done('the Worker did not answer'), START_TIMEOUT_MS);
			const done = (failure: string | null) => {
				clearTimeout(timer);
				this.#onReady = null;
				this.#abortSpawn = null;
				if (failure !== null) this.terminate();
				resolve(failure);
			};
			this.#onReady = () => done(null);
			this.#abortSpawn = () => done('the kernel was shut down while starting');
			// Events from a Worker that has since been replaced belong to nobody.
			worker.onmessage = (e) => generation === this.#generation && this.#onEvent(e.data);
			worker.onerror = (e) => {
				e.preventDefault();
				if (generation !== this.#generation) return;
				const message = (e as ErrorEvent).message;
				if (this.#onReady) done(message || 'the Worker failed to load');
				else this.#hooks.onLog(message || 'the kernel reported an error');
			};
		});
	}

	/** Post one request and settle with its answer, or with `handlers.aborted` when it is stopped or times out. */
	request<T>(timeoutMs: number, replay: boolean, make: (runId: number) => KernelRequest, handlers: RequestHandlers<T>): Promise<T> {
		const worker = this.#worker;
		if (!worker) return Promise.resolve(handlers.aborted('stopped'));
		const runId = this.#nextRunId++;
		return new Promise((resolve) => {
			const timer = setTimeout(() => this.#hooks.onTimeout(), timeoutMs);
			const finish = (result: T) => {
				clearTimeout(timer);
				if (this.#pending?.runId === runId) this.#pending = null;
				resolve(result);
			};
			this.#pending = { runId, replay, onEvent: (e) => handlers.onEvent(e, finish), abort: (status) => finish(handlers.aborted(status)) };
			worker.postMessage(make(runId));
		});
	}

	/** Terminate the Worker mid-request; returns the request that was cut short, if any. */
	kill(status: Abort): { replay: boolean } | null {
		const pending = this.#pending;
		this.terminate();
		pending?.abort(status);
		return pending && { replay: pending.replay };
	}

	terminate(): void {
		this.#abortSpawn?.();
		this.#worker?.terminate();
		this.#worker = null;
		this.#generation++;
	}

	#onEvent(e: KernelEvent): void {
		switch (e.type) {
			case 'ready':
				this.#onReady?.();
				return;
			case 'log':
				this.#hooks.onLog(e.message);
				return;
			case 'output':
			case 'result':
			case 'error':
			case 'checkResult':
				if (this.#pending?.runId === e.runId) this.#pending.onEvent(e);
				return;
			default: {
				const _: never = e;
				throw new Error(`unknown kernel event ${JSON.stringify(_)}`);
			}
		}
	}
}
