/** The words a code cell's status line uses for a finished run and for a kernel restore. */
import type { KernelState, RunResult } from '../kernel/types';
import { plural } from '../../text';

export function duration(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * @example
 * describeResult({ status: 'error', error: { name: 'ShapeError', line: 3, … }, … }); // "ShapeError on line 3"
 */
export function describeResult(r: RunResult): string {
	switch (r.status) {
		case 'ok':
			return `Done in ${duration(r.durationMs)}`;
		case 'error':
			return r.error ? `${r.error.name}${r.error.line === null ? '' : ` on line ${r.error.line}`}` : 'Error';
		case 'stopped':
			return `Stopped after ${duration(r.durationMs)}`;
		case 'timeout':
			return `Stopped: still running after ${duration(r.timeoutMs)}. A cell that needs longer can start with // @timeout 30s`;
		case 'cancelled':
			return 'Cancelled';
	}
}

export function describeRestore(r: NonNullable<KernelState['restore']>): string {
	if (r.active) return `Restoring the kernel: replaying run ${Math.min(r.done + r.failed.length + 1, r.total)} of ${r.total}…`;
	const dropped =
		r.failed.length === 0 ? '' : `; ${r.failed.length} failed this time and ${r.failed.length === 1 ? 'was' : 'were'} dropped`;
	return `Kernel restarted with its state: ${plural(r.done, 'earlier run')} replayed${dropped}.`;
}
