import { alloc } from '../dtype';
import { broadcastShapes, reducedDims, shapesEqual, type Shape } from '../shape';
import { BinaryOp, binaryKernel } from '../kernels/binary';
import { Tensor, promoteOf } from '../tensor';
import type { ForwardResult } from './types';

/** Sum a broadcast gradient back down to the shape of the input it flows to. */
export function sumTo(grad: Tensor, shape: Shape): Tensor {
	if (shapesEqual(grad.shape, shape)) return grad;
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
