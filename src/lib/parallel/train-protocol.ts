/**
 * Every message between the page and its training Worker (`train-worker.ts`), as one
 * discriminated union both sides import. The page sends commands; the Worker owns the model,
 * the optimizer and (with two or more workers) a nested pool, and sends back throttled
 * progress: the steps' losses since the last message and the parameters as one Float32Array.
 *
 * Each `start` or `replay` begins a new run with its own `run` number, and every message about
 * a run carries it, so the page can drop late messages of a run it has left.
 */
import type { LabConfig } from '../lab/config';
import type { Metrics } from '../train/metrics';

/** Train `config` from `params` (the lab's current parameters; null: the config's seeded initialisation). */
export interface StartCommand {
	type: 'start';
	config: LabConfig;
	/** 1 trains inside the training Worker; N ≥ 2 shards each batch over a nested pool of N workers. */
	workers: number;
	params: Float32Array | null;
}

/** Re-run the last run from the rewind snapshot at `step`: the same seed gives the same curve from there on. */
export interface ReplayCommand {
	type: 'replay';
	step: number;
}

/** The parameters of the rewind snapshot at `step` (or the latest one before it). */
export interface SeekCommand {
	type: 'seek';
	step: number;
}

/** Measure steps per second: train `config` with `workers` workers for at least `ms` milliseconds (and 4 steps) after a warm-up. */
export interface BenchCommand {
	type: 'bench';
	config: LabConfig;
	workers: number;
	ms: number;
}

export type ToSession =
	| StartCommand
	| ReplayCommand
	| SeekCommand
	| BenchCommand
	| { type: 'pause' }
	| { type: 'resume' }
	| { type: 'stop' }
	/** Stop, and free the nested pool. */
	| { type: 'dispose' };

/** One training step as the curves show it. */
export interface StepPoint {
	step: number;
	epoch: number;
	loss: number;
	metrics: Metrics;
}

export type SessionStatus = 'running' | 'paused' | 'replaying' | 'done' | 'stopped' | 'failed';

/** A run began: from `start`, or from `replay` (then `from` is the step it replays from). */
export interface StartedMessage {
	type: 'started';
	run: number;
	totalSteps: number;
	stepsPerEpoch: number;
	workers: number;
	/** Whether the nested pool shares memory (cross-origin isolated); false with one worker. */
	sharedMemory: boolean;
	from: number;
}

/** At most every `PROGRESS_MS`: the steps since the last message, and the parameters after the last of them. */
export interface ProgressMessage {
	type: 'progress';
	run: number;
	step: number;
	points: StepPoint[];
	params: Float32Array;
	/** Over the last few seconds of running; 0 until two steps have been timed. */
	stepsPerSecond: number;
	/** Steps that have a rewind snapshot, ascending. */
	rewind: number[];
}

/** A replay catching up, silently, to the step it replays from. */
export interface CatchUpMessage {
	type: 'catchup';
	run: number;
	step: number;
	target: number;
}

export interface EpochMessage {
	type: 'epoch';
	run: number;
	epoch: number;
	step: number;
	train: Metrics;
	val: Metrics | null;
}

export interface StatusMessage {
	type: 'status';
	run: number;
	status: SessionStatus;
	step: number;
}

/** The run failed at `step`; with `resumable`, `resume` retries that step from the last good parameters. */
export interface FailedMessage {
	type: 'failed';
	run: number;
	step: number;
	message: string;
	resumable: boolean;
}

/** The answer to `seek`. */
export interface ParamsMessage {
	type: 'params';
	run: number;
	step: number;
	params: Float32Array;
}

export interface BenchResult {
	type: 'bench';
	workers: number;
	steps: number;
	ms: number;
	stepsPerSecond: number;
}

/** A command that could not be carried out (bad input, nothing to replay); nothing changed. */
export interface RefusedMessage {
	type: 'refused';
	command: ToSession['type'];
	message: string;
}

export type FromSession =
	| StartedMessage
	| ProgressMessage
	| CatchUpMessage
	| EpochMessage
	| StatusMessage
	| FailedMessage
	| ParamsMessage
	| BenchResult
	| RefusedMessage;
