/**
 * The page's side of a notebook kernel: one Worker shared by every cell of a page, running them
 * one at a time in the order they were asked for.
 *
 * A Worker stuck in `while (true) {}` cannot be interrupted, only terminated, and terminating it
 * loses every variable. So the kernel logs the code of every run that succeeded and, after a stop,
 * a timeout or a restart, replays the log silently into a fresh Worker: the cells keep their state,
 * and the runaway cell, which never succeeded, is not replayed. The log keeps every successful run,
 * reruns included, because a rerun may build on the state before it (`step += 1`, another epoch of
 * training); replaying only each cell's latest code would not rebuild that state. Replay
 * recomputes values, so it restores them exactly when cells are deterministic; the kernel reseeds
 * the engine's default generator so unseeded `randn` is deterministic too. A replayed run that now
 * fails is dropped from the log.
 *
 * Time limits: a cell gets `DEFAULT_TIMEOUT_MS` unless it asks for more with a leading
 * `// @timeout 30s` comment (for training cells), or the caller passes `timeoutMs`.
 */
import type { CheckResult } from '../exercises';
import { WorkerChannel, type Abort, type WorkerLike } from './channel';
import { timeoutDirective } from './directives';
import type { CellOutput, ErrorOutput } from './protocol';
import type { KernelState, RunRequest, RunResult } from './types';

export type { WorkerLike } from './channel';
export type { KernelState, RunRequest, RunResult, RunStatus } from './types';

/** A runaway cell is stopped this long after it starts. */
export const DEFAULT_TIMEOUT_MS = 2000;
/** The longest a cell may ask for: a long training run belongs in a training widget, not a cell. */
export const MAX_TIMEOUT_MS = 10 * 60_000;
/** Checks only read tensors the learner already made. */
const CHECK_TIMEOUT_MS = 5000;

export interface KernelOptions {
	lessonSlug: string;
	createWorker?: () => WorkerLike;
	defaultTimeoutMs?: number;
}

type Job =
	| { kind: 'run'; req: RunRequest; resolve: (r: RunResult) => void }
	| { kind: 'check'; exerciseId: string; resolve: (r: CheckResult) => void };

type HistoryEntry = Omit<RunRequest, 'onOutput'>;

const createModuleWorker = (): WorkerLike => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }) as WorkerLike;

/**
 * @example
 * const kernel = new Kernel({ lessonSlug: 'playground' });
 * await kernel.run({ cellId: 'a', code: 'const w = randn([2, 2])', lang: 'ts' });
 * const { outputs } = await kernel.run({ cellId: 'b', code: 'w.softmax(-1)', lang: 'ts' }); // a tensor output
 */
export class Kernel {
	readonly lessonSlug: string;
	#channel: WorkerChannel;
	#defaultTimeout: number;
	#boot: Promise<boolean> | null = null;
	#queue: Job[] = [];
	#draining = false;
	#history: HistoryEntry[] = [];
	#listeners = new Set<(s: KernelState) => void>();
	#state: KernelState = { phase: 'off', running: null, queued: [], restore: null, message: null };

