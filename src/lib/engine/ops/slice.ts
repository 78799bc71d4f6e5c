import { alloc } from '../dtype';
import { fmtShape, ShapeError } from '../errors';
import { numel, stridesOf } from '../shape';
import { stridedCopy, stridedScatter } from '../kernels/strided';
import { Tensor } from '../tensor';
import type { OpDef, OpAttrs } from './types';

type SliceAttrs = OpAttrs['slice'];

/** The slice as a strided view of the input: its shape, strides and first element. */
function view(shape: readonly number[], { dim, start, end, step }: SliceAttrs) {
	const strides = stridesOf(shape);
	const out = [...shape];
	out[dim] = Math.ceil((end - start) / step);
	const offset = start * strides[dim];
	strides[dim] *= step;
	return { shape: out, strides, offset };
}

/**
 * Every `step`-th element of `dim` from `start` up to (not including) `end`, as `x[..., start:end:step]`.
 * `Tensor.slice` resolves negative and out-of-range bounds before this runs.
 *
 * @example
 * arange(6).slice(0, 1, 6, 2).toArray(); // [1, 3, 5]
 */
export const slice: OpDef<SliceAttrs> = {
	forward: ([x], attrs) => {
		const { dim, start, end, step } = attrs;
		if (x.ndim === 0) throw new ShapeError('slice', 'cannot slice a 0-d tensor; it has no dimension to slice');
		const n = x.shape[dim];
		const bounds = [dim, start, end, step];
		if (!bounds.every(Number.isInteger) || dim < 0 || dim >= x.ndim || step < 1 || start < 0 || start > end || end > n) {
			throw new ShapeError(
				'slice',
				`dim ${dim}, ${start}:${end}:${step} is not a valid slice of ${fmtShape(x.shape)}; need 0 ≤ start ≤ end ≤ ${n ?? 0} and step ≥ 1`
			);
		}
		const v = view(x.shape, attrs);
		const data = alloc(x.dtype, numel(v.shape));
		stridedCopy(x.data, v.shape, v.strides, v.offset, data);
		return { data, shape: v.shape };
	},
	backward: ({ grad, inputs: [x], attrs }) => {
		const data = alloc(x.dtype, x.size);
		const v = view(x.shape, attrs);
		stridedScatter(grad.data, v.shape, v.strides, v.offset, data);
		return [new Tensor(data, x.shape)];
	},
	tex: {
		forward: 'y_{\\dots k \\dots} = x_{\\dots\\, s + k t\\, \\dots},\\quad 0 \\le k < \\lceil (e - s) / t \\rceil',
		backward: '\\bar x_{\\dots\\, s + k t\\, \\dots} = \\bar y_{\\dots k \\dots},\\quad \\bar x = 0 \\text{ elsewhere}'
	}
};
