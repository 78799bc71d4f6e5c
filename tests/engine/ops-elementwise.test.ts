import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, ValueError, dropout, gradcheck, randn, Rng, tensor } from '../../src/lib/engine/index';
import { apply } from '../../src/lib/engine/autograd';
import { erf, erfc } from '../../src/lib/engine/kernels/erf';

/** Every value of `t` within `tol` of `expected` (relative above 1, absolute below); NaN matches NaN. */
function expectValues(t: Tensor | null, expected: readonly number[], tol = 1e-6): void {
	expect(t).not.toBeNull();
	const got = Array.from(t!.data);
	expect(got.length).toBe(expected.length);
	const off = got.flatMap((v, i) => {
		const want = expected[i];
		const ok = Number.isNaN(want) ? Number.isNaN(v) : v === want || Math.abs(v - want) <= tol * Math.max(1, Math.abs(want));
		return ok ? [] : [`[${i}] got ${v}, want ${want}`];
	});
	expect(off).toEqual([]);
}

/** Run `fn` on `inputs`, backpropagate `upstream` and return the inputs' gradients. */
function grads(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], upstream: readonly number[]): (Tensor | null)[] {
	const out = fn(...inputs);
	out.backward(tensor([...upstream], { shape: out.shape, dtype: out.dtype }));
	return inputs.map((x) => x.grad);
}

const leaf = (values: number[], shape?: number[]) =>
	tensor(values, { shape: shape ?? [values.length], requiresGrad: true, dtype: 'float64' });

describe('erf and erfc', () => {
	it('match high-precision reference values to 1e-14 relative error', () => {
		const erfRef: [number, number][] = [
			[0.1, 0.1124629160182849],
			[0.5, 0.5204998778130465],
			[1, 0.8427007929497149],
			[1.5, 0.9661051464753108],
			[2, 0.9953222650189527],
			[3, 0.9999779095030014],
			[-0.7, -0.6778011938374184]
		];
		const erfcRef: [number, number][] = [
			[0.5, 0.4795001221869535],
			[2, 0.004677734981047266],
			[3, 2.209049699858544e-5],
			[5, 1.537459794428035e-12],
			[10, 2.088487583762545e-45],
			[26, 5.663192408856143e-296],
			[-1, 1.8427007929497148]
		];
		for (const [x, want] of erfRef) expect(Math.abs(erf(x) - want) / Math.abs(want)).toBeLessThan(1e-14);
		for (const [x, want] of erfcRef) expect(Math.abs(erfc(x) - want) / Math.abs(want)).toBeLessThan(1e-13);
	});

	it('are complementary, odd and saturate at the extremes', () => {
		for (const x of [-4, -1.2, -0.3, 0, 0.3, 1.99, 2.01, 4]) {
			expect(erf(x) + erfc(x)).toBeCloseTo(1, 15);
			expect(erf(-x)).toBe(-erf(x));
		}
		expect([erf(Infinity), erf(-Infinity), erfc(Infinity), erfc(-Infinity), erfc(40)]).toEqual([1, -1, 0, 2, 0]);
		expect(erf(NaN)).toBeNaN();
		expect(erfc(NaN)).toBeNaN();
	});
});

