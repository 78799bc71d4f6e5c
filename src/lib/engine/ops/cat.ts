import { alloc } from '../dtype';
import { fmtShape, ShapeError } from '../errors';
import { numel } from '../shape';
import { promoteOf, type Tensor } from '../tensor';
import type { OpDef, OpAttrs } from './types';

function validate(inputs: readonly Tensor[], dim: number): void {
	if (inputs.length === 0) throw new ShapeError('cat', 'expected at least one tensor');
	const first = inputs[0].shape;
	if (first.length === 0) throw new ShapeError('cat', 'cannot concatenate 0-d tensors; unsqueeze them or use stack');
	if (!Number.isInteger(dim) || dim < 0 || dim >= first.length) {
		throw new ShapeError('cat', `dim ${dim} is out of range for tensor 0 of shape ${fmtShape(first)}`);
	}
	inputs.forEach((t, i) => {
		if (t.ndim !== first.length) {
			throw new ShapeError(
				'cat',
				`tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(first)}; all tensors must have the same number of dimensions`
			);
		}
		const d = t.shape.findIndex((s, j) => j !== dim && s !== first[j]);
		if (d !== -1) {
			throw new ShapeError(
				'cat',
				`tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(first)}; sizes must match except in dim ${dim} (dim ${d}: ${t.shape[d]} vs ${first[d]})`
			);
		}
	});
}

/**
 * Join tensors end to end along an existing `dim`. Each input is a run of `outer` contiguous
 * blocks, one per index of the dims before `dim`, so the copy is one `set` per block.
 *
 * @example
 * cat([zeros([2, 1]), ones([2, 2])], 1).toArray(); // [[0, 1, 1], [0, 1, 1]]
 */
export const cat: OpDef<OpAttrs['cat']> = {
	forward: (inputs, { dim }) => {
		validate(inputs, dim);
		const shape = [...inputs[0].shape];
		shape[dim] = inputs.reduce((n, t) => n + t.shape[dim], 0);
		const outer = numel(shape.slice(0, dim));
		const inner = numel(shape.slice(dim + 1));
		const rowOut = shape[dim] * inner;
		const data = alloc(promoteOf(...inputs), numel(shape));
		let at = 0;
		for (const t of inputs) {
			const block = t.shape[dim] * inner;
			for (let o = 0; o < outer; o++) data.set(t.data.subarray(o * block, (o + 1) * block), o * rowOut + at);
			at += block;
		}
		return { data, shape };
	},
	backward: ({ grad, inputs, attrs: { dim }, needs }) => {
		let start = 0;
		return inputs.map((t, i) => {
			const end = start + t.shape[dim];
			const g = needs[i] ? grad.slice(dim, start, end) : null;
			start = end;
			return g;
		});
	},
	tex: {
		forward: 'y = \\left[\\, x^{(1)};\\ x^{(2)};\\ \\dots;\\ x^{(N)} \\,\\right]_{d}',
		backward: '\\bar x^{(k)} = \\bar y_{\\dots,\\ o_k : o_k + n_k,\\ \\dots},\\quad o_k = \\sum_{j < k} n_j'
	}
};
