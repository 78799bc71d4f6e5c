import { fmtShape, ShapeError } from '../errors';
import { checkShape, numel } from '../shape';
import type { OpDef, OpAttrs } from './types';

/**
 * The same values read in a new shape (already resolved, -1 inferred, by `Tensor.reshape`).
 * Storage is always contiguous row-major, so the output shares the input's buffer: ops never
 * write into their inputs, and a view in PyTorch would alias its base just the same.
 *
 * @example
 * arange(6).reshape(2, 3).toArray(); // [[0, 1, 2], [3, 4, 5]]
 */
export const reshape: OpDef<OpAttrs['reshape']> = {
	forward: ([x], { shape }) => {
		checkShape('reshape', shape);
		if (numel(shape) !== x.size) {
			throw new ShapeError(
				'reshape',
				`cannot reshape ${fmtShape(x.shape)} (${x.size} elements) to ${fmtShape(shape)} (${numel(shape)} elements); the element counts must match`
			);
		}
		return { data: x.data, shape: [...shape] };
	},
	backward: ({ grad, inputs: [x] }) => [grad.reshape([...x.shape])],
	tex: {
		forward: 'y = \\operatorname{reshape}(x,\\ (s_1, \\dots, s_k))',
		backward: '\\bar x = \\operatorname{reshape}(\\bar y,\\ \\operatorname{shape}(x))'
	}
};
