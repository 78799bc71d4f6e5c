import type { Metrics } from './metrics';

/** After each optimizer step. `step` counts steps from 1; `epoch` counts epochs from 1. */
export interface StepEvent {
	type: 'step';
	step: number;
	epoch: number;
	/** The loss of the batch, computed before this step's update. */
	loss: number;
	/** The learning rate this step used. */
	lr: number;
	/** Total gradient norm before clipping. */
	gradNorm: number;
	metrics: Metrics;
}

/** At the end of each epoch: example-weighted means over the epoch's batches, and validation results. */
export interface EpochEvent {
	type: 'epoch';
	epoch: number;
	step: number;
	train: Metrics;
	val: Metrics | null;
}

/** Training ended: every epoch ran, or `stop()` was called (`stopped`). */
export interface DoneEvent {
	type: 'done';
	step: number;
	/** Epochs completed. */
	epoch: number;
	stopped: boolean;
}

/** Training cannot go on. Parameters are as they were after the last good step. */
export interface TrainErrorEvent {
	type: 'error';
	/** The step that failed (1-based, like `StepEvent.step`; not applied), or the last step applied when validation failed. */
	step: number;
	epoch: number;
	message: string;
}

/** Everything a `Trainer` reports, as one discriminated union so a UI or worker can switch on `type` exhaustively. */
export type TrainEvent = StepEvent | EpochEvent | DoneEvent | TrainErrorEvent;
