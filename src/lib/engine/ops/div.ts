import { BinaryOp, binaryForward, sumTo } from './util';
import type { OpDef } from './types';

/** `a / b`, elementwise with broadcasting; division by zero gives ±Infinity or NaN, as in PyTorch. */
export const div: OpDef<null> = {
	forward: ([a, b]) => binaryForward('div', BinaryOp.Div, a, b),
	backward: ({ grad, inputs: [a, b], needs }) => [
		needs[0] ? sumTo(grad.div(b), a.shape) : null,
		needs[1] ? sumTo(grad.mul(a).div(b.mul(b)).neg(), b.shape) : null
	],
	tex: { forward: 'y = \\frac{a}{b}', backward: '\\bar a = \\frac{\\bar y}{b},\\quad \\bar b = -\\frac{\\bar y \\, a}{b^2}' }
};
