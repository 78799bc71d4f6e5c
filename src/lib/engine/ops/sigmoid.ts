import { alloc } from '../dtype';
import { fromData, unaryForward } from './util';
import type { OpDef } from './types';

/** The logistic function `1 / (1 + e^{−x})`; its gradient reuses the output. */
export const sigmoid: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) {
				const v = src[i];
				// Only ever exponentiate a non-positive number, so e^{−x} cannot overflow for very negative x.
				if (v >= 0) {
					out[i] = 1 / (1 + Math.exp(-v));
				} else {
					const e = Math.exp(v);
					out[i] = e / (1 + e);
				}
			}
		}),
	backward: ({ grad, out }) => {
		const g = grad.data;
		const y = out.data;
		const dx = alloc(out.dtype, y.length);
		for (let i = 0; i < dx.length; i++) dx[i] = g[i] * y[i] * (1 - y[i]);
		return [fromData(dx, out.shape)];
	},
	tex: { forward: 'y = \\sigma(x) = \\frac{1}{1 + e^{-x}}', backward: '\\bar x = \\bar y \\odot y \\odot (1 - y)' }
};
