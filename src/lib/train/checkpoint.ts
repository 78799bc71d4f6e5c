import { Tensor, ValueError, fmtShape, type Storage } from '../engine/index';
import type { StateDict } from '../nn/module';

/** A checkpoint that cannot be read or written; the message names the tensor and what is wrong. */
export class CheckpointError extends ValueError {
	constructor(message: string) {
		super(message);
		this.name = 'CheckpointError';
	}
}

/** Glance's JSON checkpoint. `dtype` appears only for float64 tensors; float32 is the default. */
export interface GlanceStateJson {
	format: 'glance-state';
	version: 1;
	tensors: Record<string, { shape: number[]; data: number[]; dtype?: 'F64' }>;
}

/** Throw unless `shape` is a list of non-negative integers; returns the element count. */
export function checkShapeField(where: string, shape: unknown): number {
	if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
		throw new CheckpointError(`${where}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
	}
	return shape.reduce((n: number, d: number) => n * d, 1);
}

/** Throw if `data` holds NaN or ±Infinity: such a checkpoint is from a diverged run and would poison a model. */
export function checkFinite(where: string, data: ArrayLike<number>): void {
	for (let i = 0; i < data.length; i++) {
		if (!Number.isFinite(data[i])) throw new CheckpointError(`${where}: value ${i} is ${data[i]}; checkpoints must hold finite numbers`);
	}
}

/** The shortest decimal that reads back as the same float32, so JSON stays small and round-trips exactly. */
function shortestFloat32(v: number): number {
	for (let p = 1; p <= 9; p++) {
		const d = Number(v.toPrecision(p));
		if (Math.fround(d) === v) return d;
	}
	return v;
}

/**
 * A state dict as Glance's JSON checkpoint: `{ format: 'glance-state', version: 1,
 * tensors: { key: { shape, data } } }`. Values round-trip exactly.
 *
 * @example
 * const text = JSON.stringify(stateDictToJson(model.stateDict()));
 * model.loadStateDict(stateDictFromJson(JSON.parse(text)));
 */
export function stateDictToJson(sd: ReadonlyMap<string, Tensor>): GlanceStateJson {
	const tensors: GlanceStateJson['tensors'] = {};
	for (const [key, t] of sd) {
		checkFinite(`stateDictToJson: tensor "${key}"`, t.data);
		const f64 = t.data instanceof Float64Array;
		const data = Array.from(t.data, f64 ? (v) => v : shortestFloat32);
		tensors[key] = f64 ? { shape: [...t.shape], data, dtype: 'F64' } : { shape: [...t.shape], data };
	}
	return { format: 'glance-state', version: 1, tensors };
}

/**
 * Read a JSON checkpoint (already parsed). Everything is checked before anything is
 * returned: format and version, every shape, that each data list fills its shape, and that
 * all values are finite numbers.
 */
export function stateDictFromJson(value: unknown): StateDict {
	const where = 'glance-state JSON';
	const obj = value as Partial<GlanceStateJson> | null;
	if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
		throw new CheckpointError(`${where}: expected an object, got ${describe(value)}`);
	if (obj.format !== 'glance-state')
		throw new CheckpointError(`${where}: format is ${JSON.stringify(obj.format)}, expected "glance-state"`);
	if (obj.version !== 1)
		throw new CheckpointError(`${where}: version ${JSON.stringify(obj.version)} is not supported (this Glance reads version 1)`);
	if (typeof obj.tensors !== 'object' || obj.tensors === null || Array.isArray(obj.tensors)) {
		throw new CheckpointError(`${where}: "tensors" must be an object of named tensors, got ${describe(obj.tensors)}`);
	}
	const out: StateDict = new Map();
	for (const [key, entry] of Object.entries(obj.tensors)) {
		const at = `${where}: tensor "${key}"`;
		if (typeof entry !== 'object' || entry === null) throw new CheckpointError(`${at}: expected { shape, data }, got ${describe(entry)}`);
		const n = checkShapeField(at, entry.shape);
		if (entry.dtype !== undefined && entry.dtype !== 'F64')
			throw new CheckpointError(`${at}: dtype ${JSON.stringify(entry.dtype)} is not supported (F64, or omit for F32)`);
		if (!Array.isArray(entry.data) || !entry.data.every((v) => typeof v === 'number'))
			throw new CheckpointError(`${at}: data must be a list of numbers`);
		if (entry.data.length !== n) {
			throw new CheckpointError(`${at}: ${entry.data.length} values cannot fill shape ${fmtShape(entry.shape)} (${n} elements)`);
		}
		checkFinite(at, entry.data);
		const data: Storage = entry.dtype === 'F64' ? Float64Array.from(entry.data) : Float32Array.from(entry.data);
		out.set(key, new Tensor(data, entry.shape));
	}
	return out;
}

export function describe(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
