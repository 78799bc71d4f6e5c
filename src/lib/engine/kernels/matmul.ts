import type { Storage } from '../dtype';

/*
 * Single-threaded GEMM in the GotoBLAS shape: op(A) and op(B) are packed into Float64Array
 * panels four rows (A) or four columns (B) wide, so the innermost loop reads both operands
 * sequentially whatever their layout, and a 4×4 block of C lives in sixteen local doubles
 * for the whole K loop. Transposes are absorbed by the packing, never materialised.
 * K is not blocked: every output is one float64 sum over the full inner dimension, rounded
 * once when stored, so results do not depend on blocking and float32 outputs lose nothing
 * to intermediate stores.
 */

// A 4×4 tile feeds sixteen multiply-adds from eight loads per step of k. In Node 20, 2×4, 3×3
// and 3×4 tiles ran no faster (V8 spills a few of the sixteen accumulators, but loads cost more).
const MR = 4;
const NR = 4;
const A_BLOCK = 1 << 15; // doubles (256 KiB) of packed A: fits L2, streaming past one B panel held in L1
const B_BLOCK = 1 << 17; // doubles (1 MiB) of packed B: bounds the scratch when B is wide

let aPack: Float64Array = new Float64Array(0);
let bPack: Float64Array = new Float64Array(0);
const edge = new Float64Array(MR * NR);

function ensure(buf: Float64Array, n: number): Float64Array {
	return buf.length >= n ? buf : new Float64Array(Math.max(n, buf.length * 2));
}

/**
 * `C = op(A)·op(B)` (or `C += …` with `accumulate`), with op(A) M×K, op(B) K×N and C M×N,
 * all row-major and contiguous from their offsets. `transA` means A is stored K×M,
 * `transB` that B is stored N×K. Reads Float32Array or Float64Array alike.
 *
 * @example
 * gemm(a, 0, b, 0, c, 0, 2, 2, 3, false, false); // c = a[2×3] · b[3×2]
 * gemm(a, 0, g, 0, gb, 0, 3, 2, 2, true, false); // gb = aᵀ · g
 */
export function gemm(
	a: Storage,
	aOff: number,
	b: Storage,
	bOff: number,
	out: Storage,
	outOff: number,
	M: number,
	N: number,
	K: number,
	transA: boolean,
	transB: boolean,
	accumulate = false
): void {
	if (M === 0 || N === 0) return;
	if (K === 0) {
		if (!accumulate) out.fill(0, outOff, outOff + M * N);
		return;
	}
	if (M === 1) {
		// A row times B: packing would pad the single row to four.
		vecMat(a, aOff, b, bOff, out, outOff, N, K, transB, accumulate);
		return;
	}
	if (N === 1) {
		// op(A)·b is b·op(A)ᵀ, so the same routine serves with the roles swapped.
		vecMat(b, bOff, a, aOff, out, outOff, M, K, !transA, accumulate);
		return;
	}
	const mc = Math.min(roundUp(M, MR), Math.max(MR, Math.floor(A_BLOCK / K / MR) * MR));
	const nc = Math.min(roundUp(N, NR), Math.max(NR, Math.floor(B_BLOCK / K / NR) * NR));
	aPack = ensure(aPack, mc * K);
	bPack = ensure(bPack, nc * K);
	for (let jc = 0; jc < N; jc += nc) {
		const nb = Math.min(nc, N - jc);
		packB(b, bOff, N, K, transB, jc, nb, bPack);
		for (let ic = 0; ic < M; ic += mc) {
			const mb = Math.min(mc, M - ic);
			packA(a, aOff, M, K, transA, ic, mb, aPack);
			// One B panel (K×4) stays in L1 while the A block streams past it from L2.
			for (let jr = 0; jr < nb; jr += NR) {
				for (let ir = 0; ir < mb; ir += MR) {
					tile(
						aPack,
						ir * K,
						bPack,
						jr * K,
						K,
						out,
						outOff + (ic + ir) * N + jc + jr,
						N,
						Math.min(MR, mb - ir),
						Math.min(NR, nb - jr),
						accumulate
					);
				}
			}
		}
	}
}

function roundUp(n: number, m: number): number {
	return Math.ceil(n / m) * m;
}

/**
 * `out[j] (+)= Σ_k x[k]·W[k, j]` for a contiguous vector x of length K; W is stored K×N, or
 * N×K when `transW`. Either way the inner loop walks W's rows contiguously.
 */
