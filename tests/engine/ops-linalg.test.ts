import { describe, expect, it } from 'vitest';
import { Rng, ShapeError, ValueError, avgPool2d, conv2d, gradcheck, maxPool2d, ones, randn, tensor, zeros, type Tensor } from '$lib/engine';
import { gemm } from '$lib/engine/kernels/matmul';

const rng = new Rng(7);
const rand = (shape: number[], requiresGrad = false, dtype: 'float32' | 'float64' = 'float32') =>
	randn(shape, { rng, requiresGrad, dtype });

/** torch.matmul written out with plain loops: out, and the gradients of sum(out · g). */
function naiveMatmul(a: Tensor, b: Tensor, g?: Float64Array) {
	const as = a.ndim === 1 ? [1, a.shape[0]] : [...a.shape];
	const bs = b.ndim === 1 ? [b.shape[0], 1] : [...b.shape];
	const [M, K, N] = [as[as.length - 2], as[as.length - 1], bs[bs.length - 1]];
	const ab = as.slice(0, -2);
	const bb = bs.slice(0, -2);
	const nd = Math.max(ab.length, bb.length);
	const pad = (s: number[]) => [...Array<number>(nd - s.length).fill(1), ...s];
	const [pa, pb] = [pad(ab), pad(bb)];
	const batch = pa.map((d, i) => Math.max(d, pb[i]));
	const count = batch.reduce((x, y) => x * y, 1);
	const out = new Float64Array(count * M * N);
	const ga = new Float64Array(a.size);
	const gb = new Float64Array(b.size);
	for (let i = 0; i < count; i++) {
		let [ia, ib, rest] = [0, 0, i];
		for (let d = nd - 1, sa = 1, sb = 1; d >= 0; d--) {
			const idx = rest % batch[d];
			rest = Math.floor(rest / batch[d]);
			ia += (pa[d] === 1 ? 0 : idx) * sa;
			ib += (pb[d] === 1 ? 0 : idx) * sb;
			sa *= pa[d];
			sb *= pb[d];
		}
		for (let m = 0; m < M; m++) {
			for (let n = 0; n < N; n++) {
				const o = (i * M + m) * N + n;
				for (let k = 0; k < K; k++) {
					const [ai, bi] = [(ia * M + m) * K + k, (ib * K + k) * N + n];
					out[o] += a.data[ai] * b.data[bi];
					if (g) {
						ga[ai] += g[o] * b.data[bi];
						gb[bi] += g[o] * a.data[ai];
					}
				}
			}
		}
	}
	const shape = [...batch, ...(a.ndim > 1 ? [M] : []), ...(b.ndim > 1 ? [N] : [])];
	return { out: { data: out, shape }, ga: { data: ga, shape: [...a.shape] }, gb: { data: gb, shape: [...b.shape] } };
}

/** op(A)·op(B) for row-major A and B, with op a transpose where asked, in float64. */
function naiveGemm(a: Float64Array, b: Float64Array, M: number, N: number, K: number, tA: boolean, tB: boolean): Float64Array {
	const c = new Float64Array(M * N);
	for (let m = 0; m < M; m++)
		for (let n = 0; n < N; n++)
			for (let k = 0; k < K; k++) c[m * N + n] += (tA ? a[k * M + m] : a[m * K + k]) * (tB ? b[n * K + k] : b[k * N + n]);
	return c;
}

const shapeError = (fn: () => unknown, message: string) =>
	expect(fn).toThrow(new ShapeError(message.split(': ')[0], message.slice(message.indexOf(': ') + 2)));

