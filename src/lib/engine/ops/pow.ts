import { alloc } from '../dtype';
import { planRows } from '../kernels/broadcast';
import { promoteOf } from '../tensor';
import { BinaryOp, binaryForward, fromData, sumTo } from './util';
import type { OpDef } from './types';

/**
 * `aᵇ` elementwise with broadcasting (`Math.pow` semantics: a negative base with a
 * fractional exponent is NaN, as in PyTorch).
 *
 * The gradients follow PyTorch's special cases, so fixtures match where the formulas
 * alone give 0·∞: where b = 0 the gradient to a is 0 (aᵇ is constant 1 there), and
 * where a = 0 with b ≥ 0 the gradient to b is 0 (instead of 0·ln 0).
 */
export const pow: OpDef<null> = {
	forward: ([a, b]) => binaryForward('pow', BinaryOp.Pow, a, b),
	backward: ({ grad, inputs: [a, b], out, needs }) => {
		const p = planRows(a.shape, b.shape, out.shape);
		const g = grad.data;
		const y = out.data;
		const da = needs[0] ? alloc(promoteOf(a, b), y.length) : null;
		const db = needs[1] ? alloc(promoteOf(a, b), y.length) : null;
		for (let r = 0; r < p.rows; r++) {
			for (let j = 0; j < p.inner; j++) {
				const o = r * p.inner + j;
				const av = a.data[p.aOff[r] + j * p.aStep];
				const bv = b.data[p.bOff[r] + j * p.bStep];
				if (da) da[o] = bv === 0 ? 0 : g[o] * bv * Math.pow(av, bv - 1);
				if (db) db[o] = av === 0 && bv >= 0 ? 0 : g[o] * y[o] * Math.log(av);
			}
		}
		return [da && sumTo(fromData(da, out.shape), a.shape), db && sumTo(fromData(db, out.shape), b.shape)];
	},
	tex: { forward: 'y = a^{b}', backward: '\\bar a = \\bar y \\odot b \\, a^{b-1},\\quad \\bar b = \\bar y \\odot a^{b} \\ln a' }
};
