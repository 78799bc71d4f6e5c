import { describe, expect, test } from 'vitest';
import { Rng, ShapeError, ValueError, randn, tensor, zeros } from '$lib/engine';
import { AttentionPooling, MultiHeadAttention, SpatialAttention } from '$lib/nn';

const seeded = (seed: number) => ({ rng: new Rng(seed) });

describe('MultiHeadAttention', () => {
	const E = 8;
	const x = randn([2, 5, E], seeded(1));

	test('keys and layouts are torch.nn.MultiheadAttention’s', () => {
		const mha = new MultiHeadAttention(E, 2, seeded(0));
		expect([...mha.stateDict()].map(([k, t]) => [k, t.shape])).toEqual([
			['in_proj_weight', [3 * E, E]],
			['in_proj_bias', [3 * E]],
			['out_proj.weight', [E, E]],
			['out_proj.bias', [E]]
		]);
		expect(mha.numParameters()).toBe(4 * E * E + 4 * E);
	});

	test('initialises as PyTorch: Xavier in_proj_weight, zero biases, out_proj.weight within ±1/√E', () => {
		const mha = new MultiHeadAttention(E, 2, seeded(0));
		const xavier = Math.sqrt(6 / (E + 3 * E));
		expect(Math.max(...mha.in_proj_weight.data.map(Math.abs))).toBeLessThanOrEqual(xavier);
		expect(mha.in_proj_bias?.data.every((v) => v === 0)).toBe(true);
		expect(mha.out_proj.bias?.data.every((v) => v === 0)).toBe(true);
		expect(Math.max(...mha.out_proj.weight.data.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(E));
		expect(new MultiHeadAttention(E, 2, seeded(0)).in_proj_weight.data).toEqual(mha.in_proj_weight.data);
	});

	test('causal: weights are zero above the diagonal and each row sums to 1', () => {
		const { weights } = new MultiHeadAttention(E, 2, seeded(0)).forward(x, x, x, { causal: true, averageAttnWeights: false });
		expect(weights?.shape).toEqual([2, 2, 5, 5]);
		const w = weights!.toArray() as number[][][][];
		for (const head of w.flat()) head.forEach((row, i) => row.forEach((v, j) => j > i && expect(v).toBe(0)));
		expect(weights!.sum(-1)).toBeAllclose(1, { atol: 1e-6 });
	});

	test('causal equals an explicit boolean mask, and an additive −Infinity mask', () => {
		const mha = new MultiHeadAttention(E, 2, seeded(0));
		const upper = tensor(Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (j > i ? 1 : 0))));
		const additive = upper.maskedFill(upper, -Infinity);
		const causal = mha.forward(x, x, x, { causal: true }).output;
		expect(mha.forward(x, x, x, { attnMask: upper }).output).toBeAllclose(causal, { atol: 1e-6 });
		expect(mha.forward(x, x, x, { attnMask: additive }).output).toBeAllclose(causal, { atol: 1e-6 });
	});

	test('maskKind overrides the guess for a 0/1 mask meant as an additive bias', () => {
		const mha = new MultiHeadAttention(E, 2, seeded(0));
		const ones = tensor(Array.from({ length: 5 }, () => [1, 0, 0, 0, 0]));
		const asBool = mha.forward(x, x, x, { attnMask: ones }).weights!;
		const asBias = mha.forward(x, x, x, { attnMask: ones, maskKind: 'additive' }).weights!;
		expect(asBool.slice(-1, 0, 1).sum().item()).toBe(0);
		expect(asBias.slice(-1, 0, 1).sum().item()).toBeGreaterThan(0);
	});

	test('needWeights false returns null weights; per-head weights average to the default', () => {
		const mha = new MultiHeadAttention(E, 4, seeded(0));
		expect(mha.forward(x, x, x, { needWeights: false }).weights).toBeNull();
		const perHead = mha.forward(x, x, x, { averageAttnWeights: false }).weights!;
		expect(perHead.mean(1)).toBeAllclose(mha.forward(x, x, x).weights!, { atol: 1e-7 });
	});

	test('dropout acts on the weights only in training mode', () => {
		const mha = new MultiHeadAttention(E, 2, { dropout: 0.5, rng: new Rng(0) });
		const trained = mha.forward(x, x, x).weights!;
		expect(trained.sum(-1)).not.toBeAllclose(1, { atol: 1e-3 });
		expect(mha.eval().forward(x, x, x).weights!.sum(-1)).toBeAllclose(1, { atol: 1e-6 });
	});

	test('rejects an embedDim not divisible by numHeads, and non-positive sizes', () => {
		expect(() => new MultiHeadAttention(10, 3)).toThrowError(ValueError);
		expect(() => new MultiHeadAttention(10, 3)).toThrowError('embedDim 10 must be divisible by numHeads 3');
		expect(() => new MultiHeadAttention(0, 1)).toThrowError('MultiHeadAttention: embedDim must be a positive integer, got 0');
		expect(() => new MultiHeadAttention(8, 2, { dropout: 2 })).toThrowError('dropout must be a probability in [0, 1], got 2');
	});

	test('rejects inputs that are not [B, L, E] and masks of the wrong shape, naming both', () => {
		const mha = new MultiHeadAttention(E, 2, seeded(0));
		expect(() => mha.forward(zeros([5, E]), x, x)).toThrowError(
			'multiHeadAttention: query must be [B, L, embedDim=8] (batch first), got [5,8]'
		);
		expect(() => mha.forward(x, zeros([2, 5, 4]), x)).toThrowError(ShapeError);
		expect(() => mha.forward(x, zeros([2, 4, E]), x)).toThrowError('key and value their length');
		expect(() => mha.forward(x, x, x, { attnMask: zeros([5, 4]) })).toThrowError(
			'attnMask must be [T, S] = [5,5] or [B·numHeads, T, S] = [4,5,5], got [5,4]'
		);
	});
});

