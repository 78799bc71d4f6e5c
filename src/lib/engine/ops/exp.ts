import { unaryForward } from './util';
import type { OpDef } from './types';

/** `eˣ`; its gradient reuses the output. */
export const exp: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = Math.exp(src[i]);
		}),
	backward: ({ grad, out }) => [grad.mul(out)],
	tex: { forward: 'y = e^{x}', backward: '\\bar x = \\bar y \\odot y' }
};
