import type { Shape } from '../shape';
import { stridesOf } from '../shape';

/**
 * How two broadcast operands line up with their output, one output row (last dim) at a time:
 * row r of the output reads `a` from `aOff[r]` stepping `aStep`, and `b` likewise.
 */
export interface RowPlan {
	rows: number;
	inner: number;
	aStep: number;
	bStep: number;
	aOff: Int32Array;
	bOff: Int32Array;
}

function alignedStrides(shape: Shape, out: Shape): number[] {
	const lead = out.length - shape.length;
	const own = stridesOf(shape);
	return out.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead]));
}

/** Plan a broadcast of shapes `a` and `b` to `out` (already checked by `broadcastShapes`). */
export function planRows(a: Shape, b: Shape, out: Shape): RowPlan {
	const nd = out.length;
	const inner = nd === 0 ? 1 : out[nd - 1];
	const sa = alignedStrides(a, out);
	const sb = alignedStrides(b, out);
	let rows = 1;
	for (let i = 0; i < nd - 1; i++) rows *= out[i];
	const aOff = new Int32Array(rows);
	const bOff = new Int32Array(rows);
	const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
	let ao = 0;
	let bo = 0;
	for (let r = 0; r < rows; r++) {
		aOff[r] = ao;
		bOff[r] = bo;
		for (let d = nd - 2; d >= 0; d--) {
			idx[d]++;
			ao += sa[d];
			bo += sb[d];
			if (idx[d] < out[d]) break;
			ao -= sa[d] * out[d];
			bo -= sb[d] * out[d];
			idx[d] = 0;
		}
	}
	return { rows, inner, aStep: nd === 0 ? 0 : sa[nd - 1], bStep: nd === 0 ? 0 : sb[nd - 1], aOff, bOff };
}
