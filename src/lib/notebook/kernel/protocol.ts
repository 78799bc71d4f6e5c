/**
 * Messages between a page and its notebook kernel Worker: one union both sides import, so a
 * message the other side does not understand is a compile error, not a silent drop.
 *
 * A run streams its outputs (`output`, in order) and then ends with exactly one `result` or
 * `error` carrying the same `runId`. Streaming lets a long cell show its console lines
 * while it is still running; the page collects them into the run's output list.
 */
import type { CheckResult } from '../exercises';

export type Lang = 'ts' | 'js';

/** Console `log` and `info` go to stdout, `warn` and `error` to stderr; `result` is a cell's trailing value. */
export interface TextOutput {
	kind: 'text';
	stream: 'stdout' | 'stderr' | 'result';
	text: string;
}

/** A tensor for the heatmap. `values` holds at most `MAX_TENSOR_VALUES` leading values, row-major. */
export interface TensorOutput {
	kind: 'tensor';
	/** The variable or label it was shown as; empty when the value had no name. */
	name: string;
	shape: number[];
	values: Float32Array;
	/** True when `values` stops before the end of the tensor. */
	truncated: boolean;
	dtype: 'float32' | 'float64';
	requiresGrad: boolean;
}

export interface PlotSeries {
	name: string;
	x: number[];
	y: number[];
}

export interface PlotOutput {
	kind: 'plot';
	plot: 'line' | 'bar';
	title: string;
	series: PlotSeries[];
}

export interface ErrorOutput {
	kind: 'error';
	/** `SyntaxError`, `ShapeError`, `ReferenceError`… */
	name: string;
	message: string;
	/** 1-based line in the cell's own source, when it could be found. */
	line: number | null;
	column: number | null;
}

export type CellOutput = TextOutput | TensorOutput | PlotOutput | ErrorOutput;

/** Values past this are left out of a tensor output: 256×256 is far more than a heatmap can show. */
export const MAX_TENSOR_VALUES = 65_536;
/** Outputs past this in one run are dropped with a notice, so logging in a hot loop cannot flood the page. */
export const MAX_OUTPUTS_PER_RUN = 500;

/** Page → Worker. */
export type KernelRequest =
	| {
			type: 'run';
			runId: number;
			cellId: string;
			code: string;
			lang: Lang;
			/** Replays after a restart set this: the page already shows these outputs, so none are sent. */
			silent: boolean;
	  }
	| { type: 'check'; runId: number; lessonSlug: string; exerciseId: string }
	/** Forget every variable the cells defined; the built-ins stay. */
	| { type: 'reset' };

/** Worker → page. */
export type KernelEvent =
	| { type: 'ready' }
	| { type: 'output'; runId: number; output: CellOutput }
	| { type: 'result'; runId: number; cellId: string; durationMs: number }
	| { type: 'error'; runId: number; cellId: string; error: ErrorOutput; durationMs: number }
	| { type: 'checkResult'; runId: number; exerciseId: string; result: CheckResult }
	/** Something went wrong outside any run, e.g. a timer a cell left behind threw after the cell finished. */
	| { type: 'log'; level: 'warn' | 'error'; message: string };

export type KernelMessage = KernelRequest | KernelEvent;
