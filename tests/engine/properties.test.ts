import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes, ge, eq, numel, randn, Rng, tensor, type Tensor } from '$lib/engine';

// CI has two cores; 50 runs per property keeps this file to about a second.
const RUNS = { numRuns: 50 };

const dimSize = fc.integer({ min: 1, max: 4 });
const shapeArb = fc.array(dimSize, { minLength: 0, maxLength: 4 });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Values come from the engine's seeded Rng: shrinking a failure then shrinks one seed, not a whole array. */
const sample = (shape: readonly number[], seed: number, requiresGrad = false): Tensor => {
	const t = randn(shape, { rng: new Rng(seed) });
	t.requiresGrad = requiresGrad;
	return t;
};

/** A shape that broadcasts to `full`: some leading dims dropped, some of the rest set to 1. */
const operandOf = (full: number[]) =>
	fc
		.record({
			drop: fc.integer({ min: 0, max: full.length }),
			ones: fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length })
		})
		.map(({ drop, ones }) => full.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));

const broadcastPair = shapeArb.chain((full) => fc.tuple(operandOf(full), operandOf(full)));

/**
 * A shape and the dims to reduce: a non-empty subset, or null for every dim. An empty list is
 * left out: it means every dim, as in PyTorch, and the fixtures cover it.
 */
const shapeWithDims = shapeArb.chain((shape) =>
	fc.tuple(
		fc.constant(shape),
		shape.length === 0
			? fc.constant(null)
			: fc.option(
					fc.subarray(
						shape.map((_, i) => i),
						{ minLength: 1 }
					),
					{ nil: null }
				)
	)
);

/** The dims a reduction over `dims` touches. */
const reduced = (shape: readonly number[], dims: number[] | null) => dims ?? shape.map((_, i) => i);

/** Flat offset into a tensor of `shape` for an output index `idx` it was broadcast to. */
function broadcastOffset(shape: readonly number[], idx: readonly number[]): number {
	const lead = idx.length - shape.length;
	let off = 0;
	for (let j = 0; j < shape.length; j++) off = off * shape[j] + (shape[j] === 1 ? 0 : idx[lead + j]);
	return off;
}

/** Every multi-index of `shape`, row-major. */
function* indices(shape: readonly number[]): Generator<number[]> {
	const idx = new Array<number>(shape.length).fill(0);
	for (let n = 0; n < numel(shape); n++) {
		yield idx;
		for (let d = shape.length - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
	}
}

describe('broadcasting', () => {
	it('broadcastShapes is symmetric: both orders give the same shape or both throw', () => {
		const small = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 4 });
		fc.assert(
			fc.property(small, small, (a, b) => {
				const attempt = (x: number[], y: number[]) => {
					try {
						return broadcastShapes('add', x, y);
					} catch {
						return null;
					}
				};
				expect(attempt(a, b)).toEqual(attempt(b, a));
			}),
			RUNS
		);
	});

	it('add equals the elementwise sum over broadcast indices', () => {
		fc.assert(
			fc.property(broadcastPair, seedArb, ([sa, sb], seed) => {
				const a = sample(sa, seed);
				const b = sample(sb, seed + 1);
				const out = a.add(b);
				const shape = broadcastShapes('add', sa, sb);
				const want = new Float32Array(numel(shape));
				let n = 0;
				for (const idx of indices(shape)) want[n++] = a.data[broadcastOffset(sa, idx)] + b.data[broadcastOffset(sb, idx)];
				expect(out.shape).toEqual(shape);
				expect(out.data).toEqual(want);
			}),
			RUNS
		);
	});

	it('the gradient of add sums back to each input shape over the broadcast positions', () => {
		fc.assert(
			fc.property(broadcastPair, seedArb, ([sa, sb], seed) => {
				const a = sample(sa, seed, true);
				const b = sample(sb, seed + 1, true);
				const out = a.add(b);
				const r = sample(out.shape, seed + 2);
				out.backward(r);
				for (const [x, s] of [
					[a, sa],
					[b, sb]
				] as const) {
					const want = new Float64Array(numel(s));
					let n = 0;
					for (const idx of indices(out.shape)) want[broadcastOffset(s, idx)] += r.data[n++];
					expect(x.grad?.shape).toEqual(s);
					expect(x.grad).toBeAllclose(tensor(want, { shape: s }), { rtol: 1e-5, atol: 1e-5 });
				}
			}),
			RUNS
		);
	});
});

