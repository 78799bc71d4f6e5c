import { alloc } from '../dtype';
import { fmtShape, ShapeError, ValueError } from '../errors';
import { numel } from '../shape';
import { Tensor } from '../tensor';
import type { OpDef, OpAttrs } from './types';

function validate(x: Tensor, index: Tensor, dim: number): void {
	if (index.ndim > 1) {
		throw new ShapeError('indexSelect', `index must be 1-D, got shape ${fmtShape(index.shape)} for input ${fmtShape(x.shape)}`);
	}
	if (x.ndim === 0 && index.size !== 1) {
		throw new ShapeError('indexSelect', `a 0-d input takes exactly one index, got index of shape ${fmtShape(index.shape)}`);
	}
	const n = x.shape[dim] ?? 1;
	index.data.forEach((v, i) => {
		if (!Number.isInteger(v) || v < 0 || v >= n) {
			throw new ValueError(
				`indexSelect: index value ${v} at position ${i} is out of range for dim ${dim} of input ${fmtShape(x.shape)}; expected an integer in [0, ${n})`
			);
		}
	});
}

/** The input as `[outer, n, inner]` around `dim`, which is all the copy loops need. */
function blocks(shape: readonly number[], dim: number) {
	return { outer: numel(shape.slice(0, dim)), n: shape[dim] ?? 1, inner: numel(shape.slice(dim + 1)) };
}

/**
 * Whole slices along `dim` at the positions listed in the 1-D `index`, in that order and with
 * repeats allowed, as `torch.index_select`. The output has `index.size` entries along `dim`.
 *
 * @example
 * tensor([[1, 2], [3, 4]]).indexSelect(0, tensor([1, 1, 0])).toArray(); // [[3, 4], [3, 4], [1, 2]]
 */
export const indexSelect: OpDef<OpAttrs['indexSelect']> = {
	nonDifferentiable: [1],
	forward: ([x, index], { dim }) => {
		validate(x, index, dim);
		const { outer, n, inner } = blocks(x.shape, dim);
		const k = index.size;
		const shape = x.ndim === 0 ? [] : x.shape.map((s, d) => (d === dim ? k : s));
		const data = alloc(x.dtype, outer * k * inner);
		for (let o = 0; o < outer; o++) {
			for (let i = 0; i < k; i++) {
				const from = (o * n + index.data[i]) * inner;
				data.set(x.data.subarray(from, from + inner), (o * k + i) * inner);
			}
		}
		return { data, shape };
	},
	backward: ({ grad, inputs: [x, index], attrs: { dim }, needs }) => {
		if (!needs[0]) return [null, null];
		const { outer, n, inner } = blocks(x.shape, dim);
		const k = index.size;
		const data = alloc(x.dtype, x.size);
		const g = grad.data;
		// A position selected twice received two copies forward, so it collects both gradients.
		for (let o = 0; o < outer; o++) {
			for (let i = 0; i < k; i++) {
				const to = (o * n + index.data[i]) * inner;
				const from = (o * k + i) * inner;
				for (let j = 0; j < inner; j++) data[to + j] += g[from + j];
			}
		}
		return [new Tensor(data, x.shape), null];
	},
	tex: {
		forward: 'y_{\\dots k \\dots} = x_{\\dots\\, \\mathrm{idx}_k\\, \\dots}',
		backward: '\\bar x_{\\dots j \\dots} = \\sum_{k \\,:\\, \\mathrm{idx}_k = j} \\bar y_{\\dots k \\dots}'
	}
};