describe('matmul', () => {
	it('multiplies matrices of odd and blocked sizes like a naive triple loop', () => {
		// The last size splits into several packing blocks along both M and N.
		const sizes = [
			{ M: 1, K: 1, N: 1 },
			{ M: 2, K: 3, N: 4 },
			{ M: 5, K: 7, N: 3 },
			{ M: 13, K: 9, N: 17 },
			{ M: 4, K: 4, N: 4 },
			{ M: 33, K: 65, N: 31 },
			{ M: 45, K: 1500, N: 90 }
		];
		for (const { M, K, N } of sizes) {
			const a = rand([M, K], false, 'float64');
			const b = rand([K, N], false, 'float64');
			expect(a.matmul(b), `${M}×${K} @ ${K}×${N}`).toBeAllclose(naiveMatmul(a, b).out, { rtol: 1e-12, atol: 1e-12 });
		}
	});

	it('follows torch.matmul for every rank: dot, matrix-vector, vector-matrix and broadcast batches', () => {
		const cases = [
			{ a: [4], b: [4], out: [] },
			{ a: [3, 4], b: [4], out: [3] },
			{ a: [4], b: [4, 5], out: [5] },
			{ a: [4], b: [2, 4, 3], out: [2, 3] },
			{ a: [2, 3, 4], b: [4], out: [2, 3] },
			{ a: [2, 3, 4], b: [2, 4, 5], out: [2, 3, 5] },
			{ a: [3, 4], b: [2, 4, 5], out: [2, 3, 5] },
			{ a: [2, 1, 3, 4], b: [5, 4, 2], out: [2, 5, 3, 2] },
			{ a: [1, 6, 5], b: [3, 1, 5, 7], out: [3, 1, 6, 7] }
		];
		for (const c of cases) {
			const a = rand(c.a);
			const b = rand(c.b);
			const y = a.matmul(b);
			expect(y.shape, `${c.a} @ ${c.b}`).toEqual(c.out);
			expect(y, `${c.a} @ ${c.b}`).toBeAllclose(naiveMatmul(a, b).out, { rtol: 1e-5, atol: 1e-6 });
		}
	});

	it('computes in float32 unless either operand is float64, and promotes like PyTorch', () => {
		expect(rand([2, 3]).matmul(rand([3, 2])).dtype).toBe('float32');
		expect(rand([2, 3]).matmul(rand([3, 2], false, 'float64')).dtype).toBe('float64');
		expect(rand([2, 3], false, 'float64').matmul(rand([3])).dtype).toBe('float64');
	});

	it('treats an empty inner dimension as a sum of nothing and empty outer dimensions as empty results', () => {
		expect(ones([2, 0]).matmul(ones([0, 3]))).toBeAllclose(zeros([2, 3]));
		expect(ones([0, 3]).matmul(ones([3, 4])).shape).toEqual([0, 4]);
		expect(ones([2, 0, 3]).matmul(ones([3, 1])).shape).toEqual([2, 0, 1]);
	});

	it('backpropagates g·Bᵀ and Aᵀ·g, summed over broadcast batch dims', () => {
		const cases = [
			{ a: [5], b: [5] },
			{ a: [3, 5], b: [5] },
			{ a: [5], b: [5, 6] },
			{ a: [7, 5], b: [5, 6] },
			{ a: [2, 3, 5], b: [5] },
			{ a: [5], b: [2, 5, 3] },
			{ a: [3, 5], b: [4, 5, 6] },
			{ a: [2, 1, 3, 5], b: [4, 5, 6] },
			{ a: [2, 4, 3, 5], b: [1, 5, 6] },
			{ a: [4, 3, 5], b: [5, 6] }
		];
		for (const c of cases) {
			const a = rand(c.a, true);
			const b = rand(c.b, true);
			const y = a.matmul(b);
			const g = rand([...y.shape]);
			y.backward(g);
			const ref = naiveMatmul(a, b, Float64Array.from(g.data));
			expect(a.grad, `grad of a in ${c.a} @ ${c.b}`).toBeAllclose(ref.ga, { rtol: 1e-5, atol: 1e-5 });
			expect(b.grad, `grad of b in ${c.a} @ ${c.b}`).toBeAllclose(ref.gb, { rtol: 1e-5, atol: 1e-5 });
			expect(a.grad?.dtype).toBe('float32');
		}
	});

	it('passes a float64 finite-difference gradcheck for each rank case', () => {
		const cases = [
			{ a: [4], b: [4] },
			{ a: [3, 4], b: [4] },
			{ a: [4], b: [2, 4, 3] },
			{ a: [2, 1, 3, 4], b: [3, 4, 2] }
		];
		for (const c of cases) {
			const report = gradcheck((a, b) => a.matmul(b), [rand(c.a, true), rand(c.b, true)]);
			expect(report.ok, report.summary).toBe(true);
		}
	});

	it('computes a gradient only for the operands that require one', () => {
		const a = rand([3, 4]);
		const b = rand([4, 2], true);
		a.matmul(b).backward(ones([3, 2]));
		expect(a.grad).toBeNull();
		expect(b.grad?.shape).toEqual([4, 2]);
	});

	it('names both shapes and the rule when the operands do not fit', () => {
		shapeError(() => rand([2, 3]).matmul(rand([4, 5])), 'matmul: cannot multiply [2,3] by [4,5] (inner dims 3 vs 4)');
		shapeError(() => rand([3]).matmul(rand([4])), 'matmul: cannot multiply [3] by [4] (inner dims 3 vs 4)');
		shapeError(() => rand([2, 3]).matmul(rand([2])), 'matmul: cannot multiply [2,3] by [2] (inner dims 3 vs 2)');
		shapeError(() => tensor(2).matmul(rand([3])), 'matmul: both operands need at least 1 dimension, got [] and [3]');
		shapeError(
			() => rand([2, 3, 4]).matmul(rand([3, 4, 5])),
			'matmul: batch dims [2] of [2,3,4] and [3] of [3,4,5] do not broadcast (batch dim 0: 2 vs 3)'
		);
	});
});

