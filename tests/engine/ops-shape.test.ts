import { describe, expect, it } from 'vitest';
import { apply } from '../../src/lib/engine/autograd';
import { arange, cat, stack, tensor, zeros } from '../../src/lib/engine/creation';
import { ShapeError, ValueError } from '../../src/lib/engine/errors';
import { Tensor } from '../../src/lib/engine/tensor';

/** [0, 1, …, n-1] in `shape`, optionally tracking grad. */
const seq = (shape: number[], requiresGrad = false) =>
	arange(shape.reduce((n, d) => n * d, 1))
		.reshape(shape)
		.requiresGrad_(requiresGrad);

/** Backpropagate a gradient of distinct values (1, 2, 3, …) so each element's route is visible. */
function backwardDistinct(y: Tensor): Tensor {
	const g = arange(1, y.size + 1).reshape([...y.shape]);
	y.backward(g);
	return g;
}

describe('reshape', () => {
	it('reads the same row-major values in the new shape, inferring one -1', () => {
		expect(seq([2, 3]).reshape(3, -1).toArray()).toEqual([
			[0, 1],
			[2, 3],
			[4, 5]
		]);
		expect(seq([2, 3]).view([6]).toArray()).toEqual([0, 1, 2, 3, 4, 5]);
	});

	it('turns a one-element tensor into a scalar and back', () => {
		const s = tensor([[7]]).reshape([]);
		expect(s.shape).toEqual([]);
		expect(s.reshape(1, 1, 1).toArray()).toEqual([[[7]]]);
	});

	it('reshapes size-0 tensors', () => {
		expect(zeros([0, 3]).reshape(3, 0, 2).shape).toEqual([3, 0, 2]);
	});

	it('flatten, squeeze and unsqueeze move size-1 and merged dims, negative dims counting from the end', () => {
		const x = zeros([2, 1, 3, 1]);
		expect(x.flatten().shape).toEqual([6]);
		expect(x.flatten(1, -2).shape).toEqual([2, 3, 1]);
		expect(x.squeeze().shape).toEqual([2, 3]);
		expect(x.squeeze(-1).shape).toEqual([2, 1, 3]);
		expect(x.squeeze(0).shape).toEqual([2, 1, 3, 1]);
		expect(x.unsqueeze(-1).shape).toEqual([2, 1, 3, 1, 1]);
		expect(x.unsqueeze(0).shape).toEqual([1, 2, 1, 3, 1]);
		expect(tensor(5).flatten().shape).toEqual([1]);
	});

	it('sends the gradient back in the input shape', () => {
		const x = seq([2, 3], true);
		backwardDistinct(x.reshape(3, 2));
		expect(x.grad?.toArray()).toEqual([
			[1, 2, 3],
			[4, 5, 6]
		]);
	});

	it('rejects a shape with a different element count, naming both', () => {
		expect(() => seq([2, 3]).reshape(4)).toThrow(ShapeError);
		expect(() => seq([2, 3]).reshape(4)).toThrow('reshape: cannot reshape [2,3] (6 elements) to [4]');
		expect(() => seq([2, 3]).reshape(-1, -1)).toThrow('reshape: only one dimension can be -1, got [-1,-1]');
		expect(() => seq([2, 3]).reshape(4, -1)).toThrow('cannot reshape [2,3] (6 elements) to [4,-1]');
	});
});

