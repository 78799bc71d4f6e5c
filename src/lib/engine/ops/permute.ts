import { alloc } from '../dtype';
import { fmtShape, ShapeError } from '../errors';
import { stridesOf } from '../shape';
import { stridedCopy, transposeLast2 } from '../kernels/strided';
import type { OpDef, OpAttrs } from './types';

/**
 * Reorder dimensions: output dim `k` is input dim `dims[k]`. The copy walks the input with
 * its strides permuted, so the output comes out contiguous in one pass.
 *
 * @example
 * zeros([2, 3, 4]).permute(2, 0, 1).shape; // [4, 2, 3]
 */
export const permute: OpDef<OpAttrs['permute']> = {
	forward: ([x], { dims }) => {
		if (dims.length !== x.ndim || new Set(dims).size !== dims.length || dims.some((d) => !Number.isInteger(d) || d < 0 || d >= x.ndim)) {
			throw new ShapeError('permute', `dims [${dims.join(',')}] are not a permutation of the ${x.ndim} dimensions of ${fmtShape(x.shape)}`);
		}
		const shape = dims.map((d) => x.shape[d]);
		const data = alloc(x.dtype, x.size);
		const n = dims.length;
		if (n >= 2 && dims[n - 2] === n - 1 && dims[n - 1] === n - 2 && dims.every((d, k) => k >= n - 2 || d === k)) {
			// A (batched) matrix transpose, as `weight.T` in every Linear: copied in cache-sized tiles.
			const [R, C] = [x.shape[n - 2], x.shape[n - 1]];
			if (R * C > 0) transposeLast2(x.data, x.size / (R * C), R, C, data);
			return { data, shape };
		}
		const own = stridesOf(x.shape);
		stridedCopy(
			x.data,
			shape,
			dims.map((d) => own[d]),
			0,
			data
		);
		return { data, shape };
	},
	backward: ({ grad, attrs: { dims } }) => {
		const inverse = new Array<number>(dims.length);
		dims.forEach((d, k) => (inverse[d] = k));
		return [grad.permute(inverse)];
	},
	tex: {
		forward: 'y_{i_1 \\dots i_n} = x_{j_1 \\dots j_n},\\quad j_{\\sigma(k)} = i_k',
		backward: '\\bar x = \\operatorname{permute}(\\bar y,\\ \\sigma^{-1})'
	}
};
