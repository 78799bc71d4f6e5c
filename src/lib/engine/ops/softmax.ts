import { alloc } from '../dtype';
import { ShapeError, fmtShape } from '../errors';
import { axisView, softmaxBackward, softmaxForward } from '../kernels/softmax';
import type { Shape } from '../shape';
import { fromData } from './util';
import type { OpAttrs, OpDef } from './types';

/** Throws unless `dim` is a normalised (non-negative) dim of `shape`; shared with logSoftmax. */
export function checkSoftmaxDim(op: string, shape: Shape, dim: number): void {
	if (!Number.isInteger(dim) || dim < 0 || dim >= Math.max(shape.length, 1)) {
		throw new ShapeError(op, `dim ${String(dim)} is not a dimension of ${fmtShape(shape)}`);
	}
}

/**
 * `exp(x) / Σ exp(x)` along `dim`, fused: it is a primitive rather than a composition
 * because shifting by the max keeps it finite for inputs like 1000, and because attention
 * runs it on every score.
 */
export const softmax: OpDef<OpAttrs['softmax']> = {
	forward: ([x], { dim }) => {
		checkSoftmaxDim('softmax', x.shape, dim);
		const data = alloc(x.dtype, x.size);
		softmaxForward(x.data, data, axisView(x.shape, dim));
		return { data, shape: [...x.shape] };
	},
	backward: ({ grad, out, attrs }) => {
		const dx = alloc(out.dtype, out.size);
		softmaxBackward(grad.data, out.data, dx, axisView(out.shape, attrs.dim));
		return [fromData(dx, out.shape)];
	},
	tex: {
		forward: 'y_i = \\frac{e^{x_i - m}}{\\sum_j e^{x_j - m}},\\quad m = \\max_j x_j',
		backward: '\\bar x_i = y_i \\left(\\bar y_i - \\sum_j \\bar y_j \\, y_j\\right)'
	}
};
