import { ValueError, tensor, type Tensor } from '../../engine/index';
import { normalizeBox, squareBox, type Box } from './box';
import type { Clip } from './clip';
import { makeSplits, streamRng, type VideoDataset } from './dataset';
import { randomBounce, type Trajectory } from './motion';
import { addPixelNoise } from './noise';
import {
	CLIP_KEYS,
	SPLIT_KEYS,
	checkFit,
	checkKeys,
	definedOnly,
	intOption,
	numberOption,
	resolveClipOptions,
	resolveSplitOptions,
	type ClipOptions,
	type ResolvedClipOptions,
	type SplitOptions
} from './options';
import { drawDisc, fillRect, frameView, randomIntensity } from './raster';

/**
 * Single-object tracking. The target is a hollow square ring; the distractors are filled discs of
 * the same brightness range, so only shape tells them apart. Everything moves at constant velocity
 * and bounces off the walls. Distractors are drawn under the target: the ring is never hidden,
 * though a disc may show through its hollow middle.
 */
export interface TrackingOptions extends ClipOptions, SplitOptions {
	/** Outer side of the target's ring in pixels (the ring is 1 pixel thick); ≥ 3. */
	targetSize?: number;
	/** Radius of each distractor disc in pixels; ≥ 1. */
	distractorRadius?: number;
	/** Fastest speed per axis, in pixels per frame (the slowest is 0.5, so everything moves). */
	maxSpeed?: number;
}

export interface ResolvedTrackingOptions extends ResolvedClipOptions {
	readonly targetSize: number;
	readonly distractorRadius: number;
	readonly maxSpeed: number;
}

export interface TrackingTruth {
	/** The target's box in every frame, in pixels (see `Box`): exactly the ring's outer edge. */
	readonly boxes: Box[];
	/** The target's continuous top-left corner and velocity per frame; it is drawn at the rounded position. */
	readonly path: Trajectory;
	readonly intensity: number;
}

/** Clips [B, T, H, W]; boxes [B, T, 4] as `[x0, y0, x1, y1]` divided by the frame's width and height, so in [0, 1]. */
export interface TrackingBatch {
	readonly clips: Tensor;
	readonly boxes: Tensor;
}

export type TrackingDataset = VideoDataset<ResolvedTrackingOptions, TrackingTruth, TrackingBatch>;

const WHERE = 'tracking';
const DEFAULTS: ResolvedClipOptions = { frames: 8, height: 16, width: 16, noise: 0.05, distractors: 2 };
const MIN_SPEED = 0.5;
const TARGET_STREAM = 0;
const DISTRACTOR_STREAM = 1;
const NOISE_STREAM = 2;

/** Fill in defaults and check every option, with a message naming the one at fault. */
export function resolveTrackingOptions(options: TrackingOptions = {}): ResolvedTrackingOptions {
	checkKeys(WHERE, options, [...CLIP_KEYS, ...SPLIT_KEYS, 'targetSize', 'distractorRadius', 'maxSpeed']);
	const clip = resolveClipOptions(WHERE, options, DEFAULTS, 1);
	const o = { targetSize: 6, distractorRadius: 2, maxSpeed: 1.5, ...definedOnly(options) };
	const side = Math.min(clip.height, clip.width);
	const targetSize = intOption(WHERE, 'targetSize', o.targetSize, 3);
	const distractorRadius = numberOption(WHERE, 'distractorRadius', o.distractorRadius, 1);
	const maxSpeed = numberOption(WHERE, 'maxSpeed', o.maxSpeed, MIN_SPEED);
	// A bounce must land back inside in one step, so every object needs at least maxSpeed of room to move.
	if (targetSize + maxSpeed > side) {
		throw new ValueError(
			`${WHERE}: a ${targetSize}-pixel target moving up to ${maxSpeed} px per frame needs frames of at least ${targetSize + maxSpeed} px a side, got ${clip.height}×${clip.width}`
		);
	}
	if (clip.distractors > 0) {
		if (2 * distractorRadius + maxSpeed > side) {
			throw new ValueError(
				`${WHERE}: a distractor disc of radius ${distractorRadius} moving up to ${maxSpeed} px per frame does not fit a ${clip.height}×${clip.width} frame`
			);
		}
		const diameter = Math.ceil(2 * distractorRadius);
		checkFit(WHERE, clip.distractors, diameter * diameter, `distractor discs of radius ${distractorRadius}`, clip.height, clip.width);
	}
	return { ...clip, targetSize, distractorRadius, maxSpeed };
}

