import { alloc } from '../dtype';
import { fmtShape, ShapeError } from '../errors';
import { checkShape, numel, stridesOf } from '../shape';
import { stridedCopy } from '../kernels/strided';
import { sumTo } from './util';
import type { OpDef, OpAttrs } from './types';

/**
 * Broadcast to `shape`: size-1 dims repeat, and new dims may be added in front. Reading the
 * input with stride 0 along those dims materialises the repeats in one pass.
 *
 * @example
 * tensor([[1], [2]]).expand(2, 3).toArray(); // [[1, 1, 1], [2, 2, 2]]
 */
export const expand: OpDef<OpAttrs['expand']> = {
	forward: ([x], { shape }) => {
		checkShape('expand', shape);
		const lead = shape.length - x.ndim;
		if (lead < 0) {
			throw new ShapeError(
				'expand',
				`cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: the target must have at least ${x.ndim} dimensions`
			);
		}
		x.shape.forEach((s, i) => {
			const t = shape[lead + i];
			if (s !== t && s !== 1) {
				throw new ShapeError(
					'expand',
					`cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: dim ${lead + i} has size ${s}, which must equal ${t} or be 1`
				);
			}
		});
		const own = stridesOf(x.shape);
		const strides = shape.map((t, d) => (d < lead || x.shape[d - lead] !== t ? 0 : own[d - lead]));
		const data = alloc(x.dtype, numel(shape));
		stridedCopy(x.data, shape, strides, 0, data);
		return { data, shape: [...shape] };
	},
	backward: ({ grad, inputs: [x] }) => [sumTo(grad, x.shape)],
	tex: {
		forward:
			'y_{i_1 \\dots i_m} = x_{j_1 \\dots j_n},\\quad j_d = \\begin{cases} 0 & n_d = 1 \\\\ i_{d + m - n} & \\text{otherwise} \\end{cases}',
		backward: '\\bar x_{j} = \\sum_{i \\,:\\, i \\mapsto j} \\bar y_{i}'
	}
};
