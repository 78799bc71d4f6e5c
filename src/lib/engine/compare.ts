import { alloc } from './dtype';
import { broadcastShapes } from './shape';
import { planRows } from './kernels/broadcast';
import { Tensor, promoteOf, type TensorLike } from './tensor';

type Pred = (x: number, y: number) => boolean;

function compare(name: string, a: Tensor, bIn: TensorLike, pred: Pred): Tensor {
	const b = bIn instanceof Tensor ? bIn : Tensor.full([], bIn, a.dtype);
	const shape = broadcastShapes(name, a.shape, b.shape);
	const out = alloc(
		promoteOf(a, b),
		shape.reduce((n, d) => n * d, 1)
	);
	const p = planRows(a.shape, b.shape, shape);
	for (let r = 0; r < p.rows; r++) {
		for (let j = 0; j < p.inner; j++) {
			out[r * p.inner + j] = pred(a.data[p.aOff[r] + j * p.aStep], b.data[p.bOff[r] + j * p.bStep]) ? 1 : 0;
		}
	}
	return new Tensor(out, shape);
}

/**
 * Elementwise comparisons giving 1 where true and 0 where false. They have no gradient:
 * their results are masks, never part of the differentiable graph.
 *
 * @example
 * eq(tensor([1, 2]), 2).toArray(); // [0, 1]
 */
export const eq = (a: Tensor, b: TensorLike): Tensor => compare('eq', a, b, (x, y) => x === y);
export const lt = (a: Tensor, b: TensorLike): Tensor => compare('lt', a, b, (x, y) => x < y);
export const gt = (a: Tensor, b: TensorLike): Tensor => compare('gt', a, b, (x, y) => x > y);
export const le = (a: Tensor, b: TensorLike): Tensor => compare('le', a, b, (x, y) => x <= y);
export const ge = (a: Tensor, b: TensorLike): Tensor => compare('ge', a, b, (x, y) => x >= y);
