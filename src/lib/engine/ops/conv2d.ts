import { alloc } from '../dtype';
import { ShapeError, fmtShape } from '../errors';
import { col2im, im2col } from '../kernels/im2col';
import { gemm } from '../kernels/matmul';
import { promoteOf, type Tensor } from '../tensor';
import type { OpDef, OpAttrs } from './types';
import { check4d, gradFrom, window2d, type Window2d } from './window';

function validate([x, w, bias]: readonly Tensor[], { stride, padding }: OpAttrs['conv2d']): Window2d {
	check4d('conv2d', x);
	if (w.ndim !== 4) throw new ShapeError('conv2d', `weight must be 4-D [O, C, kH, kW], got ${fmtShape(w.shape)}`);
	if (x.shape[1] !== w.shape[1]) {
		throw new ShapeError(
			'conv2d',
			`input ${fmtShape(x.shape)} has ${x.shape[1]} channels but weight ${fmtShape(w.shape)} expects ${w.shape[1]} (dim 1 must match)`
		);
	}
	if (bias !== undefined && (bias.ndim !== 1 || bias.shape[0] !== w.shape[0])) {
		throw new ShapeError(
			'conv2d',
			`bias must be [${w.shape[0]}] (one per output channel of weight ${fmtShape(w.shape)}), got ${fmtShape(bias.shape)}`
		);
	}
	return window2d('conv2d', x, [w.shape[2], w.shape[3]], stride, padding, ` of weight ${fmtShape(w.shape)}`);
}

/**
 * 2-D cross-correlation, as torch.nn.functional.conv2d: each image is unfolded by im2col
 * so the whole convolution is one GEMM per image, `weight[O, C·kH·kW] · col`.
 */
export const conv2d: OpDef<OpAttrs['conv2d'], Window2d> = {
	forward: (inputs, attrs) => {
		const g = validate(inputs, attrs);
		const [x, w, bias] = inputs;
		const O = w.shape[0];
		const CK = g.C * g.kH * g.kW;
		const L = g.OH * g.OW;
		const data = alloc(promoteOf(...inputs), g.N * O * L);
		// The unfolded image holds copies of the input's values, so it takes the input's dtype:
		// exact, half the memory traffic for float32, and the GEMM's packing reads one array type.
		const col = alloc(x.dtype, CK * L);
		for (let n = 0; n < g.N; n++) {
			// Seeding the output with the bias and accumulating onto it rounds each output once.
			if (bias !== undefined) for (let o = 0; o < O; o++) data.fill(bias.data[o], (n * O + o) * L, (n * O + o + 1) * L);
			im2col(x.data, n * g.C * g.H * g.W, g, col);
			gemm(w.data, 0, col, 0, data, n * O * L, O, L, CK, false, false, bias !== undefined);
		}
		return { data, shape: [g.N, O, g.OH, g.OW], saved: g };
	},
	backward: ({ grad, inputs: [x, w, bias], saved: g, needs }) => {
		const O = w.shape[0];
		const CK = g.C * g.kH * g.kW;
		const L = g.OH * g.OW;
		const gy = grad.data;
		const gx = needs[0] ? new Float64Array(x.size) : null;
		const gw = needs[1] ? new Float64Array(w.size) : null;
		const dcol = gx ? new Float64Array(CK * L) : null;
		const col = gw ? alloc(x.dtype, CK * L) : null;
		for (let n = 0; n < g.N; n++) {
			if (gx && dcol) {
				// d col = Wᵀ · dY, folded back onto the pixels each column entry was read from.
				gemm(w.data, 0, gy, n * O * L, dcol, 0, CK, L, O, true, false);
				col2im(dcol, g, gx, n * g.C * g.H * g.W);
			}
			if (gw && col) {
				im2col(x.data, n * g.C * g.H * g.W, g, col);
				gemm(gy, n * O * L, col, 0, gw, 0, O, CK, L, false, true, n > 0);
			}
		}
		let gb: Tensor | null = null;
		if (bias !== undefined && needs[2]) {
			const acc = new Float64Array(O);
			for (let n = 0; n < g.N; n++) {
				for (let o = 0; o < O; o++) {
					const row = (n * O + o) * L;
					let s = 0;
					for (let l = 0; l < L; l++) s += gy[row + l];
					acc[o] += s;
				}
			}
			gb = gradFrom(acc, bias);
		}
		return [gx && gradFrom(gx, x), gw && gradFrom(gw, w), ...(bias ? [gb] : [])];
	},
	tex: {
		forward: 'Y_{n,o,i,j} = b_o + \\sum_{c,u,v} W_{o,c,u,v}\\, X_{n,c,\\,s_h i + u - p_h,\\,s_w j + v - p_w}',
		backward:
			'\\bar W_{o,c,u,v} = \\sum_{n,i,j} \\bar Y_{n,o,i,j}\\, X_{n,c,\\,s_h i + u - p_h,\\,s_w j + v - p_w},\\quad ' +
			'\\bar X_{n,c,h,w} = \\sum_{o,u,v} \\bar Y_{n,o,i,j}\\, W_{o,c,u,v}\\ \\text{where } s_h i + u - p_h = h,\\ s_w j + v - p_w = w,\\quad ' +
			'\\bar b_o = \\sum_{n,i,j} \\bar Y_{n,o,i,j}'
	}
};
