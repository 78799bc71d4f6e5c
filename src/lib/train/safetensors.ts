import { Tensor, fmtShape } from '../engine/index';
import type { StateDict } from '../nn/module';
import { CheckpointError, checkFinite, checkShapeField, describe } from './checkpoint';

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian u64 N, then
 * N bytes of UTF-8 JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?:
 * { string: string } }`, then the raw little-endian, row-major data. Offsets count from the
 * first byte after the header, and the tensors must tile the data exactly, in any order.
 */

/** Bytes per element of the dtypes Glance reads. F16 and BF16 widen to float32 exactly. */
const DTYPE_BYTES = { F32: 4, F64: 8, F16: 2, BF16: 2 } as const;
type DtypeName = keyof typeof DTYPE_BYTES;

/** The reference implementation's cap: a larger header is a malformed or hostile file. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

export interface SafetensorsFile {
	tensors: StateDict;
	metadata: Record<string, string>;
}

/**
 * Serialize a state dict (float32 as F32, float64 as F64) with optional string metadata.
 * The header is padded with spaces to a multiple of 8 bytes so the data is aligned, as the
 * reference writer does.
 *
 * @example
 * const bytes = toSafetensors(model.stateDict(), { format: 'pt' });   // loads with safetensors.torch.load
 */
export function toSafetensors(sd: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
	const header: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(metadata)) {
		if (typeof v !== 'string') throw new CheckpointError(`toSafetensors: metadata "${k}" must be a string, got ${describe(v)}`);
	}
	if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
	let offset = 0;
	for (const [key, t] of sd) {
		if (key === METADATA_KEY) throw new CheckpointError(`toSafetensors: "${METADATA_KEY}" is reserved and cannot name a tensor`);
		checkFinite(`toSafetensors: tensor "${key}"`, t.data);
		const bytes = t.data.length * t.data.BYTES_PER_ELEMENT;
		header[key] = { dtype: t.data instanceof Float64Array ? 'F64' : 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes] };
		offset += bytes;
	}
	const json = new TextEncoder().encode(JSON.stringify(header));
	const n = Math.ceil(json.length / 8) * 8;
	const out = new Uint8Array(8 + n + offset);
	const view = new DataView(out.buffer);
	view.setBigUint64(0, BigInt(n), true);
	out.set(json, 8);
	out.fill(0x20, 8 + json.length, 8 + n);
	let at = 8 + n;
	for (const t of sd.values()) {
		const f64 = t.data instanceof Float64Array;
		for (let i = 0; i < t.data.length; i++, at += f64 ? 8 : 4) {
			if (f64) view.setFloat64(at, t.data[i], true);
			else view.setFloat32(at, t.data[i], true);
		}
	}
	return out;
}

interface Entry {
	key: string;
	dtype: DtypeName;
	shape: number[];
	begin: number;
	end: number;
}

/**
 * Parse safetensors bytes. The whole file is validated before any tensor is returned: a
 * short file, a header length past the end, a header that is not UTF-8 JSON, an unknown
 * dtype, a bad shape, offsets outside the data, overlapping or leaving gaps or not matching
 * shape × dtype size, and NaN or infinite values are each refused with a message naming
 * the problem and the tensor.
 *
 * @example
 * const { tensors, metadata } = fromSafetensors(new Uint8Array(await file.arrayBuffer()));
 * model.loadStateDict(tensors);   // itself atomic: checks every key and shape first
 */
export function fromSafetensors(input: Uint8Array | ArrayBuffer): SafetensorsFile {
	const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
	const fail = (msg: string): never => {
		throw new CheckpointError(`safetensors: ${msg}`);
	};
	if (bytes.length < 8) fail(`the file is ${bytes.length} bytes, too short to hold the 8-byte header length`);
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const declared = view.getBigUint64(0, true);
	if (declared > BigInt(bytes.length - 8)) fail(`the header length ${declared} runs past the end of the file (${bytes.length} bytes)`);
	const n = Number(declared);
	if (n > MAX_HEADER_BYTES) fail(`the header is ${n} bytes, more than the ${MAX_HEADER_BYTES} allowed`);
	if (n < 2 || bytes[8] !== 0x7b) fail('the header must be a JSON object starting with "{"');

	let text = '';
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
	} catch {
		fail('the header is not valid UTF-8');
	}
	let header: unknown;
	try {
		header = JSON.parse(text);
	} catch (err) {
		fail(`the header is not valid JSON (${(err as Error).message})`);
	}
	if (typeof header !== 'object' || header === null || Array.isArray(header))
		fail(`the header must be a JSON object, got ${describe(header)}`);

	const metadata: Record<string, string> = {};
	const entries: Entry[] = [];
	for (const [key, raw] of Object.entries(header as Record<string, unknown>)) {
		if (key === METADATA_KEY) {
			if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
				fail(`"${METADATA_KEY}" must be an object of strings, got ${describe(raw)}`);
			for (const [mk, mv] of Object.entries(raw as object)) {
				if (typeof mv !== 'string') fail(`"${METADATA_KEY}" value "${mk}" must be a string, got ${describe(mv)}`);
				metadata[mk] = mv;
			}
			continue;
		}
		entries.push(parseEntry(key, raw, fail));
	}

	const dataLength = bytes.length - 8 - n;
	for (const e of entries) {
		if (e.end > dataLength)
			fail(`tensor "${e.key}": data_offsets [${e.begin},${e.end}] run past the end of the data (${dataLength} bytes)`);
	}
	const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
	let covered = 0;
	sorted.forEach((e, i) => {
		if (e.begin < covered) fail(`tensors "${sorted[i - 1].key}" and "${e.key}" overlap (bytes ${e.begin}–${covered} of the data)`);
		if (e.begin > covered) fail(`bytes ${covered}–${e.begin} of the data belong to no tensor`);
		covered = e.end;
	});
	if (covered !== dataLength) fail(`the tensors cover ${covered} bytes of data but the file holds ${dataLength}`);

	const tensors: StateDict = new Map();
	for (const e of entries) tensors.set(e.key, decode(e, view, 8 + n));
	return { tensors, metadata };
}

function parseEntry(key: string, raw: unknown, fail: (msg: string) => never): Entry {
	const at = `tensor "${key}"`;
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		return fail(`${at}: expected { dtype, shape, data_offsets }, got ${describe(raw)}`);
	const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
	if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
		return fail(`${at}: dtype ${JSON.stringify(dtype)} is not supported (Glance reads ${Object.keys(DTYPE_BYTES).join(', ')})`);
	}
	let count = 0;
	try {
		count = checkShapeField(at, shape);
	} catch (err) {
		return fail((err as Error).message);
	}
	if (
		!Array.isArray(offsets) ||
		offsets.length !== 2 ||
		!offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
		offsets[0] > offsets[1]
	) {
		return fail(`${at}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`);
	}
	const [begin, end] = offsets as number[];
	const need = count * DTYPE_BYTES[dtype as DtypeName];
	if (end - begin !== need) {
		return fail(
			`${at}: data_offsets [${begin},${end}] span ${end - begin} bytes but ${dtype} ${fmtShape(shape as number[])} needs ${need}`
		);
	}
	return { key, dtype: dtype as DtypeName, shape: shape as number[], begin, end };
}

function decode(e: Entry, view: DataView, dataStart: number): Tensor {
	const size = DTYPE_BYTES[e.dtype];
	const count = (e.end - e.begin) / size;
	const data = e.dtype === 'F64' ? new Float64Array(count) : new Float32Array(count);
	for (let i = 0, at = dataStart + e.begin; i < count; i++, at += size) {
		if (e.dtype === 'F32') data[i] = view.getFloat32(at, true);
		else if (e.dtype === 'F64') data[i] = view.getFloat64(at, true);
		else if (e.dtype === 'F16') data[i] = halfToFloat(view.getUint16(at, true));
		else data[i] = bfloat16ToFloat(view.getUint16(at, true));
	}
	checkFinite(`safetensors: tensor "${e.key}"`, data);
	return new Tensor(data, e.shape);
}

/** IEEE 754 binary16 bits to a number (exact). */
function halfToFloat(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const exp = (h >> 10) & 0x1f;
	const frac = h & 0x3ff;
	if (exp === 0) return sign * frac * 2 ** -24;
	if (exp === 0x1f) return frac ? NaN : sign * Infinity;
	return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 is the top half of a float32. */
function bfloat16ToFloat(b: number): number {
	const buf = new DataView(new ArrayBuffer(4));
	buf.setUint32(0, b << 16);
	return buf.getFloat32(0);
}
