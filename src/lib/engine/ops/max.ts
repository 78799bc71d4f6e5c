import { alloc } from '../dtype';
import { ShapeError, fmtShape } from '../errors';
import { keptShape, maxKernel, planReduce } from '../kernels/reduce';
import type { Shape } from '../shape';
import { fromData } from './util';
import type { OpAttrs, OpDef } from './types';

function check(shape: Shape, dims: readonly number[]): void {
	const bad = dims.find((d, i) => !Number.isInteger(d) || d < 0 || d >= Math.max(shape.length, 1) || dims.indexOf(d) !== i);
	if (bad !== undefined) throw new ShapeError('max', `dims [${dims.join(',')}] are not distinct dims of ${fmtShape(shape)}`);
	const empty = dims.find((d) => shape[d] === 0);
	if (empty !== undefined) {
		throw new ShapeError('max', `cannot take the max over dim ${empty} of ${fmtShape(shape)}: it has no elements`);
	}
}

/**
 * Largest value over `dims`, like `torch.amax`: NaN wins, and the gradient is shared evenly
 * among tied maxima rather than sent to one arbitrary winner.
 */
export const max: OpDef<OpAttrs['max']> = {
	forward: ([x], { dims, keepdim }) => {
		check(x.shape, dims);
		const shape = keepdim ? keptShape(x.shape, dims) : x.shape.filter((_, i) => !dims.includes(i));
		return { data: maxKernel(x.data, x.shape, dims), shape };
	},
	backward: ({ grad, inputs: [x], out, attrs }) => {
		// Row r of x reduces into the output from outOff[r], stepping outStep per element.
		const { rows, inner, outStep, outOff } = planReduce(x.shape, attrs.dims);
		const v = x.data;
		const y = out.data;
		const g = grad.data;
		const ties = new Float64Array(y.length);
		for (let r = 0, i = 0; r < rows; r++) {
			for (let j = 0, o = outOff[r]; j < inner; j++, i++, o += outStep) if (v[i] === y[o]) ties[o]++;
		}
		const dx = alloc(x.dtype, v.length);
		for (let r = 0, i = 0; r < rows; r++) {
			for (let j = 0, o = outOff[r]; j < inner; j++, i++, o += outStep) if (v[i] === y[o]) dx[i] = g[o] / ties[o];
		}
		return [fromData(dx, x.shape)];
	},
	tex: {
		forward: 'y = \\max_{i} x_i',
		backward: '\\bar x_i = \\frac{[x_i = y]}{\\sum_j [x_j = y]}\\,\\bar y'
	}
};
