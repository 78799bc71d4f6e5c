import { alloc } from '../dtype';
import { fromData, unaryForward } from './util';
import type { OpDef } from './types';

/** Hyperbolic tangent; its gradient reuses the output. */
export const tanh: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = Math.tanh(src[i]);
		}),
	backward: ({ grad, out }) => {
		const g = grad.data;
		const y = out.data;
		const dx = alloc(out.dtype, y.length);
		for (let i = 0; i < dx.length; i++) dx[i] = g[i] * (1 - y[i] * y[i]);
		return [fromData(dx, out.shape)];
	},
	tex: { forward: 'y = \\tanh x', backward: '\\bar x = \\bar y \\odot (1 - y^2)' }
};
