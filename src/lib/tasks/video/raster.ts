/**
 * Drawing into one frame of a clip. Everything uses integer pixel tests or squared distances, never
 * trigonometry, so a frame has the same bits in every JavaScript engine.
 *
 * Convention: pixel (x, y) covers [x, x + 1) × [y, y + 1), so its centre is (x + 0.5, y + 0.5).
 * Shapes clip silently at the frame's edges; the generators keep objects inside anyway.
 */

/** A frame inside a clip's buffer: `height × width` pixels starting at `offset`. */
export interface FrameView {
	readonly data: Float32Array;
	readonly offset: number;
	readonly width: number;
	readonly height: number;
}

/** The frame `t` of a `[T, H, W]` buffer. */
export function frameView(data: Float32Array, t: number, height: number, width: number): FrameView {
	return { data, offset: t * height * width, width, height };
}

/**
 * Set every pixel of the rectangle [x0, x0 + w) × [y0, y0 + h) to `value` (overwriting), or raise
 * it to `value` with `blend: 'max'` (so overlapping objects never darken each other).
 */
export function fillRect(
	frame: FrameView,
	x0: number,
	y0: number,
	w: number,
	h: number,
	value: number,
	blend: 'set' | 'max' = 'set'
): void {
	const xa = Math.max(0, x0);
	const xb = Math.min(frame.width, x0 + w);
	const ya = Math.max(0, y0);
	const yb = Math.min(frame.height, y0 + h);
	for (let y = ya; y < yb; y++) {
		const row = frame.offset + y * frame.width;
		for (let x = xa; x < xb; x++) {
			if (blend === 'set' || frame.data[row + x] < value) frame.data[row + x] = value;
		}
	}
}

/**
 * Overwrite the `size × size` square at (x0, y0) with `value` where `mask` is 1 and leave the
 * other pixels alone. `mask` is row-major, `size × size`.
 */
export function drawMask(frame: FrameView, mask: Uint8Array, size: number, x0: number, y0: number, value: number): void {
	for (let j = 0; j < size; j++) {
		const y = y0 + j;
		if (y < 0 || y >= frame.height) continue;
		for (let i = 0; i < size; i++) {
			const x = x0 + i;
			if (mask[j * size + i] && x >= 0 && x < frame.width) frame.data[frame.offset + y * frame.width + x] = value;
		}
	}
}

/**
 * Draw a disc of radius `r` centred at (cx, cy) (continuous coordinates), max-blended.
 * With `supersample = s > 1` each pixel tests an s × s grid of points and takes the covered
 * fraction of `value`, which anti-aliases the edge; `s = 1` tests the pixel centre only (crisp).
 *
 * @example
 * drawDisc(frameView(clip.data, 0, 16, 16), 8, 8, 2.5, 1, 4);
 */
export function drawDisc(frame: FrameView, cx: number, cy: number, r: number, value: number, supersample = 1): void {
	const r2 = r * r;
	const xa = Math.max(0, Math.floor(cx - r));
	const xb = Math.min(frame.width, Math.ceil(cx + r));
	const ya = Math.max(0, Math.floor(cy - r));
	const yb = Math.min(frame.height, Math.ceil(cy + r));
	const samples = supersample * supersample;
	for (let y = ya; y < yb; y++) {
		const row = frame.offset + y * frame.width;
		for (let x = xa; x < xb; x++) {
			let covered = 0;
			for (let sy = 0; sy < supersample; sy++) {
				const dy = y + (sy + 0.5) / supersample - cy;
				for (let sx = 0; sx < supersample; sx++) {
					const dx = x + (sx + 0.5) / supersample - cx;
					if (dx * dx + dy * dy <= r2) covered++;
				}
			}
			const v = (value * covered) / samples;
			if (frame.data[row + x] < v) frame.data[row + x] = v;
		}
	}
}

/** Objects and distractors share one brightness range, so brightness alone never tells them apart; 0.6 stays well clear of the dark background under noise. */
export const MIN_INTENSITY = 0.6;
export const MAX_INTENSITY = 1;

/** A brightness drawn uniformly from [MIN_INTENSITY, MAX_INTENSITY). */
export function randomIntensity(rng: { uniform(): number }): number {
	return MIN_INTENSITY + (MAX_INTENSITY - MIN_INTENSITY) * rng.uniform();
}