describe('permute', () => {
	it('reorders dims so output dim k is input dim dims[k]', () => {
		const y = seq([2, 3, 4]).permute(2, 0, 1);
		expect(y.shape).toEqual([4, 2, 3]);
		expect(y.toArray()).toEqual([
			[
				[0, 4, 8],
				[12, 16, 20]
			],
			[
				[1, 5, 9],
				[13, 17, 21]
			],
			[
				[2, 6, 10],
				[14, 18, 22]
			],
			[
				[3, 7, 11],
				[15, 19, 23]
			]
		]);
	});

	it('accepts negative dims and gives the same result', () => {
		expect(seq([2, 3, 4]).permute([-1, 0, -2]).toArray()).toEqual(seq([2, 3, 4]).permute(2, 0, 1).toArray());
	});

	it('transpose swaps two dims, T transposes a matrix and mT the last two dims of a batch', () => {
		expect(seq([2, 3]).transpose(0, -1).toArray()).toEqual([
			[0, 3],
			[1, 4],
			[2, 5]
		]);
		expect(seq([2, 3]).T.toArray()).toEqual(seq([2, 3]).transpose(0, 1).toArray());
		expect(seq([3]).T.toArray()).toEqual([0, 1, 2]);
		expect(seq([2, 2, 3]).mT.shape).toEqual([2, 3, 2]);
		expect(seq([2, 2, 3]).mT.toArray()).toEqual(seq([2, 2, 3]).transpose(1, 2).toArray());
		expect(() => seq([2, 2, 3]).T).toThrowError('T: .T is for matrices, this tensor is [2,2,3]; use .mT to transpose the last two dims');
	});

	it('transposes batches of matrices larger than its copy tiles, element for element', () => {
		const [B, R, C] = [3, 45, 70];
		const y = seq([B, R, C]).mT;
		const want = Float32Array.from({ length: B * R * C }, (_, i) => {
			const [m, j, r] = [Math.floor(i / (C * R)), Math.floor(i / R) % C, i % R];
			return m * R * C + r * C + j;
		});
		expect(y.shape).toEqual([B, C, R]);
		expect(Array.from(y.data)).toEqual(Array.from(want));
	});

	it('handles size-1, size-0 and 0-d tensors', () => {
		expect(seq([1, 3]).permute(1, 0).toArray()).toEqual([[0], [1], [2]]);
		expect(zeros([2, 0, 3]).permute(2, 1, 0).shape).toEqual([3, 0, 2]);
		expect(tensor(4).permute().item()).toBe(4);
	});

	it('sends the gradient back through the inverse permutation', () => {
		const x = seq([2, 3, 4], true);
		const g = backwardDistinct(x.permute(1, 2, 0));
		expect(x.grad?.shape).toEqual([2, 3, 4]);
		expect(x.grad?.toArray()).toEqual(g.permute(2, 0, 1).toArray());
		// Element [1, 2, 3] of x sits at [2, 3, 1] of y, which has flat index 2·8 + 3·2 + 1 = 23, gradient 24.
		expect(x.grad?.data[1 * 12 + 2 * 4 + 3]).toBe(24);
	});

	it('rejects a wrong number of dims, a repeated dim and an out-of-range dim', () => {
		expect(() => seq([2, 3]).permute(0)).toThrow('permute: got 1 dims for a tensor of shape [2,3]; give one per dimension');
		expect(() => seq([2, 3]).permute(1, -1)).toThrow('permute: dims [1,-1] repeat a dimension');
		expect(() => seq([2, 3]).permute(0, 2)).toThrow(ShapeError);
		expect(() => seq([2, 3]).permute(0, 2)).toThrow('permute: dim 2 is out of range for a tensor with 2 dimensions (expected -2 to 1)');
	});
});

describe('expand', () => {
	it('repeats size-1 dims and adds leading dims', () => {
		expect(
			tensor([[1], [2]])
				.expand(2, 3)
				.toArray()
		).toEqual([
			[1, 1, 1],
			[2, 2, 2]
		]);
		expect(tensor([1, 2]).expand([2, 2]).toArray()).toEqual([
			[1, 2],
			[1, 2]
		]);
		expect(tensor(3).expand(2).toArray()).toEqual([3, 3]);
	});

	it('keeps a size of -1 from the input', () => {
		expect(seq([2, 1]).expand(3, -1, 4).shape).toEqual([3, 2, 4]);
	});

	it('expands a size-1 dim to size 0', () => {
		expect(seq([1, 3]).expand(0, 3).shape).toEqual([0, 3]);
	});

	it('sums the gradient over every repeated and added dim', () => {
		const x = tensor([[10], [20]], { requiresGrad: true });
		backwardDistinct(x.expand(2, 2, 3));
		// y[b, i, j] has gradient 6b + 3i + j + 1; x[i] collects it over b and j.
		expect(x.grad?.toArray()).toEqual([[1 + 2 + 3 + 7 + 8 + 9], [4 + 5 + 6 + 10 + 11 + 12]]);
	});

	it('rejects a size that is neither equal nor 1, and fewer dims, naming both shapes', () => {
		expect(() => seq([2, 3]).expand(2, 4)).toThrow(ShapeError);
		expect(() => seq([2, 3]).expand(2, 4)).toThrow('expand: cannot expand [2,3] to [2,4]: dim 1 has size 3, which must equal 4 or be 1');
		expect(() => seq([2, 3]).expand(3)).toThrow('expand: cannot expand [2,3] to fewer dimensions [3]');
		expect(() => seq([2, 3]).expand(-1, 2, 3)).toThrow(ValueError);
	});
});

