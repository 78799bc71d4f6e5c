import { alloc, type Storage } from '../dtype';
import { ShapeError, fmtShape } from '../errors';
import { gemm } from '../kernels/matmul';
import { numel, stridesOf } from '../shape';
import { Tensor, promoteOf } from '../tensor';
import type { MatmulAttrs, OpDef, OpAttrs } from './types';

/**
 * How `op(a) @ op(b)` runs as M×K by K×N products, torch.matmul style: a 1-D `a` is a row [1, K]
 * and a 1-D `b` a column [K, 1], each extra dim removed from the result; leading dims
 * broadcast as a batch. op(x) is x, or x.mT when the attrs say that operand is stored
 * transposed. Product i reads matrix `aBatch[i]` of `a` and `bBatch[i]` of `b`.
 */
interface Plan {
	M: number;
	N: number;
	K: number;
	transA: boolean;
	transB: boolean;
	shape: number[];
	aBatch: Int32Array;
	bBatch: Int32Array;
	/** How many matrices each operand holds (fewer than the output's when broadcast). */
	aCount: number;
	bCount: number;
}

/** The batch index of a single product, shared: plans of unbatched products allocate nothing for it. */
const ONE = new Int32Array(1);

function plan(a: readonly number[], b: readonly number[], attrs: MatmulAttrs | null): Plan {
	const transA = attrs?.transA ?? false;
	const transB = attrs?.transB ?? false;
	if (a.length === 0 || b.length === 0) {
		throw new ShapeError('matmul', `both operands need at least 1 dimension, got ${fmtShape(a)} and ${fmtShape(b)}`);
	}
	if ((transA && a.length < 2) || (transB && b.length < 2)) {
		throw new ShapeError(
			'matmul',
			`a transposed operand needs at least 2 dimensions, got ${fmtShape(transA && a.length < 2 ? a : b)} marked ${transA && a.length < 2 ? 'transA' : 'transB'}`
		);
	}
	const na = a.length;
	const nb = b.length;
	const M = na === 1 ? 1 : a[transA ? na - 1 : na - 2];
	const K = na === 1 ? a[0] : a[transA ? na - 2 : na - 1];
	const Kb = nb === 1 ? b[0] : b[transB ? nb - 1 : nb - 2];
	const N = nb === 1 ? 1 : b[transB ? nb - 2 : nb - 1];
	if (K !== Kb) {
		const ops = `${fmtShape(a)}${transA ? 'ᵀ' : ''} by ${fmtShape(b)}${transB ? 'ᵀ' : ''}`;
		throw new ShapeError('matmul', `cannot multiply ${ops} (inner dims ${K} vs ${Kb})`);
	}
	const ab = a.slice(0, Math.max(na - 2, 0));
	const bb = b.slice(0, Math.max(nb - 2, 0));
	const nd = Math.max(ab.length, bb.length);
	const batch: number[] = [];
	for (let i = 0; i < nd; i++) {
		const da = ab[ab.length - nd + i] ?? 1;
		const db = bb[bb.length - nd + i] ?? 1;
		if (da !== db && da !== 1 && db !== 1) {
			throw new ShapeError(
				'matmul',
				`batch dims ${fmtShape(ab)} of ${fmtShape(a)} and ${fmtShape(bb)} of ${fmtShape(b)} do not broadcast (batch dim ${i}: ${da} vs ${db})`
			);
		}
		batch.push(da === 1 ? db : da);
	}
	const shape = [...batch];
	if (na > 1) shape.push(M);
	if (nb > 1) shape.push(N);
	const count = numel(batch);
	const base = { N, K, transA, transB, shape };
	if (count > 1 && !transA && numel(ab) === count && numel(bb) === 1) {
		// A stack of matrices times one shared matrix (a Linear layer over a batch) is one
		// taller product: B is packed once, and its gradient is summed inside the kernel.
		return { ...base, M: M * count, aBatch: ONE, bBatch: ONE, aCount: 1, bCount: 1 };
	}
	if (count === 1) return { ...base, M, aBatch: ONE, bBatch: ONE, aCount: 1, bCount: 1 };
	return { ...base, M, aBatch: batchIndex(ab, batch), bBatch: batchIndex(bb, batch), aCount: numel(ab), bCount: numel(bb) };
}

/** For each matrix of the broadcast batch `out`, the index of the matrix it reads in an operand with batch dims `own`. */
function batchIndex(own: readonly number[], out: readonly number[]): Int32Array {
	const count = numel(out);
	const idx = new Int32Array(count);
	const lead = out.length - own.length;
	const ownStrides = stridesOf(own);
	const strides = out.map((_, d) => (d < lead || own[d - lead] === 1 ? 0 : ownStrides[d - lead]));
	const outStrides = stridesOf(out);
	for (let i = 0; i < count; i++) {
		let j = 0;
		for (let d = 0; d < out.length; d++) j += (Math.floor(i / outStrides[d]) % out[d]) * strides[d];
		idx[i] = j;
	}
	return idx;
}

