import { alloc } from '../dtype';
import { fromData, unaryForward } from './util';
import type { OpDef } from './types';

/** `√x`: NaN below 0, and an infinite gradient at 0, as in PyTorch. */
export const sqrt: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = Math.sqrt(src[i]);
		}),
	backward: ({ grad, out }) => {
		const g = grad.data;
		const y = out.data;
		const dx = alloc(out.dtype, y.length);
		for (let i = 0; i < dx.length; i++) dx[i] = g[i] / (2 * y[i]);
		return [fromData(dx, out.shape)];
	},
	tex: { forward: 'y = \\sqrt{x}', backward: '\\bar x = \\frac{\\bar y}{2\\sqrt{x}}' }
};