describe('slice and select', () => {
	it('takes every step-th element from start up to end', () => {
		expect(arange(6).slice(0, 1, 6, 2).toArray()).toEqual([1, 3, 5]);
		expect(arange(7).slice(0, 0, 7, 3).toArray()).toEqual([0, 3, 6]);
		expect(seq([3, 4]).slice(1, 1, 3).toArray()).toEqual([
			[1, 2],
			[5, 6],
			[9, 10]
		]);
	});

	it('counts negative dims and bounds from the end and clamps bounds past the ends', () => {
		expect(seq([2, 4]).slice(-1, -2).toArray()).toEqual([
			[2, 3],
			[6, 7]
		]);
		expect(arange(5).slice(0, -100, 100).toArray()).toEqual([0, 1, 2, 3, 4]);
		expect(arange(5).slice(0, 3, 1).shape).toEqual([0]);
	});

	it('slices size-0 dims and size-1 dims', () => {
		expect(zeros([0, 3]).slice(1, 1).shape).toEqual([0, 2]);
		expect(seq([1, 3]).slice(0, 0, 1).toArray()).toEqual([[0, 1, 2]]);
	});

	it('select picks one entry and drops the dim, with negative indices from the end', () => {
		expect(seq([2, 3]).select(1, -1).toArray()).toEqual([2, 5]);
		expect(seq([2, 3]).select(0, 1).toArray()).toEqual([3, 4, 5]);
	});

	it('scatters the gradient into zeros at the sliced positions', () => {
		const x = seq([2, 5], true);
		backwardDistinct(x.slice(1, 0, 5, 2));
		expect(x.grad?.toArray()).toEqual([
			[1, 0, 2, 0, 3],
			[4, 0, 5, 0, 6]
		]);
	});

	it('rejects a bad step, fractional bounds, an out-of-range select and a 0-d input', () => {
		expect(() => arange(4).slice(0, 0, 4, 0)).toThrow('slice: step must be a positive integer, got 0');
		expect(() => arange(4).slice(0, 0.5)).toThrow('slice: start and end must be integers, got 0.5 and undefined');
		expect(() => arange(4).slice(1)).toThrow('slice: dim 1 is out of range for a tensor with 1 dimension (expected -1 to 0)');
		expect(() => tensor(1).slice(0)).toThrow('slice: cannot slice a 0-d tensor');
		expect(() => seq([2, 3]).select(1, 3)).toThrow('select: index 3 is out of range for dim 1 of size 3');
		expect(() => tensor(1).select(0, 0)).toThrow('select: cannot select from a 0-d tensor');
	});
});

describe('cat and stack', () => {
	it('joins tensors along an existing dim, negative dims counting from the end', () => {
		const a = seq([2, 2]);
		const b = tensor([[9], [8]]);
		expect(cat([a, b], 1).toArray()).toEqual([
			[0, 1, 9],
			[2, 3, 8]
		]);
		expect(cat([a, b], -1).toArray()).toEqual(cat([a, b], 1).toArray());
		expect(cat([a, a], 0).shape).toEqual([4, 2]);
	});

	it('takes a single tensor and size-0 pieces', () => {
		expect(cat([seq([2, 2])], 0).toArray()).toEqual(seq([2, 2]).toArray());
		expect(cat([zeros([2, 0]), seq([2, 1]), zeros([2, 0])], 1).toArray()).toEqual([[0], [1]]);
	});

	it('promotes to float64 when any piece is float64', () => {
		const y = cat([tensor([1]), tensor([2], { dtype: 'float64' })]);
		expect(y.dtype).toBe('float64');
		expect(y.toArray()).toEqual([1, 2]);
	});

	it('hands each input its own slice of the gradient, and none to inputs without grad', () => {
		const a = seq([2, 1], true);
		const b = seq([2, 2]);
		const c = seq([2, 2], true);
		backwardDistinct(cat([a, b, c], 1));
		expect(a.grad?.toArray()).toEqual([[1], [6]]);
		expect(b.grad).toBeNull();
		expect(c.grad?.toArray()).toEqual([
			[4, 5],
			[9, 10]
		]);
	});

	it('stack joins same-shaped tensors along a new dim and splits the gradient back', () => {
		const a = tensor([1, 2], { requiresGrad: true });
		const b = tensor([3, 4], { requiresGrad: true });
		expect(stack([a, b]).toArray()).toEqual([
			[1, 2],
			[3, 4]
		]);
		const y = stack([a, b], -1);
		expect(y.toArray()).toEqual([
			[1, 3],
			[2, 4]
		]);
		backwardDistinct(y);
		expect(a.grad?.toArray()).toEqual([1, 3]);
		expect(b.grad?.toArray()).toEqual([2, 4]);
		expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
	});

	it('rejects different ranks or sizes, naming the tensor index and both shapes', () => {
		expect(() => cat([seq([2, 2]), seq([2])])).toThrow(ShapeError);
		expect(() => cat([seq([2, 2]), seq([2])])).toThrow(
			'cat: tensor 1 has shape [2] but tensor 0 has [2,2]; all tensors must have the same number of dimensions'
		);
		expect(() => cat([seq([2, 2]), seq([2, 2]), seq([3, 1])], 1)).toThrow(
			'cat: tensor 2 has shape [3,1] but tensor 0 has [2,2]; sizes must match except in dim 1 (dim 0: 3 vs 2)'
		);
		expect(() => cat([tensor(1), tensor(2)])).toThrow('cat: cannot concatenate 0-d tensors');
		expect(() => cat([])).toThrow('cat: expected a non-empty list of tensors');
		expect(() => cat([seq([2])], 1)).toThrow('cat: dim 1 is out of range');
		expect(() => stack([seq([2]), seq([3])])).toThrow(
			'stack: every tensor must have the same shape, but tensor 0 is [2] and tensor 1 is [3]'
		);
	});
});