describe('gemm kernel', () => {
	it('reads transposed operands in place, at offsets, and accumulates when asked', () => {
		const sizes = [
			{ M: 1, N: 1, K: 1 },
			{ M: 1, N: 9, K: 5 },
			{ M: 7, N: 1, K: 6 },
			{ M: 5, N: 6, K: 7 },
			{ M: 9, N: 13, K: 11 },
			{ M: 16, N: 8, K: 4 }
		];
		const transposes = [false, true].flatMap((tA) => [false, true].map((tB) => [tA, tB]));
		for (const { M, N, K } of sizes) {
			for (const [tA, tB] of transposes) {
				const a = Float64Array.from({ length: M * K + 3 }, () => rng.normal());
				const b = Float64Array.from({ length: K * N + 2 }, () => rng.normal());
				const want = naiveGemm(a.subarray(3), b.subarray(2), M, N, K, tA, tB);
				const c = new Float32Array(M * N + 1).fill(0.5);
				gemm(a, 3, b, 2, c, 1, M, N, K, tA, tB);
				expect(c.subarray(1), `${M}×${N}×${K} tA=${tA} tB=${tB}`).toBeAllclose(want, { rtol: 1e-6, atol: 1e-6 });
				expect(c[0]).toBe(0.5);
				gemm(a, 3, b, 2, c, 1, M, N, K, tA, tB, true);
				const twice = want.map((v) => 2 * v);
				expect(c.subarray(1), `accumulated ${M}×${N}×${K} tA=${tA} tB=${tB}`).toBeAllclose(twice, { rtol: 1e-6, atol: 1e-6 });
			}
		}
	});
});

/** Direct seven-loop convolution: the definition conv2d must agree with. */
function naiveConv(x: Tensor, w: Tensor, bias: Tensor | null, [sH, sW]: number[], [pH, pW]: number[]) {
	const [N, C, H, W] = x.shape;
	const [O, , kH, kW] = w.shape;
	const OH = Math.floor((H + 2 * pH - kH) / sH) + 1;
	const OW = Math.floor((W + 2 * pW - kW) / sW) + 1;
	const out = new Float64Array(N * O * OH * OW);
	for (let n = 0, o = 0; n < N; n++)
		for (let f = 0; f < O; f++)
			for (let i = 0; i < OH; i++)
				for (let j = 0; j < OW; j++, o++) {
					let s = bias ? bias.data[f] : 0;
					for (let c = 0; c < C; c++)
						for (let u = 0; u < kH; u++)
							for (let v = 0; v < kW; v++) {
								const [h, ww] = [i * sH - pH + u, j * sW - pW + v];
								if (h >= 0 && h < H && ww >= 0 && ww < W)
									s += w.data[((f * C + c) * kH + u) * kW + v] * x.data[((n * C + c) * H + h) * W + ww];
							}
					out[o] = s;
				}
	return { data: out, shape: [N, O, OH, OW] };
}

