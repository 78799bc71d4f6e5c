import { alloc } from '../dtype';
import { fmtShape, ShapeError } from '../errors';
import { stridesOf } from '../shape';
import { stridedCopy } from '../kernels/strided';
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
		const own = stridesOf(x.shape);
		const shape = dims.map((d) => x.shape[d]);
		const strides = dims.map((d) => own[d]);
		const data = alloc(x.dtype, x.size);
		stridedCopy(x.data, shape, strides, 0, data);
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
