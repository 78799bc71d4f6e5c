/**
 * An axis-aligned box in pixels, `[x0, y0, x1, y1]`: columns x0 ≤ x < x1 and rows y0 ≤ y < y1, so
 * its width is x1 − x0 and a box around a whole W-wide frame is [0, 0, W, H].
 */
export type Box = readonly [x0: number, y0: number, x1: number, y1: number];

/**
 * The box as fractions of the frame, each coordinate in [0, 1]: the scale a regression head predicts.
 *
 * @example
 * normalizeBox([4, 2, 10, 8], 16, 16); // [0.25, 0.125, 0.625, 0.5]
 */
export function normalizeBox(box: Box, width: number, height: number): Box {
	return [box[0] / width, box[1] / height, box[2] / width, box[3] / height];
}

/** The `size × size` box with top-left pixel (x, y). */
export function squareBox(x: number, y: number, size: number): Box {
	return [x, y, x + size, y + size];
}
