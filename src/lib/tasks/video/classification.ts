import { ValueError, tensor, type Tensor } from '../../engine/index';
import { squareBox, type Box } from './box';
import type { Clip } from './clip';
import { makeSplits, streamRng, type VideoDataset } from './dataset';
import { checkDotsFit, drawDots, randomDots } from './dots';
import { addPixelNoise } from './noise';
import {
	CLIP_KEYS,
	SPLIT_KEYS,
	checkKeys,
	definedOnly,
	intOption,
	resolveClipOptions,
	resolveSplitOptions,
	type ClipOptions,
	type ResolvedClipOptions,
	type SplitOptions
} from './options';
import { drawMask, fillRect, frameView, randomIntensity } from './raster';
import { MIN_SHAPE_SIZE, SHAPE_NAMES, shapeMask, type ShapeName } from './shapes';

/**
 * Video classification where the answer lives in a few frames. One shape (the class) flashes,
 * standing still, for 1–3 consecutive frames at a random time and place; distractor dots wander
 * through every frame. Frames outside the flash are drawn from streams that never see the label,
 * so they carry no class information at all: a model must find the key frames, which is what
 * temporal attention is for.
 */
export interface ClassificationOptions extends ClipOptions, SplitOptions {
	/** The classes, in label order; at least two different shapes. */
	shapes?: readonly ShapeName[];
	/** Side of the shape's patch in pixels: odd, ≥ 5. */
	shapeSize?: number;
	/** Shortest and longest flash, in frames. */
	minEventFrames?: number;
	maxEventFrames?: number;
}

export interface ResolvedClassificationOptions extends ResolvedClipOptions {
	readonly shapes: readonly ShapeName[];
	readonly shapeSize: number;
	readonly minEventFrames: number;
	readonly maxEventFrames: number;
}

export interface ClassificationTruth {
	/** Index into `options.shapes`. */
	readonly label: number;
	readonly shape: ShapeName;
	/** 1 on the frames where the shape is visible (the key frames), else 0; length T. */
	readonly keyFrames: number[];
	/** The shape's patch in every key frame (see `Box` for the convention). */
	readonly box: Box;
	readonly intensity: number;
}

/** Clips [B, T, H, W]; labels [B] (class indices as floats, as `crossEntropy` takes them); keyFrames [B, T] (0/1). */
export interface ClassificationBatch {
	readonly clips: Tensor;
	readonly labels: Tensor;
	readonly keyFrames: Tensor;
}

export type ClassificationDataset = VideoDataset<ResolvedClassificationOptions, ClassificationTruth, ClassificationBatch>;

const WHERE = 'classification';
const DEFAULTS: ResolvedClipOptions = { frames: 8, height: 16, width: 16, noise: 0.05, distractors: 3 };
const DEFAULT_SHAPES: readonly ShapeName[] = ['square', 'plus', 'hbar', 'vbar'];
// Independent streams per example: overriding the label, or changing the distractor count or the noise, leaves every other draw as it was.
const LABEL_STREAM = 0;
const SCENE_STREAM = 1;
const DISTRACTOR_STREAM = 2;
const NOISE_STREAM = 3;
/** The patch is cleared one pixel beyond the shape, so a distractor never touches it and the shape's outline stays readable. */
const PAD = 1;

/** Fill in defaults and check every option, with a message naming the one at fault. */
export function resolveClassificationOptions(options: ClassificationOptions = {}): ResolvedClassificationOptions {
	checkKeys(WHERE, options, [...CLIP_KEYS, ...SPLIT_KEYS, 'shapes', 'shapeSize', 'minEventFrames', 'maxEventFrames']);
	const clip = resolveClipOptions(WHERE, options, DEFAULTS, 1);
	const o = { shapes: DEFAULT_SHAPES, shapeSize: 5, minEventFrames: 1, maxEventFrames: 3, ...definedOnly(options) };
	const shapes = [...o.shapes];
	const unknown = shapes.find((s) => !(SHAPE_NAMES as readonly string[]).includes(s));
	if (unknown !== undefined) throw new ValueError(`${WHERE}: unknown shape '${unknown}'; shapes are ${SHAPE_NAMES.join(', ')}`);
	if (shapes.length < 2 || new Set(shapes).size !== shapes.length) {
		throw new ValueError(`${WHERE}: shapes must list at least 2 different shapes, each once; got [${shapes.join(', ')}]`);
	}
	const shapeSize = intOption(WHERE, 'shapeSize', o.shapeSize, MIN_SHAPE_SIZE);
	if (shapeSize % 2 === 0) throw new ValueError(`${WHERE}: shapeSize must be odd, so the shapes have a centre pixel; got ${shapeSize}`);
	const patch = shapeSize + 2 * PAD;
	if (patch > Math.min(clip.height, clip.width)) {
		throw new ValueError(
			`${WHERE}: a ${shapeSize}×${shapeSize} shape with its ${PAD}-pixel border needs ${patch}×${patch} pixels, more than a ${clip.height}×${clip.width} frame`
		);
	}
	const minEventFrames = intOption(WHERE, 'minEventFrames', o.minEventFrames, 1, clip.frames);
	const maxEventFrames = intOption(WHERE, 'maxEventFrames', o.maxEventFrames, minEventFrames, clip.frames);
	checkDotsFit(WHERE, clip.distractors, clip.height, clip.width);
	return { ...clip, shapes, shapeSize, minEventFrames, maxEventFrames };
}