describe('AttentionPooling', () => {
	test('weights over time sum to 1 and pooled is their weighted average of the steps', () => {
		const pool = new AttentionPooling(4, seeded(0));
		const x = randn([2, 6, 4], seeded(1));
		const { pooled, weights } = pool.forward(x);
		expect(weights.shape).toEqual([2, 6]);
		expect(weights.sum(1)).toBeAllclose(1, { atol: 1e-6 });
		expect(pooled).toBeAllclose(x.mul(weights.unsqueeze(-1)).sum(1), { atol: 1e-6 });
	});

	test('with a zero score it is the plain mean over time', () => {
		const pool = new AttentionPooling(3, seeded(0));
		pool.score.weight.data.fill(0);
		const x = randn([2, 4, 3], seeded(2));
		expect(pool.forward(x).pooled).toBeAllclose(x.mean(1), { atol: 1e-6 });
	});

	test('rejects non-[B, T, D] input and a non-positive dim', () => {
		expect(() => new AttentionPooling(3).forward(zeros([4, 3]))).toThrowError('attentionPooling: input must be [B, T, dim=3], got [4,3]');
		expect(() => new AttentionPooling(0)).toThrowError('AttentionPooling: dim must be a positive integer, got 0');
	});
});

describe('SpatialAttention', () => {
	const features = randn([2, 4, 3, 5], seeded(3));

	test('query-free: one weight per position, summing to 1 per map, pooling the feature vectors', () => {
		const { pooled, weights } = new SpatialAttention(4, seeded(0)).forward(features);
		expect(weights.shape).toEqual([2, 3, 5]);
		expect(weights.sum([1, 2])).toBeAllclose(1, { atol: 1e-6 });
		expect(pooled).toBeAllclose(features.mul(weights.unsqueeze(1)).sum([2, 3]), { atol: 1e-6 });
	});

	test('with a query: keys follow the query, and the parameter keys say so', () => {
		const layer = new SpatialAttention(4, { queryDim: 6, rng: new Rng(0) });
		expect([...layer.stateDict().keys()]).toEqual(['query.weight', 'query.bias', 'key.weight']);
		const a = layer.forward(features, randn([2, 6], seeded(4))).weights;
		const b = layer.forward(features, randn([2, 6], seeded(5))).weights;
		expect(a).not.toBeAllclose(b, { atol: 1e-4 });
	});

	test('insists on a query exactly when built with queryDim', () => {
		expect(() => new SpatialAttention(4).forward(features, zeros([2, 6]))).toThrowError('built without queryDim');
		expect(() => new SpatialAttention(4, { queryDim: 6 }).forward(features)).toThrowError('needs a query [B, 6]');
		expect(() => new SpatialAttention(4, { queryDim: 6 }).forward(features, zeros([3, 6]))).toThrowError(ShapeError);
		expect(() => new SpatialAttention(3).forward(features)).toThrowError('features must be [B, C=3, H, W], got [2,4,3,5]');
		expect(() => new SpatialAttention(4, { queryDim: 0 })).toThrowError('queryDim must be a positive integer');
	});
});
