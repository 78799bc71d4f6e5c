import { describe, expect, it } from 'vitest';
import { Tensor, ShapeError, ValueError, arange, noGrad, ones, stack, cat, tensor, zeros } from '../../src/lib/engine/index';

describe('tensor()', () => {
	it('reads nested arrays row-major and infers the shape', () => {
		const t = tensor([
			[1, 2, 3],
			[4, 5, 6]
		]);
		expect(t.shape).toEqual([2, 3]);
		expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(t.toArray()).toEqual([
			[1, 2, 3],
			[4, 5, 6]
		]);
	});

	it('takes flat data with a shape', () => {
		const t = tensor(new Float32Array(6).fill(2), { shape: [2, 3] });
		expect(t.shape).toEqual([2, 3]);
		expect(t.sum().item()).toBe(12);
	});

	it('makes a scalar from a number', () => {
		const t = tensor(3.5);
		expect(t.shape).toEqual([]);
		expect(t.item()).toBe(3.5);
	});

	it('refuses a ragged nested array and names the offending element', () => {
		expect(() => tensor([[1, 2], [3]])).toThrowError(ShapeError);
		expect(() => tensor([[1, 2], [3]])).toThrowError('tensor: ragged nested array: element [1] has shape [1] but element [0] has [2]');
	});

	it('refuses flat data that does not fill the shape', () => {
		expect(() => tensor(new Float32Array(5), { shape: [2, 3] })).toThrowError('tensor: 5 values cannot fill shape [2,3] (6 elements)');
	});

	it('refuses non-integer and negative sizes', () => {
		expect(() => zeros([2, 1.5])).toThrowError(ValueError);
		expect(() => zeros([2, 1.5])).toThrowError('full: sizes must be non-negative integers, got 1.5 at dim 1 of [2,1.5]');
		expect(() => ones([-1, 3])).toThrowError('full: sizes must be non-negative integers, got -1 at dim 0 of [-1,3]');
	});

	it('refuses values that are not numbers', () => {
		expect(() => tensor([1, 'a' as unknown as number])).toThrowError('tensor: expected numbers, found string "a"');
	});
});

describe('broadcasting and shape errors', () => {
	it('broadcasts [2,1,3] with [4,1] to [2,4,3]', () => {
		const a = arange(6).reshape([2, 1, 3]);
		const b = arange(4).reshape([4, 1]);
		const c = a.add(b);
		expect(c.shape).toEqual([2, 4, 3]);
		expect(c.toArray()).toEqual([
			[
				[0, 1, 2],
				[1, 2, 3],
				[2, 3, 4],
				[3, 4, 5]
			],
			[
				[3, 4, 5],
				[4, 5, 6],
				[5, 6, 7],
				[6, 7, 8]
			]
		]);
	});

	it('throws a ShapeError naming the op, both shapes and the dim, before any work', () => {
		const a = zeros([2, 16, 512]);
		const b = zeros([2, 16, 256]);
		expect(() => a.mul(b)).toThrowError(new ShapeError('mul', 'cannot broadcast [2,16,512] with [2,16,256] at dim 2 (512 vs 256)'));
		expect(() => a.mul(b)).toThrowError('mul: cannot broadcast [2,16,512] with [2,16,256] at dim 2 (512 vs 256)');
	});

	it('reports an out-of-range dim with the valid range', () => {
		expect(() => zeros([2, 3]).sum(2)).toThrowError('sum: dim 2 is out of range for a tensor with 2 dimensions (expected -2 to 1)');
		expect(() => zeros([2, 3]).softmax(-3)).toThrowError(
			'softmax: dim -3 is out of range for a tensor with 2 dimensions (expected -2 to 1)'
		);
	});

	it('accepts negative dims counted from the end', () => {
		const x = arange(6).reshape([2, 3]);
		expect(x.sum(-1).toArray()).toEqual([3, 12]);
		expect(x.sum(-2).toArray()).toEqual([3, 5, 7]);
	});
});

