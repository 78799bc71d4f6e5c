import { BinaryOp, binaryForward, sumTo } from './util';
import type { OpDef } from './types';

/** `a − b`, broadcasting. */
export const sub: OpDef<null> = {
	forward: ([a, b]) => binaryForward('sub', BinaryOp.Sub, a, b),
	backward: ({ grad, inputs: [a, b], needs }) => [needs[0] ? sumTo(grad, a.shape) : null, needs[1] ? sumTo(grad.neg(), b.shape) : null],
	tex: { forward: 'y = a - b', backward: '\\bar a = \\bar y,\\quad \\bar b = -\\bar y' }
};
