import type { Storage } from '../dtype';

/**
 * Softmax kernels over one axis of a contiguous tensor seen as [outer, n, inner]: the axis
 * has length n and stride `inner`. Each outer block is processed with `inner` running
 * fastest, so memory is read in order whatever the axis, and the per-line running values
 * (max, sum) live in small float64 scratch arrays.
 */
export interface AxisView {
	outer: number;
	n: number;
	inner: number;
}

/** The [outer, n, inner] view of `shape` around `dim` (a scalar is one line of length 1). */
export function axisView(shape: readonly number[], dim: number): AxisView {
	let outer = 1;
	let inner = 1;
	for (let i = 0; i < dim; i++) outer *= shape[i];
	for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
	return { outer, n: shape.length === 0 ? 1 : shape[dim], inner };
}

/** Per-line max of block `base` into `m`; NaN is skipped here and surfaces through exp. */
function lineMax(x: Storage, base: number, { n, inner }: AxisView, m: Float64Array): void {
	m.fill(-Infinity);
	for (let i = 0; i < n; i++) {
		const row = base + i * inner;
		for (let k = 0; k < inner; k++) if (x[row + k] > m[k]) m[k] = x[row + k];
	}
}

/** Per-line Σ exp(x − max) of block `base` into `s`, optionally storing each exp in `out`. */
function lineExpSum(x: Storage, base: number, { n, inner }: AxisView, m: Float64Array, s: Float64Array, out: Storage | null): void {
	s.fill(0);
	for (let i = 0; i < n; i++) {
		const row = base + i * inner;
		for (let k = 0; k < inner; k++) {
			const e = Math.exp(x[row + k] - m[k]);
			if (out) out[row + k] = e;
			s[k] += e;
		}
	}
}

/** y = exp(x − max) / Σ exp(x − max): subtracting the max keeps every exp in (0, 1]. */
export function softmaxForward(x: Storage, out: Storage, v: AxisView): void {
	const m = new Float64Array(v.inner);
	const s = new Float64Array(v.inner);
	const block = v.n * v.inner;
	for (let o = 0; o < v.outer; o++) {
		const base = o * block;
		lineMax(x, base, v, m);
		lineExpSum(x, base, v, m, s, out);
		for (let k = 0; k < v.inner; k++) s[k] = 1 / s[k];
		for (let i = 0; i < v.n; i++) {
			const row = base + i * v.inner;
			for (let k = 0; k < v.inner; k++) out[row + k] *= s[k];
		}
	}
}

/** y = x − max − log Σ exp(x − max), never forming exp(x) itself, so it cannot overflow. */
export function logSoftmaxForward(x: Storage, out: Storage, v: AxisView): void {
	const m = new Float64Array(v.inner);
	const s = new Float64Array(v.inner);
	const block = v.n * v.inner;
	for (let o = 0; o < v.outer; o++) {
		const base = o * block;
		lineMax(x, base, v, m);
		lineExpSum(x, base, v, m, s, null);
		for (let k = 0; k < v.inner; k++) s[k] = Math.log(s[k]);
		for (let i = 0; i < v.n; i++) {
			const row = base + i * v.inner;
			for (let k = 0; k < v.inner; k++) out[row + k] = x[row + k] - m[k] - s[k];
		}
	}
}

/** dx = y ⊙ (g − Σ g ⊙ y) along the axis, from softmax output `y` and upstream `g`. */
export function softmaxBackward(g: Storage, y: Storage, dx: Storage, v: AxisView): void {
	const dot = new Float64Array(v.inner);
	const block = v.n * v.inner;
	for (let o = 0; o < v.outer; o++) {
		const base = o * block;
		dot.fill(0);
		for (let i = 0; i < v.n; i++) {
			const row = base + i * v.inner;
			for (let k = 0; k < v.inner; k++) dot[k] += g[row + k] * y[row + k];
		}
		for (let i = 0; i < v.n; i++) {
			const row = base + i * v.inner;
			for (let k = 0; k < v.inner; k++) dx[row + k] = y[row + k] * (g[row + k] - dot[k]);
		}
	}
}

/** dx = g − exp(y) ⊙ Σ g along the axis, from log-softmax output `y` and upstream `g`. */
export function logSoftmaxBackward(g: Storage, y: Storage, dx: Storage, v: AxisView): void {
	const total = new Float64Array(v.inner);
	const block = v.n * v.inner;
	for (let o = 0; o < v.outer; o++) {
		const base = o * block;
		total.fill(0);
		for (let i = 0; i < v.n; i++) {
			const row = base + i * v.inner;
			for (let k = 0; k < v.inner; k++) total[k] += g[row + k];
		}
		for (let i = 0; i < v.n; i++) {
			const row = base + i * v.inner;
			for (let k = 0; k < v.inner; k++) dx[row + k] = g[row + k] - Math.exp(y[row + k]) * total[k];
		}
	}
}
