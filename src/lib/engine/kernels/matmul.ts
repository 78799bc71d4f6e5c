import type { Storage } from '../dtype';

/*
 * Single-threaded GEMM in the GotoBLAS shape. op(A) and op(B) are copied, a block at a time,
 * into Float64Array panels four rows (A) or four columns (B) wide, so the micro-kernel reads
 * both operands sequentially whatever their layout or element type, and transposes are
 * absorbed by the copy, never materialised. Loop order jc → pc → ic → jr → ir: a KC×4 panel
 * of B stays in L1 while the A block (MC×KC) streams past it from L2.
 *
 * Each product element is one float64 sum over up to KC steps of k; when K > KC the partial
 * sums meet in `out`, so a float32 output is rounded once per KC steps.
 *
 * All scratch is module-private constants of a fixed size, on purpose: V8 compiles each
 * function here (one closure, one context) with those arrays' data pointers and lengths as
 * constants, which takes the reload of every array header and most index arithmetic out of the
 * loops. Exported, they would become module cells and lose that. The micro-kernel touches only
 * these Float64Arrays, so its loads and stores are monomorphic; float32 and float64 operands
 * meet only the packing and unpacking around it. Nothing is allocated per call.
 *
 * Measured on one core of the 2-core EPYC this was tuned on (Node 20, V8 11.3): ~5.5–5.9
 * GFLOP/s at 256² and 512², ~4.8 for 32 products of 64³, against ~3.3 for the previous 4×4
 * kernel over arrays passed as arguments; taking two steps of k per trip of the micro-kernel's
 * loop then added 4–29% (medians of alternating runs in one process, 64² to 512², on a loaded machine). One caveat is V8's: once any ArrayBuffer in the
 * process (or Worker) has been detached — transferred by postMessage, say — every typed-array
 * access checks for detachment, and this kernel drops to ~2.9 GFLOP/s (about the old one's
 * speed in that state). Threads that train should post copies of their buffers, not transfer them.
 */

/** Rows of op(A) per panel and columns of op(B) per panel: one micro-tile of C is MR×NR. */
const MR = 4;
const NR = 4;
/** Steps of k per packed panel: a KC×4 panel of B (8 KiB) stays in L1 while A streams past. */
const KC = 256;
/** Rows of op(A) per packed block: MC×KC doubles (256 KiB) sit in L2. */
const MC = 128;
/** Columns of op(B) per packed block: KC×NC doubles (1 MiB), so a 512-wide B is packed once. */
const NC = 512;

/** Where packed B starts in PANELS; packed A comes first. */
const B_BASE = MC * KC;
/** Both packed operands in one array. */
const PANELS = new Float64Array(B_BASE + KC * NC);
/** One column strip of C tiles (MC×NR): the micro-kernel's output, moved into C by `unpack`. */
const C_STRIP = new Float64Array(MC * NR);
/** The micro-tile's accumulators that live in memory rather than in locals (see microStrip). */
const TILE = new Float64Array(MR * NR);

/**
 * `C = op(A)·op(B)` (or `C += …` with `accumulate`), with op(A) M×K, op(B) K×N and C M×N,
 * all row-major and contiguous from their offsets. `transA` means A is stored K×M,
 * `transB` that B is stored N×K. Reads Float32Array or Float64Array alike; allocates nothing.
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
	// Element (r, k) of op(A) sits at aOff + k·aK + r·aR; element (k, c) of op(B) at bOff + k·bK + c·bC.
	const aK = transA ? M : 1;
	const aR = transA ? 1 : K;
	const bK = transB ? 1 : N;
	const bC = transB ? K : 1;
	for (let jc = 0; jc < N; jc += NC) {
		const nb = Math.min(NC, N - jc);
		for (let pc = 0; pc < K; pc += KC) {
			const kc = Math.min(KC, K - pc);
			const add = accumulate || pc > 0;
			pack(b, bOff + pc * bK + jc * bC, bK, bC, nb, kc, B_BASE);
			for (let ic = 0; ic < M; ic += MC) {
				const mb = Math.min(MC, M - ic);
				pack(a, aOff + pc * aK + ic * aR, aK, aR, mb, kc, 0);
				for (let jr = 0; jr < nb; jr += NR) {
					microStrip(mb, kc, B_BASE + jr * kc);
					unpack(out, outOff + ic * N + jc + jr, N, mb, Math.min(NR, nb - jr), add);
				}
			}
		}
	}
}

/**
 * Copies `count` lines of a strided operand into panels four lines wide: line i, step k lands at
 * `PANELS[d + ⌊i/4⌋·4·kc + k·4 + i mod 4]`, so a panel reads as one contiguous run. Missing lines
 * of a last, partial panel are zeros: they meet only the padding of C, which `unpack` drops.
 */