describe('autograd', () => {
	it('accumulates the gradient of a tensor used twice', () => {
		const x = tensor([1, 2, 3], { requiresGrad: true });
		x.mul(x).add(x).sum().backward();
		expect(Array.from(x.grad!.data)).toEqual([3, 5, 7]);
	});

	it('visits a diamond graph in topological order', () => {
		const x = tensor([2], { requiresGrad: true });
		const a = x.mul(3);
		const b = x.mul(a);
		const c = a.add(b);
		c.sum().backward();
		// c = 3x + 3x², dc/dx = 3 + 6x = 15
		expect(x.grad!.item()).toBe(15);
	});

	it('accumulates into .grad across backward calls, as PyTorch does', () => {
		const x = tensor([1, 2], { requiresGrad: true });
		x.sum().backward();
		x.sum().backward();
		expect(Array.from(x.grad!.data)).toEqual([2, 2]);
		x.zeroGrad();
		expect(x.grad).toBeNull();
	});

	it('keeps .grad only on leaves unless retainGrad is asked for', () => {
		const x = tensor([1, 2], { requiresGrad: true });
		const y = x.mul(2);
		const z = x.mul(3).retainGrad();
		y.add(z).sum().backward();
		expect(y.grad).toBeNull();
		expect(Array.from(z.grad!.data)).toEqual([1, 1]);
	});

	it('refuses backward on a non-scalar output without a gradient', () => {
		const y = tensor([1, 2], { requiresGrad: true }).mul(2);
		expect(() => y.backward()).toThrowError(
			'backward: a gradient can only be implied for a scalar output, but this output has shape [2]; reduce it first (y.sum().backward()) or pass a gradient of the same shape'
		);
	});

	it('takes an explicit gradient for a non-scalar output', () => {
		const x = tensor([1, 2], { requiresGrad: true });
		x.mul(3).backward(tensor([1, 10]));
		expect(Array.from(x.grad!.data)).toEqual([3, 30]);
	});

	it('refuses backward from a tensor that does not require grad', () => {
		expect(() => tensor([1]).sum().backward()).toThrowError(/does not require grad/);
	});

	it('builds no graph under noGrad', () => {
		const x = tensor([1, 2], { requiresGrad: true });
		const y = noGrad(() => x.mul(2));
		expect(y.requiresGrad).toBe(false);
		expect(y.node).toBeNull();
	});

	it('cuts the graph at detach', () => {
		const x = tensor([1, 2], { requiresGrad: true });
		const y = x.mul(2).detach();
		expect(y.requiresGrad).toBe(false);
		expect(Array.from(y.data)).toEqual([2, 4]);
	});

	it('propagates through cat and stack to every input', () => {
		const a = tensor([1, 2], { requiresGrad: true });
		const b = tensor([3, 4], { requiresGrad: true });
		cat([a, b])
			.mul(tensor([1, 2, 3, 4]))
			.sum()
			.backward();
		expect(Array.from(a.grad!.data)).toEqual([1, 2]);
		expect(Array.from(b.grad!.data)).toEqual([3, 4]);
		const s = stack([a, b], 1);
		expect(s.shape).toEqual([2, 2]);
	});
});

describe('Tensor helpers', () => {
	it('item() refuses a tensor with more than one element', () => {
		expect(() => zeros([2]).item()).toThrowError('item: only one-element tensors have an item, this one has shape [2]');
	});

	it('prints a short description', () => {
		expect(tensor([1, 2], { requiresGrad: true }).toString()).toBe('tensor([1,2], shape=[2], requiresGrad)');
	});

	it('keeps float64 through ops and promotes mixed dtypes', () => {
		const a = tensor([1, 2], { dtype: 'float64' });
		const b = tensor([1, 2]);
		expect(a.add(b).dtype).toBe('float64');
		expect(b.add(b).dtype).toBe('float32');
		expect(a.data).toBeInstanceOf(Float64Array);
	});

	it('Tensor.full fills every element', () => {
		expect(Array.from(Tensor.full([3], 7).data)).toEqual([7, 7, 7]);
	});
});
