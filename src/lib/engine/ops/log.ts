import { unaryForward } from './util';
import type { OpDef } from './types';

/** Natural logarithm: −Infinity at 0 and NaN below, as in PyTorch. */
export const log: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = Math.log(src[i]);
		}),
	backward: ({ grad, inputs: [x] }) => [grad.div(x)],
	tex: { forward: 'y = \\ln x', backward: '\\bar x = \\frac{\\bar y}{x}' }
};