describe('sub, div and pow', () => {
	it('sub broadcasts a row across a matrix and sends the negated gradient to the subtrahend', () => {
		const a = leaf([1, 2, 3, 4], [2, 2]);
		const b = leaf([10, 20]);
		expectValues(a.sub(b), [-9, -18, -7, -16]);
		const [ga, gb] = grads((x, y) => x.sub(y), [a, b], [1, 2, 3, 4]);
		expectValues(ga, [1, 2, 3, 4]);
		expectValues(gb, [-4, -6]);
	});

	it('sub refuses shapes that do not broadcast, naming both', () => {
		expect(() => tensor([[1, 2, 3]]).sub(tensor([1, 2]))).toThrowError(ShapeError);
		expect(() => tensor([[1, 2, 3]]).sub(tensor([1, 2]))).toThrowError('sub: cannot broadcast [1,3] with [2] at dim 1 (3 vs 2)');
	});

	it('div gives g/b to the numerator and −g·a/b² to the denominator, summed over broadcast dims', () => {
		const a = leaf([2, 4, 6, 8], [2, 2]);
		const b = leaf([2], [1]);
		expectValues(a.div(b), [1, 2, 3, 4]);
		const [ga, gb] = grads((x, y) => x.div(y), [a, b], [1, 1, 1, 1]);
		expectValues(ga, [0.5, 0.5, 0.5, 0.5]);
		expectValues(gb, [-(2 + 4 + 6 + 8) / 4]);
	});

	it('div by zero gives signed infinities and NaN, as IEEE division does', () => {
		expectValues(tensor([1, -1, 0]).div(0), [Infinity, -Infinity, NaN]);
	});

	it('pow raises elementwise and differentiates both base and exponent', () => {
		const a = leaf([2, 3, 0.5]);
		const b = leaf([3, 2, -1]);
		expectValues(a.pow(b), [8, 9, 2]);
		const [ga, gb] = grads((x, y) => x.pow(y), [a, b], [1, 1, 1]);
		expectValues(ga, [3 * 4, 2 * 3, -1 * 0.5 ** -2]);
		expectValues(gb, [8 * Math.log(2), 9 * Math.log(3), 2 * Math.log(0.5)]);
	});

	it('pow by a plain number gives the power rule and no exponent gradient', () => {
		const x = leaf([-1, 0, 2]);
		const [gx] = grads((t) => t.pow(2), [x], [1, 1, 1]);
		expectValues(gx, [-2, 0, 4]);
	});

	it('pow follows PyTorch at a zero base: no 0·ln 0 for the exponent, and b = 0 gives no base gradient', () => {
		const a = leaf([0, 0, 0]);
		const b = leaf([2, 0, 0.5]);
		expectValues(a.pow(b), [0, 1, 0]);
		const [ga, gb] = grads((x, y) => x.pow(y), [a, b], [1, 1, 1]);
		expectValues(ga, [0, 0, Infinity]);
		expectValues(gb, [0, 0, 0]);
	});

	it('keep float64 when either input is float64', () => {
		const a = tensor([1, 2], { dtype: 'float64' });
		const b = tensor([3, 4]);
		for (const t of [a.sub(b), b.div(a), b.pow(a)]) expect(t.dtype).toBe('float64');
	});
});

