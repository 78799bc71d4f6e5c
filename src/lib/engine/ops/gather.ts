import { alloc } from '../dtype';
import { fmtShape, ShapeError, ValueError } from '../errors';
import { stridesOf } from '../shape';
import { forEachRow } from '../kernels/strided';
import { Tensor } from '../tensor';
import type { OpDef, OpAttrs } from './types';

/** The multi-index of flat position `i` in `shape`, as `[1,0,2]`, for error messages. */
function position(i: number, shape: readonly number[]): string {
	const at = stridesOf(shape).map((s, d) => Math.floor(i / s) % shape[d]);
	return `[${at.join(',')}]`;
}

function validate(x: Tensor, index: Tensor, dim: number): void {
	if (index.ndim !== x.ndim) {
		throw new ShapeError(
			'gather',
			`index ${fmtShape(index.shape)} must have as many dimensions as input ${fmtShape(x.shape)} (${index.ndim} vs ${x.ndim})`
		);
	}
	const d = index.shape.findIndex((s, j) => j !== dim && s > x.shape[j]);
	if (d !== -1) {
		throw new ShapeError(
			'gather',
			`index ${fmtShape(index.shape)} is larger than input ${fmtShape(x.shape)} in dim ${d} (${index.shape[d]} vs ${x.shape[d]}); outside dim ${dim} it may not exceed the input`
		);
	}
	const n = x.shape[dim] ?? 1;
	index.data.forEach((v, i) => {
		if (!Number.isInteger(v) || v < 0 || v >= n) {
			throw new ValueError(
				`gather: index value ${v} at position ${position(i, index.shape)} is out of range for dim ${dim} of input ${fmtShape(x.shape)}; expected an integer in [0, ${n})`
			);
		}
	});
}

/**
 * Walk `index` in row-major order with, for each element, the flat offset of the input element
 * it picks: the index's own position in every dim but `dim`, and its value in `dim`.
 */
function forEachPick(x: Tensor, index: Tensor, dim: number, visit: (src: number, i: number) => void): void {
	const strides = stridesOf(x.shape);
	const along = strides[dim] ?? 1;
	const base = strides.map((s, d) => (d === dim ? 0 : s));
	const idx = index.data;
	forEachRow(index.shape, base, 0, (start, step, n, row) => {
		const o = row * n;
		for (let j = 0; j < n; j++) visit(start + j * step + idx[o + j] * along, o + j);
	});
}

/**
 * Pick values along `dim` at the positions `index` holds, as `torch.gather`:
 * `y[i][j][k] = x[index[i][j][k]][j][k]` for `dim` 0. The index has the input's rank and, outside `dim`,
 * no larger sizes; the output has the index's shape.
 *
 * @example
 * tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]])).toArray(); // [[2], [3]]
 */
export const gather: OpDef<OpAttrs['gather']> = {
	nonDifferentiable: [1],
	forward: ([x, index], { dim }) => {
		validate(x, index, dim);
		const data = alloc(x.dtype, index.size);
		const src = x.data;
		forEachPick(x, index, dim, (s, i) => (data[i] = src[s]));
		return { data, shape: [...index.shape] };
	},
	backward: ({ grad, inputs: [x, index], attrs: { dim }, needs }) => {
		if (!needs[0]) return [null, null];
		const data = alloc(x.dtype, x.size);
		const g = grad.data;
		// Repeated indices pick the same element more than once, so its gradient accumulates.
		forEachPick(x, index, dim, (s, i) => (data[s] += g[i]));
		return [new Tensor(data, x.shape), null];
	},
	tex: {
		forward: 'y_{i_1 \\dots i_d \\dots i_n} = x_{i_1 \\dots\\, \\mathrm{idx}_{i_1 \\dots i_n}\\, \\dots i_n}',
		backward:
			'\\bar x_{i_1 \\dots j \\dots i_n} = \\sum_{i_d \\,:\\, \\mathrm{idx}_{i_1 \\dots i_d \\dots i_n} = j} \\bar y_{i_1 \\dots i_d \\dots i_n}'
	}
};