/** Draw one example from its seed into `out` (a zeroed `[T, H, W]` buffer). */
export function drawTrackingExample(options: ResolvedTrackingOptions, seed: number, out: Float32Array): TrackingTruth {
	const { frames, height, width, targetSize: size, distractorRadius: r, maxSpeed } = options;
	const target = streamRng(seed, TARGET_STREAM);
	const path = randomBounce(target, { xMin: 0, xMax: width - size, yMin: 0, yMax: height - size }, MIN_SPEED, maxSpeed, frames);
	const intensity = randomIntensity(target);

	const rng = streamRng(seed, DISTRACTOR_STREAM);
	const discs = Array.from({ length: options.distractors }, () => ({
		path: randomBounce(rng, { xMin: r, xMax: width - r, yMin: r, yMax: height - r }, MIN_SPEED, maxSpeed, frames),
		intensity: randomIntensity(rng)
	}));

	const boxes: Box[] = [];
	for (let t = 0; t < frames; t++) {
		const frame = frameView(out, t, height, width);
		for (const disc of discs) drawDisc(frame, disc.path.x[t], disc.path.y[t], r, disc.intensity);
		const box = squareBox(Math.round(path.x[t]), Math.round(path.y[t]), size);
		const [x0, y0, x1, y1] = box;
		fillRect(frame, x0, y0, size, 1, intensity);
		fillRect(frame, x0, y1 - 1, size, 1, intensity);
		fillRect(frame, x0, y0, 1, size, intensity);
		fillRect(frame, x1 - 1, y0, 1, size, intensity);
		boxes.push(box);
	}
	addPixelNoise(out, options.noise, streamRng(seed, NOISE_STREAM));
	return { boxes, path, intensity };
}

/**
 * One clip and its truth, outside any dataset.
 *
 * @example
 * const { clip, truth } = trackingExample(resolveTrackingOptions({ distractors: 0 }), 3);
 */
export function trackingExample(options: ResolvedTrackingOptions, seed: number): { clip: Clip; truth: TrackingTruth } {
	const data = new Float32Array(options.frames * options.height * options.width);
	const truth = drawTrackingExample(options, seed, data);
	return { clip: { data, shape: [options.frames, options.height, options.width] }, truth };
}

/**
 * A seeded tracking dataset with train and validation splits.
 *
 * @example
 * const ds = makeTrackingDataset({ seed: 1, trainSize: 512, distractors: 3 });
 * const { clips, boxes } = ds.train.getBatch([0, 1]); // boxes [2, T, 4] in [0, 1]
 */
export function makeTrackingDataset(options: TrackingOptions = {}): TrackingDataset {
	const resolved = { ...resolveTrackingOptions(options), ...resolveSplitOptions(WHERE, options) };
	const { frames, height, width } = resolved;
	return makeSplits(
		resolved,
		[frames, height, width],
		(seed, out) => drawTrackingExample(resolved, seed, out),
		(split, indices) => ({
			clips: tensor(split.gatherFrames(indices), { shape: [indices.length, frames, height, width] }),
			boxes: tensor(Float32Array.from(indices.flatMap((i) => split.truth[i].boxes.flatMap((b) => normalizeBox(b, width, height)))), {
				shape: [indices.length, frames, 4]
			})
		})
	);
}
