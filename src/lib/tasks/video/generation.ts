import { ValueError, tensor, type Tensor } from '../../engine/index';
import type { Clip } from './clip';
import { makeSplits, streamRng, type VideoDataset, type VideoSplit } from './dataset';
import { checkDotsFit, drawDots, randomDots } from './dots';
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
import { drawDisc, frameView, randomIntensity } from './raster';

/**
 * Next-frame prediction on bouncing balls. Each clip has a few balls moving at constant velocity
 * with elastic bounces off the walls (they pass through each other: no ball–ball collisions). The
 * first T − horizon frames are the context, the last `horizon` the frames to predict. Noise and
 * distractor dots can be added to the clip; `cleanTargets` then holds the future frames with
 * the balls alone, which is what the physics determines.
 */
export interface GenerationOptions extends ClipOptions, SplitOptions {
	/** Frames to predict at the end of each clip; the rest are context. 1 ≤ horizon < frames. */
	horizon?: number;
	/** Balls per clip, drawn uniformly from [minBalls, maxBalls]. */
	minBalls?: number;
	maxBalls?: number;
	/** Ball radius in pixels; ≥ 1. */
	radius?: number;
	/** Anti-aliasing: each pixel averages a supersample × supersample grid of coverage tests (1 = crisp); 1–8. */
	supersample?: number;
	/** Fastest speed per axis, in pixels per frame (the slowest is 0.5, so every ball moves). */
	maxSpeed?: number;
}

export interface ResolvedGenerationOptions extends ResolvedClipOptions {
	readonly horizon: number;
	/** frames − horizon. */
	readonly contextFrames: number;
	readonly minBalls: number;
	readonly maxBalls: number;
	readonly radius: number;
	readonly supersample: number;
	readonly maxSpeed: number;
}

export interface GenerationTruth {
	/** Each ball's centre (continuous pixel coordinates, see raster.ts) and velocity per frame. */
	readonly balls: Trajectory[];
	readonly intensities: number[];
}

/**
 * Clips [B, T, H, W]; context [B, T − h, H, W] (the clips' first frames); targets [B, h, H, W] (the
 * clips' last frames, noise and distractors included); cleanTargets [B, h, H, W] (the same frames
 * drawn with the balls only).
 */
export interface GenerationBatch {
	readonly clips: Tensor;
	readonly context: Tensor;
	readonly targets: Tensor;
	readonly cleanTargets: Tensor;
}

export type GenerationDataset = VideoDataset<ResolvedGenerationOptions, GenerationTruth, GenerationBatch>;

const WHERE = 'generation';
const DEFAULTS: ResolvedClipOptions = { frames: 8, height: 16, width: 16, noise: 0, distractors: 0 };
const MIN_SPEED = 0.5;
const BALL_STREAM = 0;
const DISTRACTOR_STREAM = 1;
const NOISE_STREAM = 2;

/** Fill in defaults and check every option, with a message naming the one at fault. */
export function resolveGenerationOptions(options: GenerationOptions = {}): ResolvedGenerationOptions {
	checkKeys(WHERE, options, [...CLIP_KEYS, ...SPLIT_KEYS, 'horizon', 'minBalls', 'maxBalls', 'radius', 'supersample', 'maxSpeed']);
	const clip = resolveClipOptions(WHERE, options, DEFAULTS, 2);
	const o = { horizon: 2, minBalls: 1, maxBalls: 3, radius: 2, supersample: 4, maxSpeed: 1.5, ...definedOnly(options) };
	const horizon = intOption(WHERE, 'horizon', o.horizon, 1, clip.frames - 1);
	const minBalls = intOption(WHERE, 'minBalls', o.minBalls, 1);
	const maxBalls = intOption(WHERE, 'maxBalls', o.maxBalls, minBalls);
	const radius = numberOption(WHERE, 'radius', o.radius, 1);
	const supersample = intOption(WHERE, 'supersample', o.supersample, 1, 8);
	const maxSpeed = numberOption(WHERE, 'maxSpeed', o.maxSpeed, MIN_SPEED);
	// A bounce must land back inside in one step, so a ball needs at least maxSpeed of room to move.
	if (2 * radius + maxSpeed > Math.min(clip.height, clip.width)) {
		throw new ValueError(
			`${WHERE}: a ball of radius ${radius} moving up to ${maxSpeed} px per frame needs frames of at least ${2 * radius + maxSpeed} px a side, got ${clip.height}×${clip.width}`
		);
	}
	const diameter = Math.ceil(2 * radius);
	checkFit(WHERE, maxBalls, diameter * diameter, `balls of radius ${radius}`, clip.height, clip.width);
	checkDotsFit(WHERE, clip.distractors, clip.height, clip.width);
	return { ...clip, horizon, contextFrames: clip.frames - horizon, minBalls, maxBalls, radius, supersample, maxSpeed };
}