function pack(src: Storage, off: number, kStride: number, lineStride: number, count: number, kc: number, d: number): void {
	const P = PANELS;
	for (let p = 0; p < count; p += 4) {
		const s0 = off + p * lineStride;
		const lines = Math.min(4, count - p);
		if (lines === 4 && lineStride === 1) {
			// op(B) read in place, or op(A) = Aᵀ: the four lines are adjacent at every k.
			for (let k = 0, s = s0; k < kc; k++, s += kStride, d += 4) {
				P[d] = src[s];
				P[d + 1] = src[s + 1];
				P[d + 2] = src[s + 2];
				P[d + 3] = src[s + 3];
			}
		} else if (lines === 4) {
			const s1 = s0 + lineStride;
			const s2 = s1 + lineStride;
			const s3 = s2 + lineStride;
			for (let k = 0, s = 0; k < kc; k++, s += kStride, d += 4) {
				P[d] = src[s0 + s];
				P[d + 1] = src[s1 + s];
				P[d + 2] = src[s2 + s];
				P[d + 3] = src[s3 + s];
			}
		} else {
			for (let k = 0, s = s0; k < kc; k++, s += kStride, d += 4) {
				for (let i = 0; i < 4; i++) P[d + i] = i < lines ? src[s + i * lineStride] : 0;
			}
		}
	}
}

/** Moves the top-left rows×cols of the strip of tiles just computed into C, adding when `add`. */
function unpack(out: Storage, o: number, ldc: number, rows: number, cols: number, add: boolean): void {
	const S = C_STRIP;
	if (cols === NR) {
		// Full-width strips are nearly all of them; a four-step inner loop would cost more than its body.
		for (let r = 0, s = 0; r < rows; r++, s += NR, o += ldc) {
			if (add) {
				out[o] += S[s];
				out[o + 1] += S[s + 1];
				out[o + 2] += S[s + 2];
				out[o + 3] += S[s + 3];
			} else {
				out[o] = S[s];
				out[o + 1] = S[s + 1];
				out[o + 2] = S[s + 2];
				out[o + 3] = S[s + 3];
			}
		}
		return;
	}
	for (let r = 0, s = 0; r < rows; r++, s += NR, o += ldc) {
		if (add) for (let j = 0; j < cols; j++) out[o + j] += S[s + j];
		else for (let j = 0; j < cols; j++) out[o + j] = S[s + j];
	}
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
	// Sums collect in float64 in the panel scratch, a chunk of columns at a time.
	const acc = PANELS;
	for (let j0 = 0; j0 < N; j0 += acc.length) {
		const n = Math.min(acc.length, N - j0);
		acc.fill(0, 0, n);
		for (let k = 0; k < K; k++) {
			const xk = x[xOff + k];
			const row = wOff + k * N + j0;
			for (let j = 0; j < n; j++) acc[j] += xk * w[row + j];
		}
		const o = outOff + j0;
		for (let j = 0; j < n; j++) out[o + j] = accumulate ? out[o + j] + acc[j] : acc[j];
	}
}

