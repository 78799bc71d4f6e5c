import { ShapeError, fmtShape, type Tensor } from '../../engine/index';
import type { Metrics } from '../../train/metrics';
import type { Box } from '../video/box';
import { attentionPeak, boxIoU, centreDistance, pointInBox, precisionAt, successAuc } from './metrics';

/**
 * The first frame scored. The tracker is shown the target's box in frame 0 (that is how it knows
 * what to follow), so scoring frame 0 would grade it partly on the answer it was given.
 */
export const FIRST_SCORED_FRAME = 1;

/**
 * Collects per-frame results over batches and turns them into the task's metrics: mean IoU,
 * success AUC, precision at `PRECISION_RADIUS_PX` and, for models with attention, the share of
 * frames whose attention peak falls inside the true box. Frames before `FIRST_SCORED_FRAME`
 * are skipped.
 *
 * Shape: `add(pred, truth, weights)` takes boxes `[B, T, 4]` as fractions of the frame
 * (`x0, y0, x1, y1`) and attention `[B, T, h, w]` or null.
 *
 * @example
 * const scores = new TrackingScores(16, 16);
 * scores.add(pred, batch.boxes, weights);
 * scores.summary(); // { meanIoU, successAUC, precision, peakInBox }
 */
export class TrackingScores {
	private readonly ious: number[] = [];
	private readonly errors: number[] = [];
	private peaksInBox = 0;
	private peaksSeen = 0;

	constructor(
		/** Frame size in pixels, to turn fractions back into pixels. */
		readonly height: number,
		readonly width: number
	) {}

	add(pred: Tensor, truth: Tensor, weights: Tensor | null): void {
		if (pred.ndim !== 3 || pred.shape[2] !== 4 || truth.shape.join() !== pred.shape.join()) {
			throw new ShapeError(
				'trackingScores',
				`pred and truth must both be [B, T, 4], got ${fmtShape(pred.shape)} and ${fmtShape(truth.shape)}`
			);
		}
		const [B, T] = pred.shape;
		if (weights && (weights.ndim !== 4 || weights.shape[0] !== B || weights.shape[1] !== T)) {
			throw new ShapeError('trackingScores', `attention must be [B=${B}, T=${T}, h, w], got ${fmtShape(weights.shape)}`);
		}
		for (let b = 0; b < B; b++) {
			for (let t = FIRST_SCORED_FRAME; t < T; t++) {
				const i = b * T + t;
				const p = this.pixels(pred.data, i);
				const g = this.pixels(truth.data, i);
				this.ious.push(boxIoU(p, g));
				this.errors.push(centreDistance(p, g));
				if (weights) {
					const [, , h, w] = weights.shape;
					const [x, y] = attentionPeak(weights.data, i * h * w, h, w, this.height, this.width);
					if (pointInBox(x, y, g)) this.peaksInBox++;
					this.peaksSeen++;
				}
			}
		}
	}

	/** The metrics so far; `peakInBox` only when attention was given. */
	summary(): Metrics {
		const n = this.ious.length;
		const metrics: Metrics = {
			meanIoU: n ? this.ious.reduce((s, v) => s + v, 0) / n : 0,
			successAUC: successAuc(this.ious),
			precision: precisionAt(this.errors)
		};
		if (this.peaksSeen > 0) metrics.peakInBox = this.peaksInBox / this.peaksSeen;
		return metrics;
	}

	/** Box `i` of a flat `[…, 4]` buffer of fractions, in pixels. */
	private pixels(data: ArrayLike<number>, i: number): Box {
		const { width: W, height: H } = this;
		return [data[4 * i] * W, data[4 * i + 1] * H, data[4 * i + 2] * W, data[4 * i + 3] * H];
	}
}