/** Draw the balls as they are at frame `t` into frame `frame` of a `[T′, H, W]` buffer. */
function drawBalls(options: ResolvedGenerationOptions, truth: GenerationTruth, t: number, out: Float32Array, frame: number): void {
	const view = frameView(out, frame, options.height, options.width);
	truth.balls.forEach((ball, i) => drawDisc(view, ball.x[t], ball.y[t], options.radius, truth.intensities[i], options.supersample));
}

/** Draw one example from its seed into `out` (a zeroed `[T, H, W]` buffer). */
export function drawGenerationExample(options: ResolvedGenerationOptions, seed: number, out: Float32Array): GenerationTruth {
	const { frames, height, width, radius: r } = options;
	const rng = streamRng(seed, BALL_STREAM);
	const count = rng.int(options.minBalls, options.maxBalls + 1);
	const truth: GenerationTruth = { balls: [], intensities: [] };
	for (let i = 0; i < count; i++) {
		truth.balls.push(randomBounce(rng, { xMin: r, xMax: width - r, yMin: r, yMax: height - r }, MIN_SPEED, options.maxSpeed, frames));
		truth.intensities.push(randomIntensity(rng));
	}
	drawDots(out, randomDots(streamRng(seed, DISTRACTOR_STREAM), options.distractors, frames, height, width), frames, height, width);
	for (let t = 0; t < frames; t++) drawBalls(options, truth, t, out, t);
	addPixelNoise(out, options.noise, streamRng(seed, NOISE_STREAM));
	return truth;
}

/**
 * Each ball's centre per frame, `[T][ball] = [x, y]`, as plain arrays.
 *
 * @example
 * ballPositions(truth)[0]; // [[8.3, 4.1], [2.9, 11.0]] for a clip with two balls
 */
export function ballPositions(truth: GenerationTruth): [number, number][][] {
	const frames = truth.balls[0]?.x.length ?? 0;
	return Array.from({ length: frames }, (_, t) => truth.balls.map((b): [number, number] => [b.x[t], b.y[t]]));
}

/**
 * One clip and its truth, outside any dataset.
 *
 * @example
 * const { clip, truth } = generationExample(resolveGenerationOptions({ maxBalls: 1 }), 5);
 */
export function generationExample(options: ResolvedGenerationOptions, seed: number): { clip: Clip; truth: GenerationTruth } {
	const data = new Float32Array(options.frames * options.height * options.width);
	const truth = drawGenerationExample(options, seed, data);
	return { clip: { data, shape: [options.frames, options.height, options.width] }, truth };
}

function cleanTargets(
	options: ResolvedGenerationOptions,
	split: VideoSplit<GenerationTruth, GenerationBatch>,
	indices: readonly number[]
): Float32Array {
	const { frames, horizon } = options;
	const out = new Float32Array(indices.length * horizon * options.height * options.width);
	indices.forEach((i, b) => {
		for (let k = 0; k < horizon; k++) drawBalls(options, split.truth[i], frames - horizon + k, out, b * horizon + k);
	});
	return out;
}

/**
 * A seeded next-frame-prediction dataset with train and validation splits.
 *
 * @example
 * const ds = makeGenerationDataset({ seed: 1, trainSize: 512, horizon: 2 });
 * const { context, targets } = ds.train.getBatch([0, 1]); // [2, T − 2, H, W] and [2, 2, H, W]
 */
export function makeGenerationDataset(options: GenerationOptions = {}): GenerationDataset {
	const resolved = { ...resolveGenerationOptions(options), ...resolveSplitOptions(WHERE, options) };
	const { frames, height, width, horizon, contextFrames } = resolved;
	return makeSplits(
		resolved,
		[frames, height, width],
		(seed, out) => drawGenerationExample(resolved, seed, out),
		(split, indices) => {
			const b = indices.length;
			return {
				clips: tensor(split.gatherFrames(indices), { shape: [b, frames, height, width] }),
				context: tensor(split.gatherFrames(indices, 0, contextFrames), { shape: [b, contextFrames, height, width] }),
				targets: tensor(split.gatherFrames(indices, contextFrames, frames), { shape: [b, horizon, height, width] }),
				cleanTargets: tensor(cleanTargets(resolved, split, indices), { shape: [b, horizon, height, width] })
			};
		}
	);
}