function vecMat(
	x: Storage,
	xOff: number,
	w: Storage,
	wOff: number,
	out: Storage,
	outOff: number,
	N: number,
	K: number,
	transW: boolean,
	accumulate: boolean
): void {
	if (transW) {
		for (let j = 0; j < N; j++) {
			const row = wOff + j * K;
			let s = 0;
			for (let k = 0; k < K; k++) s += x[xOff + k] * w[row + k];
			out[outOff + j] = accumulate ? out[outOff + j] + s : s;
		}
		return;
	}
	bPack = ensure(bPack, N);
	const acc = bPack;
	acc.fill(0, 0, N);
	for (let k = 0; k < K; k++) {
		const xk = x[xOff + k];
		const row = wOff + k * N;
		for (let j = 0; j < N; j++) acc[j] += xk * w[row + j];
	}
	for (let j = 0; j < N; j++) out[outOff + j] = accumulate ? out[outOff + j] + acc[j] : acc[j];
}

/** Rows ic…ic+mb of op(A) into panels of MR rows: panel p holds op(A)[ic+p·MR+i, k] at p·MR·K + k·MR + i, zero-padded. */
function packA(a: Storage, off: number, M: number, K: number, trans: boolean, ic: number, mb: number, dst: Float64Array): void {
	for (let p = 0; p < mb; p += MR) {
		const rows = Math.min(MR, mb - p);
		const base = p * K;
		for (let i = 0; i < MR; i++) {
			if (i >= rows) {
				for (let k = 0; k < K; k++) dst[base + k * MR + i] = 0;
			} else if (trans) {
				// A stored K×M: op(A)[r, k] = A[k, r]
				const src = off + ic + p + i;
				for (let k = 0; k < K; k++) dst[base + k * MR + i] = a[src + k * M];
			} else {
				const src = off + (ic + p + i) * K;
				for (let k = 0; k < K; k++) dst[base + k * MR + i] = a[src + k];
			}
		}
	}
}

/** Columns jc…jc+nb of op(B) into panels of NR columns: panel q holds op(B)[k, jc+q·NR+j] at q·NR·K + k·NR + j, zero-padded. */
function packB(b: Storage, off: number, N: number, K: number, trans: boolean, jc: number, nb: number, dst: Float64Array): void {
	for (let q = 0; q < nb; q += NR) {
		const cols = Math.min(NR, nb - q);
		const base = q * K;
		if (cols === NR && !trans) {
			// The common case reads four adjacent values per row of B.
			let src = off + jc + q;
			for (let k = 0, d = base; k < K; k++, d += NR, src += N) {
				dst[d] = b[src];
				dst[d + 1] = b[src + 1];
				dst[d + 2] = b[src + 2];
				dst[d + 3] = b[src + 3];
			}
			continue;
		}
		for (let j = 0; j < NR; j++) {
			if (j >= cols) {
				for (let k = 0; k < K; k++) dst[base + k * NR + j] = 0;
			} else if (trans) {
				// B stored N×K: op(B)[k, c] = B[c, k]
				const src = off + (jc + q + j) * K;
				for (let k = 0; k < K; k++) dst[base + k * NR + j] = b[src + k];
			} else {
				const src = off + jc + q + j;
				for (let k = 0; k < K; k++) dst[base + k * NR + j] = b[src + k * N];
			}
		}
	}
}

/**
 * One MR×NR block of C from an A panel and a B panel; only the top-left rows×cols are stored.
 * Laid out by hand as the 4×4 block it computes, which reads better than one statement a line.
 */
// prettier-ignore
function tile(
	ap: Float64Array,
	ai: number,
	bp: Float64Array,
	bi: number,
	K: number,
	out: Storage,
	o: number,
	ldc: number,
	rows: number,
	cols: number,
	accumulate: boolean
): void {
	let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
	let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
	let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
	let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
	for (let k = 0; k < K; k++) {
		// Post-increments measured ~10% faster in V8 than constant offsets from one index.
		const a0 = ap[ai++], a1 = ap[ai++], a2 = ap[ai++], a3 = ap[ai++];
		const b0 = bp[bi++], b1 = bp[bi++], b2 = bp[bi++], b3 = bp[bi++];
		c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
		c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
		c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
		c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
	}
	if (rows === MR && cols === NR) {
		if (accumulate) {
			out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
			o += ldc;
			out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13;
			o += ldc;
			out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23;
			o += ldc;
			out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
		} else {
			out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03;
			o += ldc;
			out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13;
			o += ldc;
			out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23;
			o += ldc;
			out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
		}
		return;
	}
	// Edge tile: the padded rows and columns were computed against zeros and are dropped here.
	edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
	edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
	edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
	edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
	for (let i = 0; i < rows; i++) {
		for (let j = 0; j < cols; j++) {
			const v = edge[i * NR + j];
			out[o + i * ldc + j] = accumulate ? out[o + i * ldc + j] + v : v;
		}
	}
}
