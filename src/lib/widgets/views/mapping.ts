/**
 * From preview arrays to what the attention views draw: cells of a causal matrix, bars of frame
 * weights, a spatial map's cells, boxes in pixels, frames as pixels. Pure functions (D3 for colour
 * only), so the mapping is tested without a browser.
 */
import { interpolateViridis, scaleSequential } from 'd3';

/** The colour-blind-safe sequential scale every attention view uses, from 0 to `max`. */
export function weightScale(max: number): (v: number) => string {
	const scale = scaleSequential(interpolateViridis).domain([0, max > 0 ? max : 1]);
	return (v) => scale(v);
}

/** Text that stays readable on a viridis cell: dark on the light (yellow-green) end, light on the dark end. */
export function inkOn(v: number, max: number): string {
	return v / (max > 0 ? max : 1) > 0.6 ? '#111111' : '#ffffff';
}

/** One cell of a causal attention matrix. A masked cell (key after query) carries no weight and no colour. */
export type CausalCell =
	| { query: number; key: number; masked: false; weight: number; fill: string }
	| { query: number; key: number; masked: true; weight: null; fill: null };

/**
 * The cells of head `head` of causal attention `[heads, T, T]` (query-major): row = query frame,
 * column = key frame. Cells with key > query are masked: the model cannot look ahead, so they get
 * no weight colour whatever the array holds there.
 *
 * @example
 * causalCells(weights, 4, 6, 0).filter((c) => c.masked).length; // 15
 */
export function causalCells(attention: ArrayLike<number>, heads: number, T: number, head: number, max = 1): CausalCell[] {
	if (!Number.isInteger(head) || head < 0 || head >= heads) throw new RangeError(`head ${head} does not exist; there are ${heads}`);
	if (attention.length !== heads * T * T) throw new RangeError(`attention has ${attention.length} values, expected ${heads}×${T}×${T}`);
	const colour = weightScale(max);
	const cells: CausalCell[] = [];
	for (let q = 0; q < T; q++) {
		for (let k = 0; k < T; k++) {
			if (k > q) cells.push({ query: q, key: k, masked: true, weight: null, fill: null });
			else {
				const weight = attention[(head * T + q) * T + k];
				cells.push({ query: q, key: k, masked: false, weight, fill: colour(weight) });
			}
		}
	}
	return cells;
}

/** The largest unmasked weight over every head, the top of a shared colour scale. */
export function causalMax(attention: ArrayLike<number>, heads: number, T: number): number {
	let max = 0;
	for (let h = 0; h < heads; h++)
		for (let q = 0; q < T; q++) for (let k = 0; k <= q; k++) max = Math.max(max, attention[(h * T + q) * T + k]);
	return max;
}

export interface FrameBar {
	frame: number;
	weight: number;
	key: boolean;
}

/** One bar per frame, marking the key frames. */
export function frameBars(weights: ArrayLike<number>, keyFrames: readonly number[]): FrameBar[] {
	return Array.from(weights, (weight, frame) => ({ frame, weight, key: keyFrames.includes(frame) }));
}

export interface MapCell {
	row: number;
	col: number;
	value: number;
}

/** Frame `t` of a spatial map `[T, h, w]`: value at row y, column x is `map[(t·h + y)·w + x]`. */
export function spatialCells(map: ArrayLike<number>, t: number, h: number, w: number): MapCell[] {
	const cells: MapCell[] = [];
	for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) cells.push({ row: y, col: x, value: map[(t * h + y) * w + x] });
	return cells;
}

/** Largest value of frame `t` of a `[T, n]` array. */
export function frameMax(values: ArrayLike<number>, t: number, n: number): number {
	let max = 0;
	for (let i = t * n; i < (t + 1) * n; i++) max = Math.max(max, values[i]);
	return max;
}

export interface PixelBox {
	x: number;
	y: number;
	width: number;
	height: number;
}

/** Box `t` of `[T, 4]` fractions (x0, y0, x1, y1) as a rectangle in a `width × height` drawing. */
export function boxToPixels(boxes: ArrayLike<number>, t: number, width: number, height: number): PixelBox {
	const [x0, y0, x1, y1] = [0, 1, 2, 3].map((i) => boxes[4 * t + i]);
	return { x: x0 * width, y: y0 * height, width: Math.max(0, x1 - x0) * width, height: Math.max(0, y1 - y0) * height };
}

/**
 * Frame `t` of a `[T, H, W]` clip as greyscale RGBA, each pixel a `scale × scale` block (so a
 * browser never smooths the tiny frames into blur). Values are clamped to [0, 1].
 *
 * @example
 * frameRgba(clip, 16, 16, 0, 8).length; // 128 · 128 · 4
 */
export function frameRgba(data: ArrayLike<number>, height: number, width: number, t: number, scale = 1): Uint8ClampedArray {
	const W = width * scale;
	const out = new Uint8ClampedArray(height * scale * W * 4);
	for (let y = 0; y < height * scale; y++) {
		for (let x = 0; x < W; x++) {
			const v = data[(t * height + Math.floor(y / scale)) * width + Math.floor(x / scale)];
			const g = Math.round(255 * Math.min(1, Math.max(0, v)));
			const o = 4 * (y * W + x);
			out[o] = out[o + 1] = out[o + 2] = g;
			out[o + 3] = 255;
		}
	}
	return out;
}

/** Mean pixel value of frame `t`, for the frames' data table. */
export function frameMean(data: ArrayLike<number>, height: number, width: number, t: number): number {
	const n = height * width;
	let s = 0;
	for (let i = t * n; i < (t + 1) * n; i++) s += data[i];
	return s / n;
}

/** Mean squared difference between frame `i` of `a` and frame `j` of `b`, frames of `n` pixels. */
export function frameMse(a: ArrayLike<number>, i: number, b: ArrayLike<number>, j: number, n: number): number {
	let s = 0;
	for (let p = 0; p < n; p++) s += (a[i * n + p] - b[j * n + p]) ** 2;
	return s / n;
}
