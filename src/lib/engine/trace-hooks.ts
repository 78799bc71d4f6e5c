import type { Tensor } from './tensor';
import type { OpAttrs, OpName } from './ops/types';

/** What the autograd tells a running trace. Kept apart from trace.ts to avoid an import cycle. */
export interface Recorder {
	forward(op: OpName, path: string, inputs: readonly Tensor[], out: Tensor, attrs: OpAttrs[OpName]): void;
	backward(op: OpName, path: string, out: Tensor, gradOut: Tensor, inputs: readonly Tensor[], gradInputs: readonly (Tensor | null)[]): void;
	/** Run `fn` without recording (ops used inside a backward are not steps of their own). */
	pause<T>(fn: () => T): T;
}

let active: Recorder | null = null;

export function activeRecorder(): Recorder | null {
	return active;
}

export function setRecorder(r: Recorder | null): Recorder | null {
	const prev = active;
	active = r;
	return prev;
}