describe('reductions', () => {
	// Different summation orders round differently in float32; 1e-5 is ~100 ulps at these sizes.
	const tol = { rtol: 1e-5, atol: 1e-5 };

	it('sum over every dim at once equals summing the dims one by one', () => {
		fc.assert(
			fc.property(shapeArb, seedArb, (shape, seed) => {
				const x = sample(shape, seed);
				let oneByOne = x;
				for (let d = shape.length - 1; d >= 0; d--) oneByOne = oneByOne.sum(d);
				expect(oneByOne.shape).toEqual([]);
				expect(x.sum()).toBeAllclose(oneByOne, tol);
			}),
			RUNS
		);
	});

	it('mean times the number of reduced elements equals sum', () => {
		fc.assert(
			fc.property(shapeWithDims, seedArb, ([shape, dims], seed) => {
				const x = sample(shape, seed);
				const count = reduced(shape, dims).reduce((n, d) => n * shape[d], 1);
				expect(x.mean(dims).mul(count)).toBeAllclose(x.sum(dims), tol);
			}),
			RUNS
		);
	});

	it('max is at least every element it reduces over and equals one of them', () => {
		fc.assert(
			fc.property(shapeWithDims, seedArb, ([shape, dims], seed) => {
				const x = sample(shape, seed);
				const m = x.max(dims, true);
				expect(ge(m, x).data.every((v) => v === 1)).toBe(true);
				expect(
					eq(x, m)
						.sum(dims)
						.data.every((hits) => hits >= 1)
				).toBe(true);
			}),
			RUNS
		);
	});

	it('softmax along any dim gives values in [0, 1] that sum to 1', () => {
		const withDim = fc
			.array(dimSize, { minLength: 1, maxLength: 4 })
			.chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 })));
		fc.assert(
			fc.property(withDim, seedArb, fc.double({ min: 0.1, max: 50, noNaN: true }), ([shape, dim], seed, scale) => {
				const y = sample(shape, seed).mul(scale).softmax(dim);
				expect(y.data.every((v) => v >= 0 && v <= 1)).toBe(true);
				expect(y.sum(dim)).toBeAllclose(1, { rtol: 0, atol: 1e-6 });
			}),
			RUNS
		);
	});

	it('keepdim keeps reduced dims as size 1, and without it they are removed', () => {
		fc.assert(
			fc.property(shapeWithDims, seedArb, ([shape, dims], seed) => {
				const x = sample(shape, seed);
				const all = reduced(shape, dims);
				const kept = shape.map((d, i) => (all.includes(i) ? 1 : d));
				const dropped = shape.filter((_, i) => !all.includes(i));
				for (const reduce of [x.sum, x.mean, x.max]) {
					expect(reduce.call(x, dims, true).shape).toEqual(kept);
					expect(reduce.call(x, dims, false).shape).toEqual(dropped);
				}
			}),
			RUNS
		);
	});
});

describe('reshape', () => {
	/** A shape and a rearrangement of its sizes (same element count), one size maybe left to -1. */
	const reshapePair = shapeArb.chain((shape) =>
		fc.tuple(
			fc.constant(shape),
			fc.shuffledSubarray(shape, { minLength: shape.length, maxLength: shape.length }),
			fc.integer({ min: -1, max: Math.max(shape.length - 1, 0) })
		)
	);

	it('reshaping to another shape and back restores the tensor, keeping row-major order', () => {
		fc.assert(
			fc.property(reshapePair, seedArb, ([shape, target, free], seed) => {
				const x = sample(shape, seed);
				const request = target.map((d, i) => (i === free ? -1 : d));
				const y = x.reshape(request);
				expect(y.shape).toEqual(target);
				expect(y.data).toEqual(x.data);
				expect(y.reshape(shape).shape).toEqual(shape);
				expect(x.reshape(-1).data).toEqual(x.data);
			}),
			RUNS
		);
	});

	it('the gradient through a reshape round trip is the upstream gradient unchanged', () => {
		fc.assert(
			fc.property(reshapePair, seedArb, ([shape, target], seed) => {
				const x = sample(shape, seed, true);
				const r = sample(shape, seed + 1);
				x.reshape(target).reshape(shape).backward(r);
				expect(x.grad).toBeAllclose(r, { rtol: 0, atol: 0 });
			}),
			RUNS
		);
	});

	it('permuting dims and then applying the inverse permutation restores the tensor', () => {
		const withPerm = shapeArb.chain((shape) =>
			fc.tuple(
				fc.constant(shape),
				fc.shuffledSubarray(
					shape.map((_, i) => i),
					{ minLength: shape.length, maxLength: shape.length }
				)
			)
		);
		fc.assert(
			fc.property(withPerm, seedArb, ([shape, perm], seed) => {
				const x = sample(shape, seed);
				const inverse = perm.map((_, i) => perm.indexOf(i));
				const y = x.permute(perm);
				expect(y.shape).toEqual(perm.map((d) => shape[d]));
				expect(y.permute(inverse).data).toEqual(x.data);
			}),
			RUNS
		);
	});
});
