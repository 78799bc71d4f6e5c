import { alloc } from '../dtype';
import { axisView, logSoftmaxBackward, logSoftmaxForward } from '../kernels/softmax';
import { checkSoftmaxDim } from './softmax';
import { fromData } from './util';
import type { OpAttrs, OpDef } from './types';

/**
 * `x − log Σ exp(x)` along `dim`, fused so it stays finite where `softmax(x).log()` would
 * give −Infinity (any probability that underflows to 0), which cross-entropy relies on.
 */
export const logSoftmax: OpDef<OpAttrs['logSoftmax']> = {
	forward: ([x], { dim }) => {
		checkSoftmaxDim('logSoftmax', x.shape, dim);
		const data = alloc(x.dtype, x.size);
		logSoftmaxForward(x.data, data, axisView(x.shape, dim));
		return { data, shape: [...x.shape] };
	},
	backward: ({ grad, out, attrs }) => {
		const dx = alloc(out.dtype, out.size);
		logSoftmaxBackward(grad.data, out.data, dx, axisView(out.shape, attrs.dim));
		return [fromData(dx, out.shape)];
	},
	tex: {
		forward: 'y_i = x_i - m - \\ln \\sum_j e^{x_j - m},\\quad m = \\max_j x_j',
		backward: '\\bar x_i = \\bar y_i - e^{y_i} \\sum_j \\bar y_j'
	}
};
