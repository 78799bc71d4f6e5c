import { unaryForward } from './util';
import type { OpDef } from './types';

/** `−x`. */
export const neg: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = -src[i];
		}),
	backward: ({ grad }) => [grad.neg()],
	tex: { forward: 'y = -x', backward: '\\bar x = -\\bar y' }
};
