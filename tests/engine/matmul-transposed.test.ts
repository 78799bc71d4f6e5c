import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, gradcheck, randn, trace, type Tensor } from '$lib/engine';
import { Linear } from '$lib/nn';

const rng = new Rng(11);
const rand = (shape: number[], requiresGrad = false, dtype: 'float32' | 'float64' = 'float32') =>
	randn(shape, { rng, requiresGrad, dtype });

/** Stored shape of an operand whose op() has the given shape: the last two dims swapped when transposed. */
const stored = (shape: number[], trans: boolean) =>
	trans ? [...shape.slice(0, -2), shape[shape.length - 1], shape[shape.length - 2]] : shape;

/** The plain path: the transpose formed by `.mT`, then an ordinary matmul. */
const plain = (a: Tensor, b: Tensor, transA: boolean, transB: boolean) => (transA ? a.mT : a).matmul(transB ? b.mT : b);

// op(A) and op(B) shapes: plain matrices, sizes that split the kernel's blocks, batches, broadcast
// batches, a stack times one shared matrix (Linear over [B, T, in]) and a matrix times a vector.
const CASES = [
	{ a: [3, 5], b: [5, 4] },
	{ a: [9, 13], b: [13, 7] },
	{ a: [130, 300], b: [300, 6] },
	{ a: [2, 3, 5], b: [2, 5, 4] },
	{ a: [2, 1, 3, 5], b: [4, 5, 6] },
	{ a: [4, 3, 5], b: [5, 6] },
	{ a: [3, 5], b: [2, 5, 6] },
	{ a: [1, 5], b: [5, 7] },
	{ a: [6, 5], b: [5, 1] }
];
const FLAGS = [
	{ transA: false, transB: true },
	{ transA: true, transB: false },
	{ transA: true, transB: true }
];

describe('matmul with stored-transposed operands', () => {
	it('matches the plain path (transpose formed by .mT) forward and backward, in float32', () => {
		for (const c of CASES) {
			for (const f of FLAGS) {
				const label = `${c.a}${f.transA ? 'ᵀ' : ''} @ ${c.b}${f.transB ? 'ᵀ' : ''}`;
				const a = rand(stored(c.a, f.transA), true);
				const b = rand(stored(c.b, f.transB), true);
				const a2 = a.detach().requiresGrad_();
				const b2 = b.detach().requiresGrad_();
				const y = a.matmul(b, f);
				const want = plain(a2, b2, f.transA, f.transB);
				expect(y.shape, label).toEqual(want.shape);
				expect(y, label).toBeAllclose(want, { rtol: 1e-5, atol: 1e-5 });
				const g = rand([...y.shape]);
				y.backward(g);
				want.backward(g);
				expect(a.grad, `grad of a in ${label}`).toBeAllclose(a2.grad!, { rtol: 1e-5, atol: 1e-5 });
				expect(b.grad, `grad of b in ${label}`).toBeAllclose(b2.grad!, { rtol: 1e-5, atol: 1e-5 });
			}
		}
	});

	it('passes a float64 finite-difference gradcheck for every combination of transposes', () => {
		const small = [
			{ a: [3, 4], b: [4, 2] },
			{ a: [2, 3, 4], b: [4, 5] },
			{ a: [2, 1, 3, 4], b: [3, 4, 2] }
		];
		for (const c of small) {
			for (const f of FLAGS) {
				const a = rand(stored(c.a, f.transA), true, 'float64');
				const b = rand(stored(c.b, f.transB), true, 'float64');
				const report = gradcheck((x, w) => x.matmul(w, f), [a, b]);
				expect(report.ok, `${c.a} ${c.b} ${JSON.stringify(f)}: ${report.summary}`).toBe(true);
			}
		}
	});

	it('refuses a 1-D transposed operand and names transposed shapes when inner dims differ', () => {
		const v = rand([4]);
		expect(() => v.matmul(rand([3, 4]), { transA: true })).toThrow(
			new ShapeError('matmul', 'a transposed operand needs at least 2 dimensions, got [4] marked transA')
		);
		expect(() => rand([3, 4]).matmul(v, { transB: true })).toThrow(
			new ShapeError('matmul', 'a transposed operand needs at least 2 dimensions, got [4] marked transB')
		);
		expect(() => rand([2, 3]).matmul(rand([4, 5]), { transB: true })).toThrow(
			new ShapeError('matmul', 'cannot multiply [2,3] by [4,5]ᵀ (inner dims 3 vs 5)')
		);
	});

	it('makes nn.Linear one matmul (no transpose op) with the same values and gradients as x·Wᵀ + b', () => {
		const fc = new Linear(6, 4, { rng: new Rng(3) });
		const x = rand([2, 5, 6], true);
		const { steps } = trace(() => fc.forward(x).sum().backward());
		expect(steps.filter((s) => s.phase === 'forward').map((s) => s.op)).toEqual(['matmul', 'add', 'sum']);
		fc.zeroGrad();
		x.zeroGrad();
		const y = fc.forward(x);
		const w = fc.weight.detach().requiresGrad_();
		const b = fc.bias!.detach().requiresGrad_();
		const x2 = x.detach().requiresGrad_();
		const want = x2.matmul(w.T).add(b);
		expect(y).toBeAllclose(want, { rtol: 1e-6, atol: 1e-6 });
		const g = rand([2, 5, 4]);
		y.backward(g);
		want.backward(g);
		expect(fc.weight.grad).toBeAllclose(w.grad!, { rtol: 1e-5, atol: 1e-5 });
		expect(fc.bias!.grad).toBeAllclose(b.grad!, { rtol: 1e-5, atol: 1e-5 });
		expect(x.grad).toBeAllclose(x2.grad!, { rtol: 1e-5, atol: 1e-5 });
	});
});

