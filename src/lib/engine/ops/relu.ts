import { alloc } from '../dtype';
import { fromData, unaryForward } from './util';
import type { OpDef } from './types';

/** `max(x, 0)`. NaN passes through, and the gradient at exactly 0 is 0, as in PyTorch. */
export const relu: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			// `<=` rather than `>`: NaN fails the test and passes through; −0 becomes +0.
			for (let i = 0; i < src.length; i++) out[i] = src[i] <= 0 ? 0 : src[i];
		}),
	backward: ({ grad, out }) => {
		const g = grad.data;
		const y = out.data;
		const dx = alloc(out.dtype, y.length);
		for (let i = 0; i < dx.length; i++) dx[i] = y[i] > 0 ? g[i] : 0;
		return [fromData(dx, out.shape)];
	},
	tex: { forward: 'y = \\max(x, 0)', backward: '\\bar x = \\bar y \\odot [x > 0]' }
};