	constructor(options: KernelOptions) {
		this.lessonSlug = options.lessonSlug;
		this.#defaultTimeout = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.#channel = new WorkerChannel(options.createWorker ?? createModuleWorker, {
			onTimeout: () => this.#kill('timeout'),
			onLog: (message) => this.#set({ message })
		});
	}

	/** Svelte store contract: `$kernel` in a component is the current state. */
	subscribe(listener: (s: KernelState) => void): () => void {
		this.#listeners.add(listener);
		listener(this.#state);
		return () => this.#listeners.delete(listener);
	}
	get state(): KernelState {
		return this.#state;
	}
	/** The cell of each run a restart would replay, in order. */
	get restorable(): readonly string[] {
		return this.#history.map((h) => h.cellId);
	}

	/** Run a cell after every cell asked for before it. */
	run(req: RunRequest): Promise<RunResult> {
		return new Promise((resolve) => this.#enqueue({ kind: 'run', req, resolve }));
	}

	/** Run the check for `exerciseId` of this kernel's lesson against the variables cells have defined. */
	check(exerciseId: string): Promise<CheckResult> {
		return new Promise((resolve) => this.#enqueue({ kind: 'check', exerciseId, resolve }));
	}

	/** Stop the running cell and cancel queued ones; the kernel comes back with every earlier cell's state. */
	stop(): void {
		if (this.#channel.pending) this.#kill('stopped');
		else this.#cancelQueue();
	}

	/** Take a cell's waiting runs out of the queue; a run already going is left to `stop`. */
	cancel(cellId: string): void {
		const mine = this.#queue.filter((j) => j.kind === 'run' && j.req.cellId === cellId);
		this.#queue = this.#queue.filter((j) => !mine.includes(j));
		this.#syncQueue();
		for (const job of mine) if (job.kind === 'run') job.resolve(cancelled());
	}

	/** A fresh Worker, with the state of every cell that ran successfully replayed into it; `by` names the cell that asked. */
	restart(by: string | null = null): Promise<boolean> {
		const pending = this.#channel.pending;
		if (pending && !pending.replay) this.#kill('stopped');
		else if (this.#state.phase !== 'starting' && this.#state.phase !== 'restoring') {
			this.#channel.terminate();
			this.#boot = null;
		}
		return this.#ensure(by);
	}

	/** Forget every variable: nothing is replayed afterwards. */
	reset(): Promise<boolean> {
		this.#history = [];
		this.#cancelQueue();
		this.#set({ restore: null });
		return this.restart();
	}

	dispose(): void {
		this.#cancelQueue();
		this.#channel.kill('stopped');
		this.#boot = null;
		this.#set({ phase: 'off', running: null });
		this.#listeners.clear();
	}

	#enqueue(job: Job): void {
		this.#queue.push(job);
		this.#syncQueue();
		void this.#drain();
	}

	async #drain(): Promise<void> {
		if (this.#draining) return;
		this.#draining = true;
		try {
			while (this.#queue.length > 0) {
				if (!(await this.#ensure(null))) {
					this.#cancelQueue(`The kernel could not start: ${this.#state.message ?? 'unknown error'}`);
					break;
				}
				// A restart between the boot finishing and this line has already begun another boot.
				if (!this.#channel.alive || this.#state.phase !== 'idle') continue;
				const job = this.#queue.shift()!;
				this.#syncQueue();
				if (job.kind === 'run') {
					this.#set({ phase: 'busy', running: { cellId: job.req.cellId, since: performance.now() } });
					const result = await this.#send(job.req, false);
					const { onOutput: _, ...entry } = job.req;
					if (result.status === 'ok') this.#history.push(entry);
					job.resolve(result);
				} else {
					job.resolve(await this.#sendCheck(job.exerciseId));
				}
				// Unless a stop has already moved the kernel on to restarting, it is free for the next job.
				if (this.#phaseIs('busy')) this.#set({ phase: 'idle', running: null });
			}
		} finally {
			this.#draining = false;
		}
	}

	#ensure(by: string | null): Promise<boolean> {
		this.#boot ??= this.#start(by);
		return this.#boot;
	}

	async #start(by: string | null): Promise<boolean> {
		const failed: string[] = [];
		for (;;) {
			this.#set({ phase: 'starting', message: null });
			const failure = await this.#channel.spawn();
			if (failure !== null) {
				this.#set({ phase: 'failed', message: failure });
				// Let the next run try again rather than fail forever.
				this.#boot = null;
				return false;
			}
			const total = this.#history.length + failed.length;
			this.#set(total > 0 ? { phase: 'restoring', restore: { by, total, done: 0, failed, active: true } } : { restore: null });
			if (await this.#replay(by, total, failed)) break;
		}
		this.#set({ phase: 'idle', running: null });
		return true;
	}

	/** Replay the history into the new Worker; false when a replayed cell had to be killed, so a fresh Worker must start over. */
	async #replay(by: string | null, total: number, failed: string[]): Promise<boolean> {
		let done = 0;
		for (const entry of [...this.#history]) {
			const result = await this.#send(entry, true);
			if (result.status === 'ok') done++;
			else {
				this.#history = this.#history.filter((h) => h !== entry);
				failed.push(entry.cellId);
			}
			this.#set({ restore: { by, total, done, failed: [...failed], active: true } });
			if (result.status === 'timeout' || result.status === 'stopped') return false;
		}
		if (total > 0) this.#set({ restore: { by, total, done, failed: [...failed], active: false } });
		return true;
	}

	#send(req: RunRequest | HistoryEntry, replay: boolean): Promise<RunResult> {
		const timeoutMs = Math.min(req.timeoutMs ?? timeoutDirective(req.code) ?? this.#defaultTimeout, MAX_TIMEOUT_MS);
		const onOutput = 'onOutput' in req ? req.onOutput : undefined;
		const outputs: CellOutput[] = [];
		const started = performance.now();
		const make = (runId: number) => ({ type: 'run', runId, cellId: req.cellId, code: req.code, lang: req.lang, silent: replay }) as const;
		return this.#channel.request<RunResult>(timeoutMs, replay, make, {
			onEvent: (e, finish) => {
				if (e.type === 'output') {
					outputs.push(e.output);
					onOutput?.(e.output);
				} else if (e.type === 'result') finish({ status: 'ok', outputs, error: null, durationMs: e.durationMs, timeoutMs });
				else if (e.type === 'error')
					finish({ status: 'error', outputs: [...outputs, e.error], error: e.error, durationMs: e.durationMs, timeoutMs });
			},
			aborted: (status) => ({ status, outputs, error: null, durationMs: performance.now() - started, timeoutMs })
		});
	}

	#sendCheck(exerciseId: string): Promise<CheckResult> {
		const make = (runId: number) => ({ type: 'check', runId, lessonSlug: this.lessonSlug, exerciseId }) as const;
		return this.#channel.request<CheckResult>(CHECK_TIMEOUT_MS, false, make, {
			onEvent: (e, finish) => e.type === 'checkResult' && finish(e.result),
			aborted: (status) => ({
				pass: false,
				message: status === 'timeout' ? `The check did not finish within ${CHECK_TIMEOUT_MS / 1000} s.` : 'The check was stopped.'
			})
		});
	}

	/** End the Worker mid-run. A killed user cell brings the kernel straight back; a killed replay is retried by its own restore loop. */
	#kill(status: Abort): void {
		const by = this.#state.running?.cellId ?? null;
		const killed = this.#channel.kill(status);
		if (killed?.replay) return;
		this.#cancelQueue();
		this.#boot = null;
		this.#set({ phase: 'off', running: null });
		void this.#ensure(by);
	}

	#cancelQueue(message?: string): void {
		const jobs = this.#queue.splice(0);
		this.#syncQueue();
		const error: ErrorOutput | null = message ? { kind: 'error', name: 'KernelError', message, line: null, column: null } : null;
		for (const job of jobs) {
			if (job.kind === 'check') job.resolve({ pass: false, message: message ?? 'The check was cancelled.' });
			else job.resolve(error ? { status: 'error', outputs: [error], error, durationMs: 0, timeoutMs: 0 } : cancelled());
		}
	}

	#syncQueue(): void {
		this.#set({ queued: this.#queue.map((j) => (j.kind === 'run' ? j.req.cellId : j.exerciseId)) });
	}

	/** A method, not a property read, so TypeScript does not carry a narrowing of the phase across an `await`. */
	#phaseIs(phase: KernelState['phase']): boolean {
		return this.#state.phase === phase;
	}

	#set(patch: Partial<KernelState>): void {
		this.#state = { ...this.#state, ...patch };
		for (const listener of this.#listeners) listener(this.#state);
	}
}

function cancelled(): RunResult {
	return { status: 'cancelled', outputs: [], error: null, durationMs: 0, timeoutMs: 0 };
}