describe('gather', () => {
	const x = () =>
		tensor(
			[
				[1, 2, 3],
				[4, 5, 6]
			],
			{ requiresGrad: true }
		);

	it('picks y[i][j] = x[i][index[i][j]] along dim 1, and a negative dim means the same', () => {
		const index = tensor([
			[2, 0],
			[1, 1]
		]);
		expect(x().gather(1, index).toArray()).toEqual([
			[3, 1],
			[5, 5]
		]);
		expect(x().gather(-1, index).toArray()).toEqual([
			[3, 1],
			[5, 5]
		]);
	});

	it('picks y[i][j] = x[index[i][j]][j] along dim 0, with an index smaller than the input', () => {
		expect(
			x()
				.gather(0, tensor([[1, 0]]))
				.toArray()
		).toEqual([[4, 2]]);
		expect(
			x()
				.gather(0, tensor([[1], [0], [1]]))
				.toArray()
		).toEqual([[4], [1], [4]]);
	});

	it('works on 3-D, size-0 and 0-d inputs', () => {
		const y = seq([2, 3, 2]).gather(1, tensor([[[2, 0]], [[1, 1]]]));
		expect(y.toArray()).toEqual([[[4, 1]], [[8, 9]]]);
		expect(x().gather(1, zeros([2, 0])).shape).toEqual([2, 0]);
		expect(tensor(7).gather(0, tensor(0)).item()).toBe(7);
	});

	it('scatter-adds the gradient, accumulating repeated picks, and gives the index none', () => {
		const input = x();
		const index = tensor(
			[
				[2, 2, 0],
				[1, 0, 1]
			],
			{ requiresGrad: true }
		);
		backwardDistinct(input.gather(1, index));
		expect(input.grad?.toArray()).toEqual([
			[3, 0, 1 + 2],
			[5, 4 + 6, 0]
		]);
		expect(index.grad).toBeNull();
	});

	it('does not track grad when only the index requires it', () => {
		expect(seq([2, 2]).gather(1, tensor([[0], [1]], { requiresGrad: true })).requiresGrad).toBe(false);
	});

	it('rejects an index of another rank or larger outside dim, naming both shapes', () => {
		expect(() => x().gather(1, tensor([0, 1]))).toThrow(ShapeError);
		expect(() => x().gather(1, tensor([0, 1]))).toThrow('gather: index [2] must have as many dimensions as input [2,3] (1 vs 2)');
		expect(() => x().gather(1, zeros([3, 1]))).toThrow(
			'gather: index [3,1] is larger than input [2,3] in dim 0 (3 vs 2); outside dim 1 it may not exceed the input'
		);
	});

	it('rejects an out-of-range, negative or fractional index value, naming it and its position', () => {
		expect(() => x().gather(1, tensor([[0], [3]]))).toThrow(ValueError);
		expect(() => x().gather(1, tensor([[0], [3]]))).toThrow(
			'gather: index value 3 at position [1,0] is out of range for dim 1 of input [2,3]; expected an integer in [0, 3)'
		);
		expect(() => x().gather(0, tensor([[0, -1]]))).toThrow('gather: index value -1 at position [0,1]');
		expect(() => x().gather(0, tensor([[0.5]]))).toThrow('gather: index value 0.5 at position [0,0]');
	});
});

