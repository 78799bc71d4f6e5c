import { alloc } from '../dtype';
import { maxPoolBackward, maxPoolForward } from '../kernels/pool';
import type { OpDef, OpAttrs } from './types';
import { gradFrom, poolWindow } from './window';

/**
 * Max over each kernel window of `x` [N, C, H, W], as torch.nn.functional.max_pool2d
 * (floor output size, padding as −∞). Forward saves which input won each window, so
 * backward is a scatter of the output gradient onto those inputs.
 */
export const maxPool2d: OpDef<OpAttrs['maxPool2d'], Int32Array> = {
	forward: ([x], attrs) => {
		const g = poolWindow('maxPool2d', x, attrs);
		const n = g.N * g.C * g.OH * g.OW;
		const data = alloc(x.dtype, n);
		const argmax = new Int32Array(n);
		maxPoolForward(x.data, g.N * g.C, g, data, argmax);
		return { data, shape: [g.N, g.C, g.OH, g.OW], saved: argmax };
	},
	backward: ({ grad, inputs: [x], saved: argmax }) => {
		const gx = new Float64Array(x.size);
		maxPoolBackward(grad.data, argmax, gx);
		return [gradFrom(gx, x)];
	},
	tex: {
		forward: 'Y_{n,c,i,j} = \\max_{(h,w) \\in \\mathcal{W}_{ij}} X_{n,c,h,w}',
		backward: '\\bar X_{n,c,h,w} = \\sum_{(i,j):\\ (h,w) = \\arg\\max_{\\mathcal{W}_{ij}} X_{n,c}} \\bar Y_{n,c,i,j}'
	}
};
