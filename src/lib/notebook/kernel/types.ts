/** What the page's kernel reports: the result of a run and the kernel's state for status lines. */
import type { Abort } from './channel';
import type { CellOutput, ErrorOutput, Lang } from './protocol';

export type RunStatus = 'ok' | 'error' | Abort | 'cancelled';

export interface RunResult {
	status: RunStatus;
	/** Everything the cell showed, in order; a failed run ends with its error. */
	outputs: CellOutput[];
	error: ErrorOutput | null;
	durationMs: number;
	/** The limit it ran under, so a timeout can say how long it had. */
	timeoutMs: number;
}

export interface RunRequest {
	cellId: string;
	code: string;
	lang: Lang;
	timeoutMs?: number;
	/** Called with each output as it arrives, for cells that print while they run. */
	onOutput?: (output: CellOutput) => void;
}

export interface KernelState {
	phase: 'off' | 'starting' | 'restoring' | 'idle' | 'busy' | 'failed';
	running: { cellId: string; since: number } | null;
	queued: readonly string[];
	/** Progress of the latest replay, counted in runs; `by` is the cell whose stop (or null: a restart) caused it. */
	restore: { by: string | null; total: number; done: number; failed: readonly string[]; active: boolean } | null;
	/** Why the kernel could not start, or a message the Worker logged outside any run. */
	message: string | null;
}