describe('indexSelect', () => {
	it('takes whole rows in index order, with repeats', () => {
		expect(
			seq([3, 2])
				.indexSelect(0, tensor([2, 0, 2]))
				.toArray()
		).toEqual([
			[4, 5],
			[0, 1],
			[4, 5]
		]);
	});

	it('takes columns along a negative dim', () => {
		expect(
			seq([2, 3])
				.indexSelect(-1, tensor([1, 0]))
				.toArray()
		).toEqual([
			[1, 0],
			[4, 3]
		]);
	});

	it('gives a size-0 dim for an empty index and a size-1 dim for a 0-d index', () => {
		expect(seq([2, 3]).indexSelect(1, zeros([0])).shape).toEqual([2, 0]);
		expect(seq([2, 3]).indexSelect(0, tensor(1)).toArray()).toEqual([[3, 4, 5]]);
	});

	it('index-adds the gradient, so a position selected twice collects both', () => {
		const x = seq([3, 2], true);
		backwardDistinct(x.indexSelect(0, tensor([2, 0, 2])));
		expect(x.grad?.toArray()).toEqual([
			[3, 4],
			[0, 0],
			[1 + 5, 2 + 6]
		]);
	});

	it('keeps float64 through forward and backward', () => {
		const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
		const y = x.indexSelect(0, tensor([0, 0]));
		expect(y.dtype).toBe('float64');
		y.sum().backward();
		expect(x.grad?.dtype).toBe('float64');
		expect(x.grad?.toArray()).toEqual([2, 0, 0]);
	});

	it('rejects a 2-D index and out-of-range or fractional values, naming the value and its position', () => {
		expect(() => seq([3, 2]).indexSelect(0, tensor([[0]]))).toThrow(ShapeError);
		expect(() => seq([3, 2]).indexSelect(0, tensor([[0]]))).toThrow('indexSelect: index must be 1-D, got shape [1,1] for input [3,2]');
		expect(() => seq([3, 2]).indexSelect(0, tensor([0, 3]))).toThrow(ValueError);
		expect(() => seq([3, 2]).indexSelect(0, tensor([0, 3]))).toThrow(
			'indexSelect: index value 3 at position 1 is out of range for dim 0 of input [3,2]; expected an integer in [0, 3)'
		);
		expect(() => seq([3, 2]).indexSelect(1, tensor([1.5]))).toThrow('indexSelect: index value 1.5 at position 0');
	});
});

describe('shape ops together', () => {
	it('re-check their attributes when applied directly, before any work', () => {
		const x = seq([2, 3]);
		expect(() => apply('reshape', [x], { shape: [5] })).toThrow('reshape: cannot reshape [2,3] (6 elements) to [5] (5 elements)');
		expect(() => apply('permute', [x], { dims: [0, 0] })).toThrow('permute: dims [0,0] are not a permutation of the 2 dimensions of [2,3]');
		expect(() => apply('slice', [x], { dim: 1, start: 2, end: 4, step: 1 })).toThrow(
			'slice: dim 1, 2:4:1 is not a valid slice of [2,3]; need 0 ≤ start ≤ end ≤ 3 and step ≥ 1'
		);
		expect(() => apply('expand', [x], { shape: [3] })).toThrow(
			'expand: cannot expand [2,3] to [3]: the target must have at least 2 dimensions'
		);
		expect(() => apply('cat', [x, x], { dim: -1 })).toThrow('cat: dim -1 is out of range for tensor 0 of shape [2,3]');
	});

	it('a chain of every shape op matches a float64 central-difference gradient', () => {
		const x = tensor(
			Float64Array.from({ length: 24 }, (_, i) => Math.sin(i + 1)),
			{ shape: [2, 3, 4], requiresGrad: true }
		);
		const w = tensor(
			Float64Array.from({ length: 30 }, (_, i) => Math.cos(i)),
			{ shape: [3, 10] }
		);
		const f = (t: Tensor) => {
			const p = t.permute(2, 0, 1).reshape(4, 6).slice(1, 1, 6, 2);
			const g = p.gather(
				0,
				tensor(
					[
						[3, 0, 1],
						[3, 3, 2]
					],
					{ dtype: 'float64' }
				)
			);
			const s = p.indexSelect(0, tensor([1, 1], { dtype: 'float64' }));
			const e = cat([g, s, p.slice(0, 0, 1).expand(2, 3)], 0).reshape(3, 6);
			return cat([e, e.slice(1, 0, 4)], 1)
				.mul(w)
				.sum();
		};
		f(x).backward();
		const h = 1e-6;
		const numeric = Array.from(x.data, (_, i) => {
			const plus = x.detach().clone();
			const minus = x.detach().clone();
			plus.data[i] += h;
			minus.data[i] -= h;
			return (f(plus).item() - f(minus).item()) / (2 * h);
		});
		expect(x.grad?.dtype).toBe('float64');
		Array.from(x.grad?.data ?? []).forEach((v, i) => expect(v).toBeCloseTo(numeric[i], 6));
	});
});