describe('unary ops', () => {
	it('neg, exp, log and sqrt compute their textbook values', () => {
		const x = tensor([0.25, 1, 4]);
		expectValues(x.neg(), [-0.25, -1, -4]);
		expectValues(x.exp(), [Math.exp(0.25), Math.E, Math.exp(4)]);
		expectValues(x.log(), [Math.log(0.25), 0, Math.log(4)]);
		expectValues(x.sqrt(), [0.5, 1, 2]);
	});

	it('log and sqrt give −Infinity and NaN outside their domains, as PyTorch does', () => {
		expectValues(tensor([0, -1]).log(), [-Infinity, NaN]);
		expectValues(tensor([-1]).sqrt(), [NaN]);
	});

	it('exp, log and sqrt backpropagate e^x, 1/x and 1/(2√x)', () => {
		const x = leaf([0.25, 1, 4]);
		expectValues(grads((t) => t.exp(), [x], [1, 2, 3])[0], [Math.exp(0.25), 2 * Math.E, 3 * Math.exp(4)]);
		x.zeroGrad();
		expectValues(grads((t) => t.log(), [x], [1, 1, 1])[0], [4, 1, 0.25]);
		x.zeroGrad();
		expectValues(grads((t) => t.sqrt(), [x], [1, 1, 1])[0], [1, 0.5, 0.25]);
	});

	it('abs has gradient sign(x), which is 0 at 0', () => {
		const x = leaf([-2, 0, 3]);
		expectValues(x.abs(), [2, 0, 3]);
		expectValues(grads((t) => t.abs(), [x], [5, 5, 5])[0], [-5, 0, 5]);
	});

	it('relu zeroes negatives, passes NaN, and has gradient 0 at exactly 0', () => {
		const x = leaf([-1, 0, 2]);
		expectValues(x.relu(), [0, 0, 2]);
		expectValues(grads((t) => t.relu(), [x], [7, 7, 7])[0], [0, 0, 7]);
		expectValues(tensor([NaN]).relu(), [NaN]);
		expect(Object.is(tensor([-0]).relu().item(), 0)).toBe(true);
	});

	it('sigmoid is 1/2 at 0 and saturates without NaN at ±1000', () => {
		expectValues(tensor([0, 1000, -1000, 2]).sigmoid(), [0.5, 1, 0, 1 / (1 + Math.exp(-2))]);
		const x = leaf([0, 2]);
		const s = 1 / (1 + Math.exp(-2));
		expectValues(grads((t) => t.sigmoid(), [x], [1, 1])[0], [0.25, s * (1 - s)]);
	});

	it('tanh backpropagates 1 − tanh²', () => {
		const x = leaf([0, 0.5, -3]);
		expectValues(x.tanh(), [0, Math.tanh(0.5), Math.tanh(-3)]);
		expectValues(grads((t) => t.tanh(), [x], [1, 1, 1])[0], [1, 1 - Math.tanh(0.5) ** 2, 1 - Math.tanh(-3) ** 2]);
	});

	it('gelu is exact x·Φ(x), keeping precision in the far negative tail', () => {
		const x = leaf([-10, -3, -1, -0.5, 0, 0.5, 1, 3]);
		const want = [
			-7.619853024160526e-23, -0.0040496940948902835, -0.15865525393145705, -0.15426876936299344, 0, 0.34573123063700656,
			0.8413447460685429, 2.99595030590511
		];
		const gelu = x.gelu();
		gelu.data.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-14 * Math.abs(want[i])));
	});

	it('gelu backpropagates Φ(x) + x·φ(x)', () => {
		const x = leaf([-10, -1, 0, 1, 3]);
		const want = [-7.618400096464814e-22, -0.0833154705876863, 0.5, 1.0833154705876864, 1.011945647204184];
		const [g] = grads((t) => t.gelu(), [x], [1, 1, 1, 1, 1]);
		g!.data.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual(1e-14 * Math.max(Math.abs(want[i]), 1e-300)));
	});

	it('every unary op agrees with float64 finite differences away from its kinks', () => {
		const x = tensor([0.3, 1.7, 0.9, 2.4, 0.6, 1.1], { shape: [2, 3], requiresGrad: true });
		const signed = tensor([0.3, -1.7, 0.9, -2.4, 0.6, -1.1], { shape: [2, 3], requiresGrad: true });
		const fns: [string, (t: Tensor) => Tensor, Tensor][] = [
			['neg', (t) => t.neg(), signed],
			['exp', (t) => t.exp(), signed],
			['log', (t) => t.log(), x],
			['sqrt', (t) => t.sqrt(), x],
			['abs', (t) => t.abs(), signed],
			['relu', (t) => t.relu(), signed],
			['sigmoid', (t) => t.sigmoid(), signed],
			['tanh', (t) => t.tanh(), signed],
			['gelu', (t) => t.gelu(), signed]
		];
		for (const [name, fn, input] of fns) expect(gradcheck(fn, [input]).ok, name).toBe(true);
	});

	it('keep the input dtype for their outputs and gradients', () => {
		const x = leaf([0.5, 1]);
		for (const y of [x.exp(), x.sqrt(), x.abs(), x.relu(), x.sigmoid(), x.tanh(), x.gelu()]) {
			expect(y.dtype).toBe('float64');
			y.backward(tensor([1, 1], { dtype: 'float64' }));
			expect(x.grad?.dtype).toBe('float64');
			x.zeroGrad();
		}
	});
});