type GemmInto = (out: Storage, outOff: number, i: number, accumulate: boolean) => void;

/**
 * One operand's gradient: `gemm` into each of its matrices, summing where a matrix was
 * broadcast over several output matrices. Those sums collect in float64 and are rounded once.
 */
function gradOf(x: Tensor, batchOf: Int32Array, count: number, size: number, run: GemmInto): Tensor {
	const reduced = batchOf.length > count;
	const buf = reduced ? new Float64Array(x.size) : alloc(x.dtype, x.size);
	const seen = new Uint8Array(count);
	for (let i = 0; i < batchOf.length; i++) {
		const j = batchOf[i];
		run(buf, j * size, i, seen[j] === 1);
		seen[j] = 1;
	}
	if (!reduced) return new Tensor(buf, x.shape);
	const data = alloc(x.dtype, x.size);
	data.set(buf);
	return new Tensor(data, x.shape);
}

/**
 * Matrix product with torch.matmul's rules for 1-D operands and batch broadcasting, optionally
 * of stored-transposed operands (`transA`: `a.mT @ b`, `transB`: `a @ b.mT`, as `nn.Linear`'s
 * `x Wᵀ`). No transpose is ever formed, forward or backward: the kernel reads each operand in
 * whichever orientation it needs while packing it.
 */
export const matmul: OpDef<OpAttrs['matmul'], Plan> = {
	forward: ([a, b], attrs) => {
		const p = plan(a.shape, b.shape, attrs);
		const { M, N, K, transA, transB } = p;
		const data = alloc(promoteOf(a, b), numel(p.shape));
		for (let i = 0; i < p.aBatch.length; i++) {
			gemm(a.data, p.aBatch[i] * M * K, b.data, p.bBatch[i] * K * N, data, i * M * N, M, N, K, transA, transB);
		}
		return { data, shape: p.shape, saved: p };
	},
	backward: ({ grad, inputs: [a, b], saved: p, needs }) => {
		const { M, N, K, transA, transB } = p;
		const g = grad.data;
		// Ā = Ȳ·op(B)ᵀ, stored as op(B)·Ȳᵀ when A is transposed; B̄ = op(A)ᵀ·Ȳ, or Ȳᵀ·op(A).
		const aGrad: GemmInto = transA
			? (out, off, i, acc) => gemm(b.data, p.bBatch[i] * K * N, g, i * M * N, out, off, K, M, N, transB, true, acc)
			: (out, off, i, acc) => gemm(g, i * M * N, b.data, p.bBatch[i] * K * N, out, off, M, K, N, false, !transB, acc);
		const bGrad: GemmInto = transB
			? (out, off, i, acc) => gemm(g, i * M * N, a.data, p.aBatch[i] * M * K, out, off, N, K, M, true, transA, acc)
			: (out, off, i, acc) => gemm(a.data, p.aBatch[i] * M * K, g, i * M * N, out, off, K, N, M, !transA, false, acc);
		return [needs[0] ? gradOf(a, p.aBatch, p.aCount, M * K, aGrad) : null, needs[1] ? gradOf(b, p.bBatch, p.bCount, K * N, bGrad) : null];
	},
	tex: {
		forward: 'Y_{ij} = \\sum_k A_{ik} B_{kj}',
		backward: '\\bar A = \\bar Y B^{\\top},\\quad \\bar B = A^{\\top} \\bar Y'
	},
	texFor(attrs) {
		const { transA, transB } = attrs ?? { transA: false, transB: false };
		const a = transA ? 'A^{\\top}' : 'A';
		const b = transB ? 'B^{\\top}' : 'B';
		const ai = transA ? 'A_{ki}' : 'A_{ik}';
		const bj = transB ? 'B_{jk}' : 'B_{kj}';
		const aBar = transA ? `${transB ? 'B^{\\top}' : 'B'} \\bar Y^{\\top}` : `\\bar Y ${transB ? 'B' : 'B^{\\top}'}`;
		const bBar = transB ? `\\bar Y^{\\top} ${transA ? 'A^{\\top}' : 'A'}` : `${transA ? 'A' : 'A^{\\top}'} \\bar Y`;
		return { forward: `Y = ${a} ${b}:\\ Y_{ij} = \\sum_k ${ai} ${bj}`, backward: `\\bar A = ${aBar},\\quad \\bar B = ${bBar}` };
	}
};
