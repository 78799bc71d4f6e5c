import { alloc, type Storage } from '../dtype';
import { ShapeError, fmtShape } from '../errors';
import { planRows } from '../kernels/broadcast';
import type { Shape } from '../shape';
import type { Tensor } from '../tensor';
import { fromData } from './util';
import type { OpAttrs, OpDef } from './types';

/** The mask must broadcast to the input's shape without growing it, as in `Tensor.masked_fill`. */
function check(x: Shape, mask: Shape): void {
	const lead = x.length - mask.length;
	if (lead < 0) {
		throw new ShapeError(
			'maskedFill',
			`mask ${fmtShape(mask)} has more dimensions than input ${fmtShape(x)}; it must broadcast to the input's shape`
		);
	}
	mask.forEach((m, i) => {
		const d = x[lead + i];
		if (m !== d && m !== 1) {
			throw new ShapeError('maskedFill', `mask ${fmtShape(mask)} cannot broadcast to input ${fmtShape(x)} (dim ${lead + i}: ${m} vs ${d})`);
		}
	});
}

/** out = src where the broadcast mask is 0, and `value` where it is nonzero. */
function fillWhere(src: Storage, shape: Shape, mask: Tensor, value: number, out: Storage): void {
	const p = planRows(shape, mask.shape, shape);
	for (let r = 0; r < p.rows; r++) {
		for (let j = 0; j < p.inner; j++) {
			const o = r * p.inner + j;
			out[o] = mask.data[p.bOff[r] + j * p.bStep] !== 0 ? value : src[o];
		}
	}
}

/** `value` wherever the mask is nonzero, else `x`; the gradient is 0 at filled positions. */
export const maskedFill: OpDef<OpAttrs['maskedFill']> = {
	nonDifferentiable: [1],
	forward: ([x, mask], { value }) => {
		check(x.shape, mask.shape);
		const data = alloc(x.dtype, x.size);
		fillWhere(x.data, x.shape, mask, value, data);
		return { data, shape: [...x.shape] };
	},
	backward: ({ grad, inputs: [x, mask] }) => {
		const dx = alloc(x.dtype, x.size);
		fillWhere(grad.data, x.shape, mask, 0, dx);
		return [fromData(dx, x.shape), null];
	},
	tex: {
		forward: 'y_i = \\begin{cases} v & m_i \\neq 0 \\\\ x_i & \\text{otherwise} \\end{cases}',
		backward: '\\bar x_i = \\bar y_i \\,[m_i = 0]'
	}
};