describe('max', () => {
	it('reduces the named dims, keeping them as size 1 on request', () => {
		const x = tensor([
			[1, 5, 2],
			[7, 0, 3]
		]);
		expect(x.max(1).toArray()).toEqual([5, 7]);
		expect(x.max(0, true).toArray()).toEqual([[7, 5, 3]]);
		expect(x.max().shape).toEqual([]);
		expect(x.max().item()).toBe(7);
		expect(x.max([0, 1], true).shape).toEqual([1, 1]);
	});

	it('reduces over a middle dim of a 3-D tensor', () => {
		const x = tensor([0, 9, 4, 2, 8, 1, 6, 3, 5, 7, 2, 4], { shape: [2, 3, 2] });
		expect(x.max(1).toArray()).toEqual([
			[8, 9],
			[6, 7]
		]);
	});

	it('shares the gradient evenly among tied maxima, as torch.amax does', () => {
		const x = leaf([1, 3, 3, 2, 2, 2], [2, 3]);
		const [g] = grads((t) => t.max(1), [x], [6, 9]);
		expectValues(g, [0, 3, 3, 3, 3, 3]);
	});

	it('sends the whole gradient to a unique maximum, across several dims', () => {
		const x = leaf([0, 9, 4, 2, 8, 1, 6, 3, 5, 7, 2, 4], [2, 3, 2]);
		const [g] = grads((t) => t.max([0, 2]), [x], [1, 2, 3]);
		expectValues(g, [0, 1, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0]);
		expect(gradcheck((t) => t.max(-1), [tensor([0.3, -1.2, 2.5, 0.7, 0.1, -0.4], { shape: [2, 3], requiresGrad: true })]).ok).toBe(true);
	});

	it('propagates NaN', () => {
		expectValues(tensor([1, NaN, 3]).max(), [NaN]);
	});

	it('refuses to reduce a dim with no elements', () => {
		const empty = new Tensor(new Float32Array(0), [2, 0]);
		expect(() => empty.max(1)).toThrowError('max: cannot take the max over dim 1 of [2,0]: it has no elements');
		expect(empty.max(0).shape).toEqual([0]);
	});
});

/** Softmax of one line computed the naive way, in float64, for comparison. */
function naiveSoftmax(v: number[]): number[] {
	const m = Math.max(...v);
	const e = v.map((x) => Math.exp(x - m));
	const s = e.reduce((a, b) => a + b, 0);
	return e.map((x) => x / s);
}

