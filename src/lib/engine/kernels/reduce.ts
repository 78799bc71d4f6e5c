import { alloc, dtypeOf, type Storage } from '../dtype';
import { stridesOf, type Shape } from '../shape';

/** Output shape of reducing `dims` with keepdim (reduced dims become 1). */
export function keptShape(shape: Shape, dims: readonly number[]): number[] {
	return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

/**
 * Walk `x` in row-major order, calling `visitRow` once per last-dim row with the row's
 * input offset and the output offset its elements reduce into (`outStep` is 0 when the
 * last dim is reduced, 1 otherwise).
 */
function walkRows(
	shape: Shape,
	dims: readonly number[],
	visitRow: (inOff: number, outOff: number, n: number, outStep: number) => void
): void {
	const nd = shape.length;
	if (nd === 0) {
		visitRow(0, 0, 1, 0);
		return;
	}
	const outStrides = stridesOf(keptShape(shape, dims)).map((s, i) => (dims.includes(i) ? 0 : s));
	const inner = shape[nd - 1];
	let rows = 1;
	for (let i = 0; i < nd - 1; i++) rows *= shape[i];
	const idx = new Array<number>(nd - 1).fill(0);
	let oo = 0;
	for (let r = 0; r < rows; r++) {
		visitRow(r * inner, oo, inner, outStrides[nd - 1]);
		for (let d = nd - 2; d >= 0; d--) {
			idx[d]++;
			oo += outStrides[d];
			if (idx[d] < shape[d]) break;
			oo -= outStrides[d] * shape[d];
			idx[d] = 0;
		}
	}
}

/** Sum of `x` over `dims`, in the keepdim shape. Accumulates in float64. */
export function sumKernel(x: Storage, shape: Shape, dims: readonly number[]): Storage {
	const outShape = keptShape(shape, dims);
	const acc = new Float64Array(outShape.reduce((n, d) => n * d, 1));
	walkRows(shape, dims, (io, oo, n, step) => {
		if (step === 0) {
			let s = 0;
			for (let j = 0; j < n; j++) s += x[io + j];
			acc[oo] += s;
		} else {
			for (let j = 0; j < n; j++) acc[oo + j] += x[io + j];
		}
	});
	const out = alloc(dtypeOf(x), acc.length);
	out.set(acc);
	return out;
}

/** Maximum of `x` over `dims`, in the keepdim shape. NaN propagates, as in PyTorch. */
export function maxKernel(x: Storage, shape: Shape, dims: readonly number[]): Storage {
	const outShape = keptShape(shape, dims);
	const out = alloc(
		dtypeOf(x),
		outShape.reduce((n, d) => n * d, 1)
	);
	out.fill(-Infinity);
	walkRows(shape, dims, (io, oo, n, step) => {
		for (let j = 0; j < n; j++) {
			const v = x[io + j];
			const o = oo + j * step;
			if (v > out[o] || Number.isNaN(v)) out[o] = v;
		}
	});
	return out;
}
