import { ValueError } from '../../engine/index';
import type { Box } from '../video/box';

/**
 * How many IoU thresholds the success curve samples. OTB samples 21 (0, 0.05, …, 1) and counts
 * IoU > θ, which caps a perfect tracker's AUC at 20/21; counting IoU ≥ θ at the 20 thresholds
 * 0.05, …, 1 is the same curve's right Riemann sum, so perfect scores 1 and all-missed 0.
 */
export const SUCCESS_THRESHOLDS = 20;

/** The centre-error radius, in pixels of the frame, below which a frame counts as tracked for `precision`. */
export const PRECISION_RADIUS_PX = 5;

/**
 * Intersection over union of two boxes `[x0, y0, x1, y1]` (any units, as long as both share
 * them): 1 for identical boxes, 0 for disjoint or touching ones, and 0 when both are empty.
 *
 * @example
 * boxIoU([0, 0, 2, 2], [1, 0, 3, 2]); // 2 / 6 = 1/3
 */
export function boxIoU(a: Box, b: Box): number {
	const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
	const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
	const inter = iw > 0 && ih > 0 ? iw * ih : 0;
	const area = (box: Box) => Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);
	const union = area(a) + area(b) - inter;
	return union > 0 ? inter / union : 0;
}

/**
 * Euclidean distance between the centres of two boxes, in the boxes' units (pass pixel boxes
 * to get pixels, as OTB's precision plot does).
 *
 * @example
 * centreDistance([0, 0, 2, 2], [3, 4, 5, 6]); // 5
 */
export function centreDistance(a: Box, b: Box): number {
	return Math.hypot((a[0] + a[2] - b[0] - b[2]) / 2, (a[1] + a[3] - b[1] - b[3]) / 2);
}

/**
 * The success curve: for θ = 1/n, 2/n, …, 1, the share of frames whose IoU is at least θ.
 *
 * @example
 * successCurve([1, 0.5, 0], 4); // [2/3, 2/3, 1/3, 1/3] at θ = 0.25, 0.5, 0.75, 1
 */
export function successCurve(ious: ArrayLike<number>, thresholds = SUCCESS_THRESHOLDS): number[] {
	if (!Number.isInteger(thresholds) || thresholds < 1)
		throw new ValueError(`successCurve: thresholds must be an integer ≥ 1, got ${thresholds}`);
	const curve: number[] = [];
	for (let k = 1; k <= thresholds; k++) curve.push(shareAtLeast(ious, k / thresholds));
	return curve;
}

/**
 * Area under the success curve (OTB's one-pass "success AUC"): 1 when every frame is perfect,
 * 0 when no frame overlaps, and close to the mean IoU in between.
 *
 * @example
 * successAuc([1, 1]); // 1
 * successAuc([0.5]); // 0.5 (thresholds 0.05 … 0.5 pass: 10 of 20)
 */
export function successAuc(ious: ArrayLike<number>, thresholds = SUCCESS_THRESHOLDS): number {
	const curve = successCurve(ious, thresholds);
	return curve.reduce((s, v) => s + v, 0) / curve.length;
}

/**
 * Share of frames whose centre error is at most `radius` (OTB's "precision at 20 px" uses 20
 * on full-size video; our 16-pixel frames call for a tighter radius).
 *
 * @example
 * precisionAt([0, 4, 6], 5); // 2/3
 */
export function precisionAt(errors: ArrayLike<number>, radius = PRECISION_RADIUS_PX): number {
	return errors.length === 0 ? 0 : countWhere(errors, (e) => e <= radius) / errors.length;
}

/**
 * The centre, in frame pixels, of the cell holding the largest of `h·w` attention weights
 * starting at `offset` (row-major; ties go to the first cell). A cell of an `h × w` map over
 * a `height × width` frame spans `height / h` by `width / w` pixels.
 *
 * @example
 * attentionPeak([0, 0.1, 0.9, 0], 0, 2, 2, 16, 16); // [4, 12]: bottom-left cell, centred at x 4, y 12
 */
export function attentionPeak(
	weights: ArrayLike<number>,
	offset: number,
	h: number,
	w: number,
	height: number,
	width: number
): [x: number, y: number] {
	let best = 0;
	for (let i = 1; i < h * w; i++) if (weights[offset + i] > weights[offset + best]) best = i;
	const row = Math.floor(best / w);
	const col = best % w;
	return [((col + 0.5) * width) / w, ((row + 0.5) * height) / h];
}

/** Whether the point (x, y) lies in `box`, whose right and bottom edges are exclusive (see `Box`). */
export function pointInBox(x: number, y: number, box: Box): boolean {
	return x >= box[0] && x < box[2] && y >= box[1] && y < box[3];
}

function shareAtLeast(values: ArrayLike<number>, threshold: number): number {
	return values.length === 0 ? 0 : countWhere(values, (v) => v >= threshold) / values.length;
}

function countWhere(values: ArrayLike<number>, test: (v: number) => boolean): number {
	let n = 0;
	for (let i = 0; i < values.length; i++) if (test(values[i])) n++;
	return n;
}