/**
 * 1 on frames [start, start + length) of a `frames`-long clip, else 0.
 *
 * @example
 * keyFrameMask(6, 2, 2); // [0, 0, 1, 1, 0, 0]
 */
export function keyFrameMask(frames: number, start: number, length: number): number[] {
	return Array.from({ length: frames }, (_, t) => (t >= start && t < start + length ? 1 : 0));
}

/**
 * Draw one example from its seed into `out` (a zeroed `[T, H, W]` buffer). Passing `label`
 * replaces the drawn class and nothing else, which is how the tests show that non-key frames
 * carry no class information.
 */
export function drawClassificationExample(
	options: ResolvedClassificationOptions,
	seed: number,
	out: Float32Array,
	label?: number
): ClassificationTruth {
	const { frames, height, width, shapes, shapeSize } = options;
	const drawn = streamRng(seed, LABEL_STREAM).int(0, shapes.length);
	const cls = label ?? drawn;
	if (!Number.isInteger(cls) || cls < 0 || cls >= shapes.length) {
		throw new ValueError(`${WHERE}: label must be a class index in [0, ${shapes.length}), got ${cls}`);
	}
	const scene = streamRng(seed, SCENE_STREAM);
	const length = scene.int(options.minEventFrames, options.maxEventFrames + 1);
	const start = scene.int(0, frames - length + 1);
	const x = scene.int(PAD, width - shapeSize - PAD + 1);
	const y = scene.int(PAD, height - shapeSize - PAD + 1);
	const intensity = randomIntensity(scene);

	drawDots(out, randomDots(streamRng(seed, DISTRACTOR_STREAM), options.distractors, frames, height, width), frames, height, width);
	const mask = shapeMask(shapes[cls], shapeSize);
	for (let t = start; t < start + length; t++) {
		const frame = frameView(out, t, height, width);
		fillRect(frame, x - PAD, y - PAD, shapeSize + 2 * PAD, shapeSize + 2 * PAD, 0);
		drawMask(frame, mask, shapeSize, x, y, intensity);
	}
	addPixelNoise(out, options.noise, streamRng(seed, NOISE_STREAM));
	return { label: cls, shape: shapes[cls], keyFrames: keyFrameMask(frames, start, length), box: squareBox(x, y, shapeSize), intensity };
}

/**
 * One clip and its truth, outside any dataset.
 *
 * @example
 * const { clip, truth } = classificationExample(resolveClassificationOptions(), 7);
 */
export function classificationExample(
	options: ResolvedClassificationOptions,
	seed: number,
	label?: number
): { clip: Clip; truth: ClassificationTruth } {
	const data = new Float32Array(options.frames * options.height * options.width);
	const truth = drawClassificationExample(options, seed, data, label);
	return { clip: { data, shape: [options.frames, options.height, options.width] }, truth };
}

/**
 * A seeded classification dataset with train and validation splits.
 *
 * @example
 * const ds = makeClassificationDataset({ seed: 1, trainSize: 512, valSize: 128, noise: 0.1 });
 * const { clips, labels, keyFrames } = ds.train.getBatch([0, 1, 2, 3]);
 */
export function makeClassificationDataset(options: ClassificationOptions = {}): ClassificationDataset {
	const resolved = { ...resolveClassificationOptions(options), ...resolveSplitOptions(WHERE, options) };
	const { frames, height, width } = resolved;
	return makeSplits(
		resolved,
		[frames, height, width],
		(seed, out) => drawClassificationExample(resolved, seed, out),
		(split, indices) => ({
			clips: tensor(split.gatherFrames(indices), { shape: [indices.length, frames, height, width] }),
			labels: tensor(Float32Array.from(indices, (i) => split.truth[i].label)),
			keyFrames: tensor(Float32Array.from(indices.flatMap((i) => split.truth[i].keyFrames)), { shape: [indices.length, frames] })
		})
	);
}
