import { ValueError } from '../../engine/index';

/** Options every clip generator takes. */
export interface ClipOptions {
	/** Frames per clip, T. */
	frames?: number;
	/** Frame height in pixels, H. */
	height?: number;
	/** Frame width in pixels, W. */
	width?: number;
	/** Standard deviation of the gaussian noise added to every pixel (the result is clamped to [0, 1]); in [0, 1]. */
	noise?: number;
	/** How many distracting moving objects each clip contains. */
	distractors?: number;
}

/** How a dataset is split: examples come from independent seeded streams per split, so changing `trainSize` leaves validation alone. */
export interface SplitOptions {
	seed?: number;
	trainSize?: number;
	valSize?: number;
}

export type ResolvedClipOptions = Required<ClipOptions>;
export type ResolvedSplitOptions = Required<SplitOptions>;

export const SPLIT_KEYS = ['seed', 'trainSize', 'valSize'] as const;
export const CLIP_KEYS = ['frames', 'height', 'width', 'noise', 'distractors'] as const;

/** Reject option names the generator does not know, so a typo (`nosie`) fails loudly instead of silently using the default. */
export function checkKeys(where: string, options: object, known: readonly string[]): void {
	for (const key of Object.keys(options)) {
		if (!known.includes(key)) throw new ValueError(`${where}: unknown option '${key}'; known options are ${known.join(', ')}`);
	}
}

/** `value` as an integer in [min, max], or a ValueError naming the option. */
export function intOption(where: string, name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
		throw new ValueError(`${where}: ${name} must be an integer ${range}, got ${String(value)}`);
	}
	return value;
}

/** `value` as a finite number in [min, max], or a ValueError naming the option. */
export function numberOption(where: string, name: string, value: number, min: number, max = Infinity): number {
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
		throw new ValueError(`${where}: ${name} must be a finite number ${range}, got ${String(value)}`);
	}
	return value;
}

/** Fill in defaults and check the sizes and the noise level; each task checks `distractors` against what fits its frames. */
export function resolveClipOptions(
	where: string,
	options: ClipOptions,
	defaults: ResolvedClipOptions,
	minFrames: number
): ResolvedClipOptions {
	const o = { ...defaults, ...definedOnly(options) };
	return {
		frames: intOption(where, 'frames', o.frames, minFrames),
		height: intOption(where, 'height', o.height, 1),
		width: intOption(where, 'width', o.width, 1),
		noise: numberOption(where, 'noise', o.noise, 0, 1),
		distractors: intOption(where, 'distractors', o.distractors, 0)
	};
}

export function resolveSplitOptions(where: string, options: SplitOptions): ResolvedSplitOptions {
	const o = { seed: 0, trainSize: 256, valSize: 64, ...definedOnly(options) };
	return {
		seed: intOption(where, 'seed', o.seed, 0),
		trainSize: intOption(where, 'trainSize', o.trainSize, 0),
		valSize: intOption(where, 'valSize', o.valSize, 0)
	};
}

/**
 * Check that `count` objects of `area` pixels each cover at most half the frame, the point past
 * which distractors stop being distractions and become the whole picture.
 *
 * @example
 * checkFit('tracking', 3, 25, 'distractor discs of radius 2', 16, 16); // fine: 75 ≤ 128 pixels
 */
export function checkFit(where: string, count: number, area: number, what: string, height: number, width: number): void {
	const max = Math.floor((height * width) / (2 * area));
	if (count > max) {
		throw new ValueError(`${where}: ${count} ${what} would cover more than half of a ${height}×${width} frame; use at most ${max}`);
	}
}

/** `{ a: undefined }` means "use the default", as it would for a missing key. */
export function definedOnly<T extends object>(options: T): Partial<T> {
	return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
