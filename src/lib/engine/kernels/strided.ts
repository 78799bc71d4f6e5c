import type { Storage } from '../dtype';
import type { Shape } from '../shape';

/**
 * Visit a strided view of a buffer one last-dim row at a time, in row-major order of `shape`.
 * The view's element `[i0, …, ik]` lives at `offset + Σ id·strides[d]`; row `r` starts at
 * `start` and steps by `step`. Permute, expand (stride 0) and slice (scaled strides, an
 * offset) are all such views, so one walk serves their forwards and backwards.
 */
export function forEachRow(
	shape: Shape,
	strides: readonly number[],
	offset: number,
	visit: (start: number, step: number, n: number, row: number) => void
): void {
	const nd = shape.length;
	if (nd === 0) {
		visit(offset, 0, 1, 0);
		return;
	}
	if (shape.includes(0)) return;
	const inner = shape[nd - 1];
	let rows = 1;
	for (let d = 0; d < nd - 1; d++) rows *= shape[d];
	const idx = new Array<number>(nd - 1).fill(0);
	let start = offset;
	for (let r = 0; r < rows; r++) {
		visit(start, strides[nd - 1], inner, r);
		for (let d = nd - 2; d >= 0; d--) {
			idx[d]++;
			start += strides[d];
			if (idx[d] < shape[d]) break;
			start -= strides[d] * shape[d];
			idx[d] = 0;
		}
	}
}

/** Copy the strided view of `src` described by `shape`/`strides`/`offset` into contiguous `out`. */
export function stridedCopy(src: Storage, shape: Shape, strides: readonly number[], offset: number, out: Storage): void {
	forEachRow(shape, strides, offset, (start, step, n, row) => {
		const o = row * n;
		for (let j = 0; j < n; j++) out[o + j] = src[start + j * step];
	});
}

/** Write contiguous `src` into the strided view of `dst`; the inverse of `stridedCopy` for views that do not overlap themselves. */
export function stridedScatter(src: Storage, shape: Shape, strides: readonly number[], offset: number, dst: Storage): void {
	forEachRow(shape, strides, offset, (start, step, n, row) => {
		const o = row * n;
		for (let j = 0; j < n; j++) dst[start + j * step] = src[o + j];
	});
}

/** Side of the square tiles `transposeLast2` copies: a 32×32 tile of doubles (8 KiB) stays in L1 while read down and written across. */
const TILE = 32;

/**
 * `out[m, j, i] = src[m, i, j]` for `batch` contiguous R×C matrices: the last two dims swapped.
 * Copying tile by tile keeps both the strided reads and the contiguous writes in cache; the
 * row-at-a-time walk of `stridedCopy` reads a whole column per output row and measured ~4×
 * slower on [512, 128].
 */
export function transposeLast2(src: Storage, batch: number, R: number, C: number, out: Storage): void {
	for (let m = 0, base = 0; m < batch; m++, base += R * C) {
		for (let i0 = 0; i0 < R; i0 += TILE) {
			const i1 = Math.min(i0 + TILE, R);
			for (let j0 = 0; j0 < C; j0 += TILE) {
				const j1 = Math.min(j0 + TILE, C);
				for (let j = j0; j < j1; j++) {
					for (let i = i0, s = base + i0 * C + j, o = base + j * R + i0; i < i1; i++, s += C, o++) out[o] = src[s];
				}
			}
		}
	}
}
