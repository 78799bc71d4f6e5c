import { alloc } from '../dtype';
import { avgPoolBackward, avgPoolForward } from '../kernels/pool';
import type { OpDef, OpAttrs } from './types';
import { gradFrom, poolWindow, type Window2d } from './window';

/**
 * Mean over each kernel window of `x` [N, C, H, W], as torch.nn.functional.avg_pool2d with
 * its defaults: floor output size, zero padding counted in the mean.
 */
export const avgPool2d: OpDef<OpAttrs['avgPool2d'], Window2d> = {
	forward: ([x], attrs) => {
		const g = poolWindow('avgPool2d', x, attrs);
		const data = alloc(x.dtype, g.N * g.C * g.OH * g.OW);
		avgPoolForward(x.data, g.N * g.C, g, data);
		return { data, shape: [g.N, g.C, g.OH, g.OW], saved: g };
	},
	backward: ({ grad, inputs: [x], saved: g }) => {
		const gx = new Float64Array(x.size);
		avgPoolBackward(grad.data, g.N * g.C, g, gx);
		return [gradFrom(gx, x)];
	},
	tex: {
		forward: 'Y_{n,c,i,j} = \\frac{1}{k_h k_w} \\sum_{u<k_h,\\ v<k_w} X_{n,c,\\,s_h i + u - p_h,\\,s_w j + v - p_w}',
		backward: '\\bar X_{n,c,h,w} = \\frac{1}{k_h k_w} \\sum_{(i,j):\\ (h,w) \\in \\mathcal{W}_{ij}} \\bar Y_{n,c,i,j}'
	}
};
