import { alloc } from '../dtype';
import { broadcastShapes, numel, reducedDims, shapesEqual, type Shape } from '../shape';
import { BinaryOp, binaryKernel, isTrailing } from '../kernels/binary';
import { Tensor, promoteOf } from '../tensor';
import type { ForwardResult } from './types';

/**
 * Sum a broadcast gradient back down to the shape of the input it flows to. A bias's gradient
 * (shape the trailing dims of the gradient's) is summed block by block straight into one new
 * buffer, in the order `sum` would add them, without building a reduction plan or a reshape.
 */
export function sumTo(grad: Tensor, shape: Shape): Tensor {
	if (shapesEqual(grad.shape, shape)) return grad;
	if (isTrailing(shape, grad.shape)) {
		const inner = numel(shape);
		const g = grad.data;
		const acc = new Float64Array(inner);
		for (let o = 0; o < g.length; o += inner) for (let j = 0; j < inner; j++) acc[j] += g[o + j];
		const data = alloc(grad.dtype, inner);
		data.set(acc);
		return new Tensor(data, [...shape]);
	}
	const { dims } = reducedDims(shape, grad.shape);
	return grad.sum(dims, true).reshape([...shape]);
}

/** Forward of a broadcasting binary op. */
export function binaryForward(name: string, op: BinaryOp, a: Tensor, b: Tensor): ForwardResult<never> {
	const shape = broadcastShapes(name, a.shape, b.shape);
	const data = alloc(
		promoteOf(a, b),
		shape.reduce((n, d) => n * d, 1)
	);
	binaryKernel(op, a.data, a.shape, b.data, b.shape, data, shape);
	return { data, shape };
}

/** Forward of an elementwise unary op. */
export function unaryForward(
	x: Tensor,
	f: (out: Float32Array | Float64Array, src: Float32Array | Float64Array) => void
): ForwardResult<never> {
	const data = alloc(x.dtype, x.size);
	f(data, x.data);
	return { data, shape: [...x.shape] };
}

/** A tensor of the given values and shape, for backward formulas that need a fresh buffer. */
export function fromData(data: Float32Array | Float64Array, shape: Shape): Tensor {
	return new Tensor(data, shape);
}

export { BinaryOp };
