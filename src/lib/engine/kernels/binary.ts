import type { Storage } from '../dtype';
import { shapesEqual, type Shape } from '../shape';
import { planRows } from './broadcast';

export const BinaryOp = { Add: 0, Sub: 1, Mul: 2, Div: 3, Pow: 4 } as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

/**
 * `out = a ∘ b` with broadcasting. The operator is switched on once per row, not per
 * element, so each inner loop is monomorphic and tight.
 */
export function binaryKernel(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void {
	if (shapesEqual(aShape, bShape)) {
		row(op, a, 0, 1, b, 0, 1, out, 0, out.length);
		return;
	}
	if (b.length === 1) {
		row(op, a, 0, 1, b, 0, 0, out, 0, out.length);
		return;
	}
	if (a.length === 1) {
		row(op, a, 0, 0, b, 0, 1, out, 0, out.length);
		return;
	}
	// One operand repeated along leading dims only (a bias [N] added to [B, N]): its whole block
	// per step, with no row plan to build.
	if (a.length === out.length && isTrailing(bShape, outShape)) {
		for (let o = 0; o < out.length; o += b.length) row(op, a, o, 1, b, 0, 1, out, o, b.length);
		return;
	}
	if (b.length === out.length && isTrailing(aShape, outShape)) {
		for (let o = 0; o < out.length; o += a.length) row(op, a, 0, 1, b, o, 1, out, o, a.length);
		return;
	}
	const p = planRows(aShape, bShape, outShape);
	for (let r = 0; r < p.rows; r++) row(op, a, p.aOff[r], p.aStep, b, p.bOff[r], p.bStep, out, r * p.inner, p.inner);
}

/**
 * Whether `shape`, without its leading 1s, is the trailing dims of `full` and not empty: an
 * operand of that shape is one contiguous block that repeats along `full`'s leading dims.
 */
export function isTrailing(shape: Shape, full: Shape): boolean {
	let start = 0;
	while (start < shape.length && shape[start] === 1) start++;
	const n = shape.length - start;
	if (n === 0 || n > full.length) return false;
	for (let i = 0; i < n; i++) if (shape[start + i] !== full[full.length - n + i]) return false;
	return true;
}

function row(
	op: BinaryOp,
	a: Storage,
	ao: number,
	as: number,
	b: Storage,
	bo: number,
	bs: number,
	out: Storage,
	oo: number,
	n: number
): void {
	// Indices advance by addition: `ao + j·as` costs a multiply and an overflow check per element.
	switch (op) {
		case BinaryOp.Add:
			for (let j = 0, i = ao, k = bo; j < n; j++, i += as, k += bs) out[oo + j] = a[i] + b[k];
			break;
		case BinaryOp.Sub:
			for (let j = 0, i = ao, k = bo; j < n; j++, i += as, k += bs) out[oo + j] = a[i] - b[k];
			break;
		case BinaryOp.Mul:
			for (let j = 0, i = ao, k = bo; j < n; j++, i += as, k += bs) out[oo + j] = a[i] * b[k];
			break;
		case BinaryOp.Div:
			for (let j = 0, i = ao, k = bo; j < n; j++, i += as, k += bs) out[oo + j] = a[i] / b[k];
			break;
		case BinaryOp.Pow:
			for (let j = 0, i = ao, k = bo; j < n; j++, i += as, k += bs) out[oo + j] = Math.pow(a[i], b[k]);
			break;
	}
}
