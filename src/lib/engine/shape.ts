import { ShapeError, ValueError, fmtShape } from './errors';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar `[]`). */
export function numel(shape: Shape): number {
	let n = 1;
	for (const d of shape) n *= d;
	return n;
}

/** Row-major strides: `strides([2,3,4])` is `[12,4,1]`. */
export function stridesOf(shape: Shape): number[] {
	const s = new Array<number>(shape.length);
	let acc = 1;
	for (let i = shape.length - 1; i >= 0; i--) {
		s[i] = acc;
		acc *= shape[i];
	}
	return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Throws unless every size is a non-negative integer. */
export function checkShape(op: string, shape: Shape): void {
	for (let i = 0; i < shape.length; i++) {
		const d = shape[i];
		if (!Number.isInteger(d) || d < 0) {
			throw new ValueError(`${op}: sizes must be non-negative integers, got ${String(d)} at dim ${i} of ${fmtShape(shape)}`);
		}
	}
}

/**
 * Resolve a possibly negative `dim` against `ndim` dimensions, PyTorch style.
 * `extra` widens the range for ops that insert a dim (unsqueeze, stack).
 */
export function normDim(op: string, dim: number, ndim: number, extra = 0): number {
	const n = ndim + extra;
	const lo = n === 0 ? -1 : -n;
	const hi = n === 0 ? 0 : n - 1;
	if (!Number.isInteger(dim) || dim < lo || dim > hi) {
		throw new ShapeError(
			op,
			`dim ${String(dim)} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? '' : 's'} (expected ${lo} to ${hi})`
		);
	}
	return dim < 0 ? dim + Math.max(n, 1) : dim;
}

/**
 * Sorted, de-duplicated, non-negative dims of a reduction. `null`, `undefined` and, as in
 * PyTorch (`x.sum(dim=[])`), an empty list mean every dim.
 */
export function normDims(op: string, dims: number | readonly number[] | null | undefined, ndim: number): number[] {
	if (dims === null || dims === undefined || (typeof dims !== 'number' && dims.length === 0)) {
		return Array.from({ length: ndim }, (_, i) => i);
	}
	const list = typeof dims === 'number' ? [dims] : dims;
	const out = list.map((d) => normDim(op, d, ndim));
	if (new Set(out).size !== out.length) {
		throw new ShapeError(op, `dim ${list.join(',')} names a dimension twice`);
	}
	return out.sort((x, y) => x - y);
}

/**
 * The NumPy/PyTorch broadcast of two shapes: aligned from the right, each pair of sizes
 * must be equal or contain a 1.
 *
 * @example
 * broadcastShapes('add', [2, 1, 4], [3, 1]); // [2, 3, 4]
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
	const n = Math.max(a.length, b.length);
	const out = new Array<number>(n);
	for (let i = 0; i < n; i++) {
		const da = a[a.length - n + i] ?? 1;
		const db = b[b.length - n + i] ?? 1;
		if (da !== db && da !== 1 && db !== 1) {
			throw new ShapeError(op, `cannot broadcast ${fmtShape(a)} with ${fmtShape(b)} at dim ${i} (${da} vs ${db})`);
		}
		out[i] = da === 1 ? db : da;
	}
	return out;
}

/** The size-1 broadcast pattern as dims to sum a gradient over to get back to `from`. */
export function reducedDims(from: Shape, to: Shape): { dims: number[]; lead: number } {
	const lead = to.length - from.length;
	const dims: number[] = [];
	for (let i = 0; i < to.length; i++) {
		if (i < lead || (from[i - lead] === 1 && to[i] !== 1)) dims.push(i);
	}
	return { dims, lead };
}
