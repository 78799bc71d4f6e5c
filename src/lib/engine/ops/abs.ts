import { alloc } from '../dtype';
import { fromData, unaryForward } from './util';
import type { OpDef } from './types';

/** `|x|`. At 0 the gradient is 0 (sign(0) = 0), as in PyTorch. */
export const abs: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = Math.abs(src[i]);
		}),
	backward: ({ grad, inputs: [x] }) => {
		const g = grad.data;
		const v = x.data;
		const dx = alloc(x.dtype, v.length);
		for (let i = 0; i < dx.length; i++) dx[i] = g[i] * Math.sign(v[i]);
		return [fromData(dx, x.shape)];
	},
	tex: { forward: 'y = |x|', backward: '\\bar x = \\bar y \\odot \\operatorname{sign}(x)' }
};
