/**
 * The comparison behind the `toBeAllclose` matcher: NumPy's `allclose` rule
 * `|received − expected| ≤ atol + rtol·|expected|`, elementwise, on tensors, typed arrays,
 * nested arrays and numbers, with a report that names the worst element.
 */

/** Anything shaped like an engine Tensor: flat row-major values and a shape. */
export interface TensorLikeValue {
	readonly data: ArrayLike<number>;
	readonly shape: readonly number[];
}

export type NestedNumbers = number | readonly NestedNumbers[];
export type AllcloseValue = TensorLikeValue | Float32Array | Float64Array | NestedNumbers;

export interface AllcloseOptions {
	rtol?: number;
	atol?: number;
	/** Count NaN as equal to NaN (as `numpy.allclose(equal_nan=True)`). */
	equalNan?: boolean;
}

/** PyTorch's `torch.allclose` defaults. */
export const DEFAULT_RTOL = 1e-5;
export const DEFAULT_ATOL = 1e-8;

interface Flat {
	values: ArrayLike<number>;
	/** null for typed arrays, which carry no shape: only their lengths are compared. */
	shape: number[] | null;
}

export interface AllcloseReport {
	pass: boolean;
	/** Why the values could not be compared at all (wrong type, ragged array, shape mismatch). */
	problem: string | null;
	receivedShape: number[] | null;
	expectedShape: number[] | null;
	mismatches: number;
	total: number;
	/** The element furthest beyond its allowed error, or -1 when all are within it. */
	worst: number;
	worstIndex: string;
	received: number;
	expected: number;
	allowed: number;
	maxAbsError: number;
}

function isTensorLike(v: unknown): v is TensorLikeValue {
	return typeof v === 'object' && v !== null && 'data' in v && 'shape' in v && Array.isArray((v as TensorLikeValue).shape);
}

function flatten(v: unknown, what: string): Flat | string {
	if (typeof v === 'number') return { values: [v], shape: [] };
	if (v instanceof Float32Array || v instanceof Float64Array) return { values: v, shape: null };
	if (isTensorLike(v)) return { values: v.data, shape: [...v.shape] };
	if (Array.isArray(v)) {
		const values: number[] = [];
		const shapeOf = (x: unknown, path: number[]): number[] | string => {
			if (typeof x === 'number') {
				values.push(x);
				return [];
			}
			if (!Array.isArray(x)) return `${what} has a ${x === null ? 'null' : typeof x} at [${path.join('][')}]`;
			let inner: number[] | null = null;
			for (let i = 0; i < x.length; i++) {
				const s = shapeOf(x[i], [...path, i]);
				if (typeof s === 'string') return s;
				if (inner === null) inner = s;
				else if (s.join() !== inner.join()) return `${what} is ragged at [${[...path, i].join('][')}]`;
			}
			return [x.length, ...(inner ?? [])];
		};
		const shape = shapeOf(v, []);
		return typeof shape === 'string' ? shape : { values, shape };
	}
	return `${what} is ${v === null ? 'null' : typeof v}, not a tensor, typed array, nested array or number`;
}

const fmt = (shape: number[] | null) => (shape === null ? 'flat' : `[${shape.join(',')}]`);
const fmtTol = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v));

function unravel(flat: number, shape: number[] | null): string {
	if (shape === null || shape.length === 0) return `[${flat}]`;
	const idx: number[] = [];
	let rest = flat;
	for (let d = shape.length - 1; d >= 0; d--) {
		idx.unshift(rest % shape[d]);
		rest = Math.floor(rest / shape[d]);
	}
	return `[${idx.join(',')}]`;
}

/** Compare `received` with `expected`; a scalar `expected` broadcasts against any shape. */
export function allclose(received: unknown, expected: unknown, opts: AllcloseOptions = {}): AllcloseReport {
	const rtol = opts.rtol ?? DEFAULT_RTOL;
	const atol = opts.atol ?? DEFAULT_ATOL;
	const r = flatten(received, 'received');
	const e = flatten(expected, 'expected');
	const report: AllcloseReport = {
		pass: false,
		problem: null,
		receivedShape: typeof r === 'string' ? null : r.shape,
		expectedShape: typeof e === 'string' ? null : e.shape,
		mismatches: 0,
		total: 0,
		worst: -1,
		worstIndex: '',
		received: NaN,
		expected: NaN,
		allowed: NaN,
		maxAbsError: 0
	};
	if (typeof r === 'string' || typeof e === 'string') {
		report.problem = typeof r === 'string' ? r : (e as string);
		return report;
	}
	const scalarExpected = e.shape !== null && e.shape.length === 0;
	const shapesKnown = r.shape !== null && e.shape !== null;
	if (!scalarExpected && (shapesKnown ? r.shape!.join() !== e.shape!.join() : r.values.length !== e.values.length)) {
		report.problem = `shapes differ: received ${fmt(r.shape)} (${r.values.length} values), expected ${fmt(e.shape)} (${e.values.length} values)`;
		return report;
	}
	let worstExcess = -Infinity;
	report.total = r.values.length;
	for (let i = 0; i < r.values.length; i++) {
		const a = r.values[i];
		const b = scalarExpected ? e.values[0] : e.values[i];
		const allowed = atol + rtol * Math.abs(b);
		const diff = Math.abs(a - b);
		const bothNan = Number.isNaN(a) && Number.isNaN(b);
		// Equal infinities have a NaN difference but are equal; anything else NaN is a mismatch.
		const ok = a === b || diff <= allowed || (bothNan && opts.equalNan === true);
		if (Number.isFinite(diff)) report.maxAbsError = Math.max(report.maxAbsError, diff);
		if (ok) continue;
		report.mismatches++;
		const excess = Number.isNaN(diff) || diff === Infinity ? Infinity : diff - allowed;
		if (excess > worstExcess) {
			worstExcess = excess;
			Object.assign(report, { worst: i, received: a, expected: b, allowed });
		}
	}
	report.pass = report.mismatches === 0;
	if (report.worst >= 0) report.worstIndex = unravel(report.worst, r.shape ?? e.shape);
	return report;
}

/** A failure message: what was compared, how many elements missed, and the worst of them. */
export function describeAllclose(report: AllcloseReport, opts: AllcloseOptions, isNot: boolean): string {
	const tol = `rtol ${fmtTol(opts.rtol ?? DEFAULT_RTOL)}, atol ${fmtTol(opts.atol ?? DEFAULT_ATOL)}`;
	if (report.problem !== null) return `expected values to be allclose (${tol}), but ${report.problem}`;
	const { receivedShape: rs, expectedShape: es } = report;
	const shapes = rs !== null && es !== null && rs.join() === es.join() ? `shape ${fmt(rs)}` : `received ${fmt(rs)}, expected ${fmt(es)}`;
	if (isNot) {
		return `expected values not to be allclose (${tol}), but all ${report.total} elements are within tolerance (max |diff| ${report.maxAbsError.toExponential(2)}; ${shapes})`;
	}
	const diff = Math.abs(report.received - report.expected);
	return (
		`expected values to be allclose (${tol}), but ${report.mismatches} of ${report.total} elements differ (${shapes}).\n` +
		`Worst at ${report.worstIndex} (flat ${report.worst}): received ${report.received}, expected ${report.expected}, ` +
		`|diff| ${diff.toExponential(3)} > allowed ${report.allowed.toExponential(3)}`
	);
}
