import { BinaryOp, binaryForward, sumTo } from './util';
import type { OpDef } from './types';

/** `a ⊙ b`, elementwise with broadcasting. */
export const mul: OpDef<null> = {
	forward: ([a, b]) => binaryForward('mul', BinaryOp.Mul, a, b),
	backward: ({ grad, inputs: [a, b], needs }) => [
		needs[0] ? sumTo(grad.mul(b), a.shape) : null,
		needs[1] ? sumTo(grad.mul(a), b.shape) : null
	],
	tex: { forward: 'y = a \\odot b', backward: '\\bar a = \\bar y \\odot b,\\quad \\bar b = \\bar y \\odot a' }
};
