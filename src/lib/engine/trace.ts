import { ops } from './ops/index';
import type { OpDef, OpName } from './ops/types';
import { setRecorder, type Recorder } from './trace-hooks';
import type { Tensor } from './tensor';

/** A tensor as a trace keeps it: an id to link steps, its shape, and a float32 copy of its values. */
export interface TensorRecord {
	id: number;
	shape: number[];
	values: Float32Array;
}

export interface ForwardStep {
	phase: 'forward';
	index: number;
	op: OpName;
	/** Module path the op ran under, e.g. `attention.softmax` → path `attention`. */
	path: string;
	inputs: TensorRecord[];
	output: TensorRecord;
	attrs: Record<string, number | boolean | number[]>;
	tex: string;
}

export interface BackwardStep {
	phase: 'backward';
	index: number;
	op: OpName;
	path: string;
	/** The forward output this gradient belongs to, by id. */
	outputId: number;
	inputIds: number[];
	gradOutput: TensorRecord;
	/** One per input; null where the input needs no gradient. */
	gradInputs: (TensorRecord | null)[];
	tex: string;
}

export type TraceStep = ForwardStep | BackwardStep;

export interface Trace<T> {
	steps: TraceStep[];
	/** What `fn` returned, or undefined if it threw. */
	result: T | undefined;
	/** The error `fn` threw (for example a ShapeError at the failing op), or null. */
	error: Error | null;
}

function record(t: Tensor): TensorRecord {
	return { id: t.id, shape: [...t.shape], values: Float32Array.from(t.data) };
}

function plainAttrs(attrs: unknown): ForwardStep['attrs'] {
	const out: ForwardStep['attrs'] = {};
	if (attrs === null || typeof attrs !== 'object') return out;
	for (const [k, v] of Object.entries(attrs)) {
		if (typeof v === 'number' || typeof v === 'boolean') out[k] = v;
		else if (Array.isArray(v)) out[k] = [...v];
		// A typed array (dropout's mask) is kept as numbers, so the op can be replayed from the record.
		else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out[k] = Array.from(v as Float32Array);
	}
	return out;
}

/**
 * Record every op run inside `fn`, forward then (if `fn` calls `backward`) backward, as
 * typed steps a lesson page can replay. Ops run by a backward formula are not steps of
 * their own. An error thrown by `fn` is caught and returned with the steps made so far.
 *
 * @example
 * const { steps } = trace(() => x.matmul(w).softmax(-1).sum().backward());
 * steps.map((s) => `${s.phase} ${s.op}`); // ['forward matmul', …, 'backward matmul']
 */
export function trace<T>(fn: () => T): Trace<T> {
	const steps: TraceStep[] = [];
	// The backward formula of each recorded op, by its output's id: it may depend on the op's attributes.
	const backwardTex = new Map<number, string>();
	let paused = 0;
	const recorder: Recorder = {
		forward(op, path, inputs, out, attrs) {
			if (paused > 0) return;
			const def = ops[op] as OpDef<unknown>;
			const tex = def.texFor?.(attrs) ?? def.tex;
			backwardTex.set(out.id, tex.backward);
			steps.push({
				phase: 'forward',
				index: steps.length,
				op,
				path,
				inputs: inputs.map(record),
				output: record(out),
				attrs: plainAttrs(attrs),
				tex: tex.forward
			});
		},
		backward(op, path, out, gradOut, inputs, gradInputs) {
			steps.push({
				phase: 'backward',
				index: steps.length,
				op,
				path,
				outputId: out.id,
				inputIds: inputs.map((t) => t.id),
				gradOutput: record(gradOut),
				gradInputs: inputs.map((_, i) => (gradInputs[i] ? record(gradInputs[i] as Tensor) : null)),
				tex: backwardTex.get(out.id) ?? ops[op].tex.backward
			});
		},
		pause(fn) {
			paused++;
			try {
				return fn();
			} finally {
				paused--;
			}
		}
	};
	const prev = setRecorder(recorder);
	try {
		return { steps, result: fn(), error: null };
	} catch (e) {
		return { steps, result: undefined, error: e instanceof Error ? e : new Error(String(e)) };
	} finally {
		setRecorder(prev);
	}
}