describe('softmax and logSoftmax', () => {
	it('softmax(x, -1) sums to 1 along the last axis even for inputs near 1000', () => {
		const y = tensor([
			[1000, 1001, 1002],
			[-1000, 0, 1000]
		]).softmax(-1);
		expectValues(y, [...naiveSoftmax([0, 1, 2]), 0, 0, 1]);
		expectValues(y.sum(-1), [1, 1]);
	});

	it('softmax over a middle or leading dim matches a line-by-line computation', () => {
		const x = randn([2, 3, 4], { rng: new Rng(1) });
		const y = x.softmax(1);
		for (let o = 0; o < 2; o++) {
			for (let k = 0; k < 4; k++) {
				const line = [0, 1, 2].map((i) => x.data[o * 12 + i * 4 + k]);
				const want = naiveSoftmax(line);
				[0, 1, 2].forEach((i, j) => expect(y.data[o * 12 + i * 4 + k]).toBeCloseTo(want[j], 6));
			}
		}
		expectValues(x.softmax(0).sum(0), new Array(12).fill(1));
	});

	it('logSoftmax stays finite where softmax(x).log() underflows to −Infinity', () => {
		const x = tensor([[0, -1000, 1000]]);
		expectValues(x.logSoftmax(1), [-1000, -2000, 0]);
		expect(x.softmax(1).log().data[0]).toBe(-Infinity);
		const mid = tensor([1, 2, 3]).logSoftmax(0);
		const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
		expectValues(mid, [1 - lse, 2 - lse, 3 - lse]);
	});

	it('softmax of a scalar is 1, and its logSoftmax 0', () => {
		expect(tensor(4).softmax(0).item()).toBe(1);
		expect(tensor(4).logSoftmax(-1).item()).toBe(0);
	});

	it('softmax backpropagates y ⊙ (g − Σ g ⊙ y), whose entries sum to 0 along the dim', () => {
		const x = leaf([0.2, -0.5, 1.1]);
		const y = naiveSoftmax([0.2, -0.5, 1.1]);
		const g = [1, -2, 0.5];
		const dot = g.reduce((s, gi, i) => s + gi * y[i], 0);
		const [dx] = grads((t) => t.softmax(0), [x], g);
		expectValues(
			dx,
			y.map((yi, i) => yi * (g[i] - dot)),
			1e-12
		);
		expect(Array.from(dx!.data).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
	});

	it('logSoftmax backpropagates a one-hot gradient as one-hot minus softmax', () => {
		const x = leaf([0.2, -0.5, 1.1]);
		const y = naiveSoftmax([0.2, -0.5, 1.1]);
		const [dx] = grads((t) => t.logSoftmax(0), [x], [0, 1, 0]);
		expectValues(dx, [-y[0], 1 - y[1], -y[2]], 1e-12);
	});

	it('softmax and logSoftmax agree with finite differences over every dim of a 3-D tensor', () => {
		const x = randn([2, 3, 4], { rng: new Rng(2), requiresGrad: true });
		for (const dim of [0, 1, 2]) {
			expect(gradcheck((t) => t.softmax(dim), [x]).ok, `softmax dim ${dim}`).toBe(true);
			expect(gradcheck((t) => t.logSoftmax(dim), [x]).ok, `logSoftmax dim ${dim}`).toBe(true);
		}
	});

	it('refuse a dim the tensor does not have', () => {
		expect(() => tensor([[1, 2]]).softmax(2)).toThrowError(ShapeError);
		expect(() => apply('logSoftmax', [tensor([[1, 2]])], { dim: 2 })).toThrowError('logSoftmax: dim 2 is not a dimension of [1,2]');
	});
});

describe('maskedFill', () => {
	it('fills where the broadcast mask is nonzero and blocks the gradient there', () => {
		const x = leaf([1, 2, 3, 4, 5, 6], [2, 3]);
		const mask = tensor([[0], [1]]);
		expectValues(x.maskedFill(mask, -Infinity), [1, 2, 3, -Infinity, -Infinity, -Infinity]);
		const [g] = grads((t) => t.maskedFill(tensor([1, 0, 0]), 0), [x], [1, 2, 3, 4, 5, 6]);
		expectValues(g, [0, 2, 3, 0, 5, 6]);
	});

	it('never makes the mask require grad', () => {
		const mask = tensor([0, 1], { requiresGrad: true });
		expect(tensor([1, 2]).maskedFill(mask, 0).requiresGrad).toBe(false);
	});

	it('refuses a mask that does not broadcast to the input, or would grow it', () => {
		const x = tensor([1, 2, 3]);
		expect(() => x.maskedFill(tensor([1, 0]), 0)).toThrowError('maskedFill: mask [2] cannot broadcast to input [3] (dim 0: 2 vs 3)');
		expect(() => x.maskedFill(tensor([[1, 0, 1]]), 0)).toThrowError(
			"maskedFill: mask [1,3] has more dimensions than input [3]; it must broadcast to the input's shape"
		);
		expect(() => tensor([[1], [2]]).maskedFill(tensor([1, 0, 1]), 0)).toThrowError(ShapeError);
	});
});

describe('dropout', () => {
	const run = (x: Tensor, p: number, mask: number[]) => apply('dropout', [x], { p, mask: Float32Array.from(mask) });

	it('zeroes masked elements and scales the rest by 1/(1−p), forward and backward', () => {
		const x = leaf([1, 2, 3, 4]);
		expectValues(run(x, 0.75, [1, 0, 0, 1]), [4, 0, 0, 16]);
		const [g] = grads((t) => run(t, 0.75, [1, 0, 0, 1]), [x], [1, 1, 1, 1]);
		expectValues(g, [4, 0, 0, 4]);
	});

	it('with p = 1 gives zeros, not NaN', () => {
		const x = leaf([1, 2]);
		expectValues(run(x, 1, [0, 0]), [0, 0]);
		expectValues(grads((t) => run(t, 1, [0, 0]), [x], [1, 1])[0], [0, 0]);
	});

	it('keeps each element with probability 1 − p and preserves the mean in expectation', () => {
		const x = Tensor.full([20000], 1);
		const y = dropout(x, 0.3, { rng: new Rng(7) });
		const kept = Array.from(y.data).filter((v) => v !== 0);
		expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
		expect(kept.length / 20000).toBeCloseTo(0.7, 1);
		expect(y.mean().item()).toBeCloseTo(1, 1);
	});

	it('refuses a mask of the wrong size and a p outside [0, 1]', () => {
		expect(() => run(tensor([1, 2, 3]), 0.5, [1, 0])).toThrowError('dropout: mask has 2 values but input [3] has 3 elements');
		expect(() => run(tensor([1, 2]), 1.5, [1, 0])).toThrowError(ValueError);
	});
});