describe('conv2d', () => {
	const cases: { x: number[]; w: number[]; bias: boolean; stride: [number, number]; padding: [number, number] }[] = [
		{ x: [2, 3, 7, 6], w: [4, 3, 3, 3], bias: true, stride: [1, 1], padding: [0, 0] },
		{ x: [1, 2, 9, 8], w: [5, 2, 3, 2], bias: false, stride: [2, 3], padding: [1, 2] },
		{ x: [3, 1, 5, 5], w: [2, 1, 1, 1], bias: true, stride: [1, 1], padding: [0, 0] },
		{ x: [1, 2, 4, 4], w: [3, 2, 4, 4], bias: true, stride: [1, 1], padding: [2, 1] },
		{ x: [2, 5, 11, 10], w: [6, 5, 5, 3], bias: true, stride: [3, 2], padding: [2, 1] }
	];

	it('cross-correlates like a direct loop over every stride, padding and kernel shape', () => {
		for (const c of cases) {
			const [x, w, b] = [rand(c.x), rand(c.w), c.bias ? rand([c.w[0]]) : null];
			const y = conv2d(x, w, b, { stride: c.stride, padding: c.padding });
			expect(y, JSON.stringify(c)).toBeAllclose(naiveConv(x, w, b, c.stride, c.padding), { rtol: 1e-5, atol: 1e-5 });
		}
	});

	it('passes a float64 finite-difference gradcheck for input, weight and bias', () => {
		for (const c of cases.slice(0, 4)) {
			const inputs = [rand(c.x, true), rand(c.w, true), ...(c.bias ? [rand([c.w[0]], true)] : [])];
			const report = gradcheck((x, w, b) => conv2d(x, w, b ?? null, { stride: c.stride, padding: c.padding }), inputs);
			expect(report.ok, `${JSON.stringify(c)}: ${report.summary}`).toBe(true);
		}
	});

	it('gives gradients in each input dtype and skips inputs that need none', () => {
		const x = rand([1, 2, 5, 5]);
		const w = rand([3, 2, 3, 3], true, 'float64');
		const b = rand([3], true);
		const y = conv2d(x, w, b, { padding: 1 });
		expect(y.dtype).toBe('float64');
		y.backward(ones([1, 3, 5, 5], { dtype: 'float64' }));
		expect(x.grad).toBeNull();
		expect(w.grad?.dtype).toBe('float64');
		expect(b.grad?.dtype).toBe('float32');
		expect(b.grad).toBeAllclose([25, 25, 25]);
	});

	it('names the shapes when input, weight and bias do not fit together', () => {
		const x = rand([1, 2, 5, 5]);
		shapeError(() => conv2d(rand([2, 5, 5]), rand([3, 2, 3, 3])), 'conv2d: input must be 4-D [N, C, H, W], got [2,5,5]');
		shapeError(() => conv2d(x, rand([3, 2, 3])), 'conv2d: weight must be 4-D [O, C, kH, kW], got [3,2,3]');
		shapeError(
			() => conv2d(x, rand([3, 4, 3, 3])),
			'conv2d: input [1,2,5,5] has 2 channels but weight [3,4,3,3] expects 4 (dim 1 must match)'
		);
		shapeError(
			() => conv2d(x, rand([3, 2, 3, 3]), rand([2])),
			'conv2d: bias must be [3] (one per output channel of weight [3,2,3,3]), got [2]'
		);
		shapeError(
			() => conv2d(x, rand([3, 2, 8, 3]), null, { padding: 1 }),
			'conv2d: kernel 8×3 of weight [3,2,8,3] is larger than input [1,2,5,5] padded to 7×7'
		);
		shapeError(() => conv2d(x, rand([3, 2, 0, 3])), 'conv2d: kernel 0×3 of weight [3,2,0,3] must be at least 1×1');
		expect(() => conv2d(x, rand([3, 2, 3, 3]), null, { stride: 0 })).toThrow(
			new ValueError('conv2d: stride must be integers ≥ 1, got (0, 0)')
		);
		expect(() => conv2d(x, rand([3, 2, 3, 3]), null, { padding: [1, -1] })).toThrow(
			new ValueError('conv2d: padding must be integers ≥ 0, got (1, -1)')
		);
	});
});

/** Direct pooling over each window, padding as `fill`: returns the pooled values. */
function naivePool(x: Tensor, [kH, kW]: number[], [sH, sW]: number[], [pH, pW]: number[], kind: 'max' | 'avg') {
	const [N, C, H, W] = x.shape;
	const OH = Math.floor((H + 2 * pH - kH) / sH) + 1;
	const OW = Math.floor((W + 2 * pW - kW) / sW) + 1;
	const out: number[] = [];
	for (let p = 0; p < N * C; p++)
		for (let i = 0; i < OH; i++)
			for (let j = 0; j < OW; j++) {
				const vals: number[] = [];
				for (let u = 0; u < kH; u++)
					for (let v = 0; v < kW; v++) {
						const [h, w] = [i * sH - pH + u, j * sW - pW + v];
						const inside = h >= 0 && h < H && w >= 0 && w < W;
						vals.push(inside ? x.data[(p * H + h) * W + w] : kind === 'max' ? -Infinity : 0);
					}
				out.push(kind === 'max' ? Math.max(...vals) : vals.reduce((s, v) => s + v, 0) / vals.length);
			}
	return { data: out, shape: [N, C, OH, OW] };
}

