import { alloc, dtypeOf, type Storage } from '../dtype';
import { stridesOf, type Shape } from '../shape';

/** Output shape of reducing `dims` with keepdim (reduced dims become 1). */
export function keptShape(shape: Shape, dims: readonly number[]): number[] {
	return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

/**
 * Where each last-dim row of `x` reduces to: row r (input elements `r·inner …`) adds into the
 * output from `outOff[r]`, stepping `outStep` per element (0 when the last dim is reduced).
 * Precomputed so the kernels below run plain loops instead of a callback per row.
 */
export interface ReducePlan {
	rows: number;
	inner: number;
	outStep: number;
	outOff: Int32Array;
	outSize: number;
}

export function planReduce(shape: Shape, dims: readonly number[]): ReducePlan {
	const kept = keptShape(shape, dims);
	const outSize = kept.reduce((n, d) => n * d, 1);
	const nd = shape.length;
	if (nd === 0) return { rows: 1, inner: 1, outStep: 0, outOff: new Int32Array(1), outSize };
	const outStrides = stridesOf(kept).map((s, i) => (dims.includes(i) ? 0 : s));
	const inner = shape[nd - 1];
	let rows = 1;
	for (let i = 0; i < nd - 1; i++) rows *= shape[i];
	const outOff = new Int32Array(rows);
	const idx = new Array<number>(nd - 1).fill(0);
	let oo = 0;
	for (let r = 0; r < rows; r++) {
		outOff[r] = oo;
		for (let d = nd - 2; d >= 0; d--) {
			idx[d]++;
			oo += outStrides[d];
			if (idx[d] < shape[d]) break;
			oo -= outStrides[d] * shape[d];
			idx[d] = 0;
		}
	}
	return { rows, inner, outStep: outStrides[nd - 1], outOff, outSize };
}

/** Sum of `x` over `dims`, in the keepdim shape. Accumulates in float64. */
export function sumKernel(x: Storage, shape: Shape, dims: readonly number[]): Storage {
	const { rows, inner, outStep, outOff, outSize } = planReduce(shape, dims);
	const acc = new Float64Array(outSize);
	for (let r = 0, io = 0; r < rows; r++, io += inner) {
		const oo = outOff[r];
		if (outStep === 0) {
			let s = 0;
			for (let j = 0; j < inner; j++) s += x[io + j];
			acc[oo] += s;
		} else {
			for (let j = 0; j < inner; j++) acc[oo + j] += x[io + j];
		}
	}
	const out = alloc(dtypeOf(x), outSize);
	out.set(acc);
	return out;
}

/** Maximum of `x` over `dims`, in the keepdim shape. NaN propagates, as in PyTorch. */
export function maxKernel(x: Storage, shape: Shape, dims: readonly number[]): Storage {
	const { rows, inner, outStep, outOff, outSize } = planReduce(shape, dims);
	const out = alloc(dtypeOf(x), outSize);
	out.fill(-Infinity);
	for (let r = 0, io = 0; r < rows; r++, io += inner) {
		for (let j = 0, o = outOff[r]; j < inner; j++, o += outStep) {
			const v = x[io + j];
			if (v > out[o] || Number.isNaN(v)) out[o] = v;
		}
	}
	return out;
}
