import { Rng, ValueError } from '../../engine/index';
import type { Clip } from './clip';
import type { ResolvedSplitOptions } from './options';

export type SplitName = 'train' | 'val';

const SPLIT_SALT: Record<SplitName, number> = { train: 1, val: 2 };

/** murmur3's finaliser: a bijection on 32-bit words that spreads every input bit over the output. */
function fmix32(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}

/**
 * A 32-bit seed for one stream, hashed from non-negative integers (dataset seed, split, example
 * index, stream). Hashing instead of drawing seeds in sequence gives random access: example i of
 * a split is the same whatever the split's size, and the same in a Worker that makes only it.
 */
export function streamSeed(...parts: number[]): number {
	let h = 0x9e3779b9;
	for (const p of parts) {
		h = fmix32(h ^ (p >>> 0));
		h = fmix32(h ^ (Math.floor(p / 2 ** 32) >>> 0));
	}
	return h;
}

/** The seed of example `index` of a split. */
export function exampleSeed(seed: number, split: SplitName, index: number): number {
	return streamSeed(seed, SPLIT_SALT[split], index);
}

/** An independent generator for one aspect (scene, distractors, noise…) of one example, so changing one knob leaves the others' draws alone. */
export function streamRng(example: number, stream: number): Rng {
	return new Rng(streamSeed(example, stream));
}

/**
 * One split of a dataset: every clip in one buffer, `[size, T, H, W]` row-major, with its ground truth.
 *
 * @example
 * const { train } = makeClassificationDataset({ trainSize: 32 });
 * const { clips, labels } = train.getBatch([0, 1, 2, 3]); // clips [4, T, H, W], labels [4]
 */
export class VideoSplit<Truth, Batch> {
	readonly size: number;

	constructor(
		readonly name: SplitName,
		/** `[T, H, W]` of every clip. */
		readonly clipShape: readonly [number, number, number],
		/** All clips, `[size, T, H, W]` row-major. */
		readonly data: Float32Array,
		readonly truth: readonly Truth[],
		private readonly batcher: (split: VideoSplit<Truth, Batch>, indices: readonly number[]) => Batch
	) {
		this.size = truth.length;
	}

	/** Clip `i` as a view into the split's buffer (no copy). */
	clip(i: number): Clip {
		this.checkIndex('clip', i);
		const n = this.clipShape[0] * this.clipShape[1] * this.clipShape[2];
		return { data: this.data.subarray(i * n, (i + 1) * n), shape: this.clipShape };
	}

	/** Tensors for the examples at `indices`, in that order (repeats allowed). See each task for the batch's fields. */
	getBatch(indices: readonly number[]): Batch {
		if (indices.length === 0) throw new ValueError(`getBatch: indices must name at least one example of the ${this.name} split`);
		for (const i of indices) this.checkIndex('getBatch', i);
		return this.batcher(this, indices);
	}

	/** Frames [from, to) of each clip at `indices`, copied into one `[B, to − from, H, W]` buffer. */
	gatherFrames(indices: readonly number[], from = 0, to = this.clipShape[0]): Float32Array {
		const [frames, height, width] = this.clipShape;
		const chunk = (to - from) * height * width;
		const out = new Float32Array(indices.length * chunk);
		indices.forEach((i, b) => {
			const start = (i * frames + from) * height * width;
			out.set(this.data.subarray(start, start + chunk), b * chunk);
		});
		return out;
	}

	private checkIndex(where: string, i: number): void {
		if (!Number.isInteger(i) || i < 0 || i >= this.size) {
			throw new ValueError(`${where}: index ${i} is not an example of the ${this.name} split (size ${this.size})`);
		}
	}
}

/** A dataset: its resolved options and its two splits. */
export interface VideoDataset<Options, Truth, Batch> {
	readonly options: Options & ResolvedSplitOptions;
	readonly train: VideoSplit<Truth, Batch>;
	readonly val: VideoSplit<Truth, Batch>;
}

/**
 * Generate both splits: `generate(seed, out)` draws one example from its seed into the clip
 * buffer `out` (zeroed, `[T, H, W]`) and returns its ground truth.
 */
export function makeSplits<Options, Truth, Batch>(
	options: Options & ResolvedSplitOptions,
	clipShape: readonly [number, number, number],
	generate: (seed: number, out: Float32Array) => Truth,
	batcher: (split: VideoSplit<Truth, Batch>, indices: readonly number[]) => Batch
): VideoDataset<Options, Truth, Batch> {
	const n = clipShape[0] * clipShape[1] * clipShape[2];
	const make = (name: SplitName, size: number) => {
		const data = new Float32Array(size * n);
		const truth: Truth[] = [];
		for (let i = 0; i < size; i++) truth.push(generate(exampleSeed(options.seed, name, i), data.subarray(i * n, (i + 1) * n)));
		return new VideoSplit(name, clipShape, data, truth, batcher);
	};
	return { options, train: make('train', options.trainSize), val: make('val', options.valSize) };
}
