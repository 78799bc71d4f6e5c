import { alloc } from '../dtype';
import { erfc } from '../kernels/erf';
import { fromData, unaryForward } from './util';
import type { OpDef } from './types';

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Standard normal CDF Φ(x) = ½·erfc(−x/√2). Written with erfc rather than ½(1 + erf(x/√2))
 * so it keeps its relative precision in the far left tail instead of rounding to 0.
 */
function normalCdf(x: number): number {
	return 0.5 * erfc(-x * Math.SQRT1_2);
}

/** Exact GELU `x·Φ(x)`, PyTorch's default (`approximate='none'`), not the tanh approximation. */
export const gelu: OpDef<null> = {
	forward: ([x]) =>
		unaryForward(x, (out, src) => {
			for (let i = 0; i < src.length; i++) out[i] = src[i] * normalCdf(src[i]);
		}),
	backward: ({ grad, inputs: [x] }) => {
		const g = grad.data;
		const v = x.data;
		const dx = alloc(x.dtype, v.length);
		for (let i = 0; i < dx.length; i++) {
			const xi = v[i];
			dx[i] = g[i] * (normalCdf(xi) + xi * INV_SQRT_2PI * Math.exp(-0.5 * xi * xi));
		}
		return [fromData(dx, x.shape)];
	},
	tex: {
		forward: 'y = x\\,\\Phi(x) = \\frac{x}{2}\\left(1 + \\operatorname{erf}\\frac{x}{\\sqrt{2}}\\right)',
		backward: '\\bar x = \\bar y \\odot \\left(\\Phi(x) + x\\,\\varphi(x)\\right),\\quad \\varphi(x) = \\frac{e^{-x^2/2}}{\\sqrt{2\\pi}}'
	}
};
