import { alloc } from '../dtype';
import { ShapeError, fmtShape } from '../errors';
import { keptShape, maxKernel } from '../kernels/reduce';
import { numel, stridesOf, type Shape } from '../shape';
import { fromData } from './util';
import type { OpAttrs, OpDef } from './types';

function check(shape: Shape, dims: readonly number[]): void {
	const bad = dims.find((d, i) => !Number.isInteger(d) || d < 0 || d >= Math.max(shape.length, 1) || dims.indexOf(d) !== i);
	if (bad !== undefined) throw new ShapeError('max', `dims [${dims.join(',')}] are not distinct dims of ${fmtShape(shape)}`);
	const empty = dims.find((d) => shape[d] === 0);
	if (empty !== undefined) {
		throw new ShapeError('max', `cannot take the max over dim ${empty} of ${fmtShape(shape)}: it has no elements`);
	}
}

/**
 * For every element of `shape` in row-major order, the flat offset of the output element it
 * reduces into. Output offsets are the same with or without keepdim: dropping size-1 dims
 * does not reorder anything.
 */
function outputOffsets(shape: Shape, dims: readonly number[]): Int32Array {
	const nd = shape.length;
	const strides = stridesOf(keptShape(shape, dims)).map((s, i) => (dims.includes(i) ? 0 : s));
	const offsets = new Int32Array(numel(shape));
	const idx = new Array<number>(nd).fill(0);
	let o = 0;
	for (let i = 0; i < offsets.length; i++) {
		offsets[i] = o;
		for (let d = nd - 1; d >= 0; d--) {
			idx[d]++;
			o += strides[d];
			if (idx[d] < shape[d]) break;
			o -= strides[d] * shape[d];
			idx[d] = 0;
		}
	}
	return offsets;
}

/**
 * Largest value over `dims`, like `torch.amax`: NaN wins, and the gradient is shared evenly
 * among tied maxima rather than sent to one arbitrary winner.
 */
export const max: OpDef<OpAttrs['max']> = {
	forward: ([x], { dims, keepdim }) => {
		check(x.shape, dims);
		const shape = keepdim ? keptShape(x.shape, dims) : x.shape.filter((_, i) => !dims.includes(i));
		return { data: maxKernel(x.data, x.shape, dims), shape };
	},
	backward: ({ grad, inputs: [x], out, attrs }) => {
		const at = outputOffsets(x.shape, attrs.dims);
		const v = x.data;
		const y = out.data;
		const g = grad.data;
		const ties = new Float64Array(y.length);
		for (let i = 0; i < v.length; i++) if (v[i] === y[at[i]]) ties[at[i]]++;
		const dx = alloc(x.dtype, v.length);
		for (let i = 0; i < v.length; i++) if (v[i] === y[at[i]]) dx[i] = g[at[i]] / ties[at[i]];
		return [fromData(dx, x.shape)];
	},
	tex: {
		forward: 'y = \\max_{i} x_i',
		backward: '\\bar x_i = \\frac{[x_i = y]}{\\sum_j [x_j = y]}\\,\\bar y'
	}
};