describe('maxPool2d and avgPool2d', () => {
	const cases: { x: number[]; k: [number, number]; s: [number, number]; p: [number, number] }[] = [
		{ x: [2, 3, 6, 6], k: [2, 2], s: [2, 2], p: [0, 0] },
		{ x: [1, 2, 7, 5], k: [3, 3], s: [2, 2], p: [1, 1] },
		{ x: [1, 1, 6, 9], k: [2, 4], s: [1, 3], p: [1, 2] },
		{ x: [2, 1, 5, 5], k: [3, 3], s: [1, 1], p: [0, 0] }
	];

	it('pool each window like a direct loop, flooring the output size', () => {
		for (const c of cases) {
			const x = rand(c.x);
			const opts = { stride: c.s, padding: c.p };
			expect(maxPool2d(x, c.k, opts), `max ${JSON.stringify(c)}`).toBeAllclose(naivePool(x, c.k, c.s, c.p, 'max'));
			expect(avgPool2d(x, c.k, opts), `avg ${JSON.stringify(c)}`).toBeAllclose(naivePool(x, c.k, c.s, c.p, 'avg'), {
				rtol: 1e-6,
				atol: 1e-6
			});
		}
	});

	it('maxPool2d pads with −∞ and avgPool2d counts the zero padding in its mean', () => {
		const x = ones([1, 1, 2, 2]).neg();
		expect(maxPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).toEqual([
			[
				[
					[-1, -1, -1],
					[-1, -1, -1],
					[-1, -1, -1]
				]
			]
		]);
		expect(avgPool2d(ones([1, 1, 2, 2]), 2, { stride: 1, padding: 1 })).toBeAllclose([
			[
				[
					[0.25, 0.5, 0.25],
					[0.5, 1, 0.5],
					[0.25, 0.5, 0.25]
				]
			]
		]);
	});

	it('maxPool2d sends each gradient to the first maximum of its window, summing over overlaps', () => {
		const x = tensor(
			[
				[
					[
						[1, 5, 5],
						[5, 2, 0],
						[0, 0, 3]
					]
				]
			],
			{ requiresGrad: true }
		);
		maxPool2d(x, 2, { stride: 1 }).backward(
			tensor([
				[
					[
						[1, 10],
						[100, 1000]
					]
				]
			])
		);
		expect(x.grad?.toArray()).toEqual([
			[
				[
					[0, 11, 0],
					[100, 0, 0],
					[0, 0, 1000]
				]
			]
		]);
	});

	it('avgPool2d spreads each gradient evenly over its window', () => {
		const x = ones([1, 1, 3, 3], { requiresGrad: true });
		avgPool2d(x, 2, { stride: 1 }).backward(ones([1, 1, 2, 2]));
		expect(x.grad).toBeAllclose([
			[
				[
					[0.25, 0.5, 0.25],
					[0.5, 1, 0.5],
					[0.25, 0.5, 0.25]
				]
			]
		]);
	});

	it('pass a float64 finite-difference gradcheck', () => {
		for (const c of cases) {
			const opts = { stride: c.s, padding: c.p };
			const report = gradcheck((x) => avgPool2d(x, c.k, opts), [rand(c.x, true)]);
			expect(report.ok, report.summary).toBe(true);
			// Distinct, well-separated values keep every max away from a tie the finite difference would straddle.
			const n = c.x.reduce((a, b) => a * b, 1);
			const distinct = tensor(Float64Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => i * 0.1))), {
				shape: c.x,
				requiresGrad: true
			});
			const maxReport = gradcheck((x) => maxPool2d(x, c.k, opts), [distinct]);
			expect(maxReport.ok, maxReport.summary).toBe(true);
		}
	});

	it('reject inputs and windows PyTorch rejects, naming the shapes', () => {
		const x = rand([1, 1, 4, 4]);
		for (const [name, pool] of [
			['maxPool2d', maxPool2d],
			['avgPool2d', avgPool2d]
		] as const) {
			shapeError(() => pool(rand([4, 4]), 2), `${name}: input must be 4-D [N, C, H, W], got [4,4]`);
			shapeError(() => pool(x, 5), `${name}: kernel 5×5 is larger than input [1,1,4,4] padded to 4×4`);
			expect(() => pool(x, 3, { padding: 2 })).toThrow(new ValueError(`${name}: padding (2, 2) must be at most half the kernel (3, 3)`));
			expect(() => pool(x, [0, 2])).toThrow(new ValueError(`${name}: kernel must be integers ≥ 1, got (0, 2)`));
			expect(() => pool(x, 2, { stride: [1, 0] })).toThrow(new ValueError(`${name}: stride must be integers ≥ 1, got (1, 0)`));
			expect(() => pool(x, 2, { padding: 0.5 })).toThrow(new ValueError(`${name}: padding must be integers ≥ 0, got (0.5, 0.5)`));
		}
	});
});