describe('broadcasting fast paths for an operand repeated along leading dims', () => {
	it('adds, subtracts and multiplies a bias block like the explicit expand, and sums its gradient back', () => {
		const cases = [
			{ x: [4, 6], b: [6] },
			{ x: [2, 3, 6], b: [1, 6] },
			{ x: [2, 3, 6], b: [3, 6] },
			{ x: [5, 1], b: [1] }
		];
		for (const c of cases) {
			for (const op of ['add', 'sub', 'mul'] as const) {
				for (const biasFirst of [false, true]) {
					const label = `${op} ${c.x} ${c.b}${biasFirst ? ' (bias first)' : ''}`;
					const x = rand(c.x, true, 'float64');
					const b = rand(c.b, true, 'float64');
					const x2 = x.detach().requiresGrad_();
					const b2 = b.detach().requiresGrad_();
					const y = biasFirst ? b[op](x) : x[op](b);
					const wide = b2.expand(c.x);
					const want = biasFirst ? wide[op](x2) : x2[op](wide);
					expect(y, label).toBeAllclose(want, { rtol: 1e-12, atol: 1e-12 });
					const g = rand(c.x, false, 'float64');
					y.backward(g);
					want.backward(g);
					// The bias's gradient by the general reduction (`sum` over the broadcast dims), not by sumTo.
					const local = op === 'mul' ? g.mul(x.detach()) : op === 'sub' && !biasFirst ? g.neg() : g;
					const lead = c.x.length - c.b.length;
					const dims = c.x.map((_, i) => i).filter((i) => i < lead || (c.b[i - lead] === 1 && c.x[i] !== 1));
					expect(b.grad, label).toBeAllclose(local.sum(dims, true).reshape(c.b), { rtol: 1e-12, atol: 1e-12 });
					expect(b2.grad, label).toBeAllclose(b.grad!, { rtol: 1e-12, atol: 1e-12 });
					expect(b.grad?.shape, label).toEqual(c.b);
					expect(x.grad, label).toBeAllclose(x2.grad!, { rtol: 1e-12, atol: 1e-12 });
				}
			}
		}
	});
});