/**
 * One column strip of C: for each MR-row panel of packed A (the first `rows` rows, padded up to
 * MR), the 4×4 tile `Σ_k A[panel + 4k + i] · B[bi0 + 4k + j]` over `kc` steps, into C_STRIP.
 *
 * Why six accumulators live in locals and ten in TILE: V8 schedules all sixteen products of a
 * step before any of the adds, so sixteen local accumulators plus the operands overflow the
 * fifteen usable xmm registers and it spills ~24 values a step. Loads and stores of one typed
 * array keep their program order, so a multiply-add into TILE happens where it is written and
 * frees its registers at once; six locals then fit with the eight operands.
 *
 * Two steps of k per trip round the loop: every trip re-checks the arrays (their maps, lengths
 * and data pointers: the loop's interrupt check is a call, after which V8 assumes nothing) and
 * runs the loop test, and sharing those between two steps takes the loop from 146 to 124
 * instructions per step on Node 20 (V8 11.3), with 10 stack accesses per step instead of 17.
 * The arrays are aliased to locals first: read straight from module scope inside the loop,
 * V8 may lower the loads before it knows the array, and keep its header loads in the loop.
 */
// prettier-ignore
function microStrip(rows: number, kc: number, bi0: number): void {
	const P = PANELS, S = C_STRIP, T = TILE;
	const pairs = kc & ~1;
	for (let ai = 0, ci = 0; ci < rows * NR; ci = (ci + MR * NR) | 0) {
		let bi = bi0;
		let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0;
		T[6] = 0; T[7] = 0; T[8] = 0; T[9] = 0; T[10] = 0; T[11] = 0; T[12] = 0; T[13] = 0; T[14] = 0; T[15] = 0;
		let k = 0;
		for (; k < pairs; k = (k + 2) | 0) {
			let a0 = P[ai], a1 = P[(ai + 1) | 0], a2 = P[(ai + 2) | 0], a3 = P[(ai + 3) | 0];
			let b0 = P[bi], b1 = P[(bi + 1) | 0], b2 = P[(bi + 2) | 0], b3 = P[(bi + 3) | 0];
			c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
			c10 += a1 * b0; c11 += a1 * b1; T[6] += a1 * b2; T[7] += a1 * b3;
			T[8] += a2 * b0; T[9] += a2 * b1; T[10] += a2 * b2; T[11] += a2 * b3;
			T[12] += a3 * b0; T[13] += a3 * b1; T[14] += a3 * b2; T[15] += a3 * b3;
			a0 = P[(ai + 4) | 0]; a1 = P[(ai + 5) | 0]; a2 = P[(ai + 6) | 0]; a3 = P[(ai + 7) | 0];
			b0 = P[(bi + 4) | 0]; b1 = P[(bi + 5) | 0]; b2 = P[(bi + 6) | 0]; b3 = P[(bi + 7) | 0];
			c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
			c10 += a1 * b0; c11 += a1 * b1; T[6] += a1 * b2; T[7] += a1 * b3;
			T[8] += a2 * b0; T[9] += a2 * b1; T[10] += a2 * b2; T[11] += a2 * b3;
			T[12] += a3 * b0; T[13] += a3 * b1; T[14] += a3 * b2; T[15] += a3 * b3;
			ai = (ai + 8) | 0;
			bi = (bi + 8) | 0;
		}
		if (k < kc) {
			const a0 = P[ai], a1 = P[(ai + 1) | 0], a2 = P[(ai + 2) | 0], a3 = P[(ai + 3) | 0];
			const b0 = P[bi], b1 = P[(bi + 1) | 0], b2 = P[(bi + 2) | 0], b3 = P[(bi + 3) | 0];
			c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
			c10 += a1 * b0; c11 += a1 * b1; T[6] += a1 * b2; T[7] += a1 * b3;
			T[8] += a2 * b0; T[9] += a2 * b1; T[10] += a2 * b2; T[11] += a2 * b3;
			T[12] += a3 * b0; T[13] += a3 * b1; T[14] += a3 * b2; T[15] += a3 * b3;
			ai = (ai + 4) | 0;
		}
		S[ci] = c00; S[ci + 1] = c01; S[ci + 2] = c02; S[ci + 3] = c03;
		S[ci + 4] = c10; S[ci + 5] = c11; S[ci + 6] = T[6]; S[ci + 7] = T[7];
		S[ci + 8] = T[8]; S[ci + 9] = T[9]; S[ci + 10] = T[10]; S[ci + 11] = T[11];
		S[ci + 12] = T[12]; S[ci + 13] = T[13]; S[ci + 14] = T[14]; S[ci + 15] = T[15];
	}
}
