import { describe, expect, test } from 'vitest';
import {
	SHAPE_NAMES,
	classificationExample,
	clipChecksum,
	keyFrameMask,
	makeClassificationDataset,
	resolveClassificationOptions,
	shapeMask,
	type Clip,
	type ShapeName
} from '$lib/tasks/video';

/** The clip with its key frames zeroed, as a checksum. */
function withoutKeyFrames(clip: Clip, keyFrames: number[]): string {
	const [frames, height, width] = clip.shape;
	const data = clip.data.slice();
	for (let t = 0; t < frames; t++) if (keyFrames[t]) data.fill(0, t * height * width, (t + 1) * height * width);
	return clipChecksum(data);
}

/**
 * Normalised cross-correlation of each shape, with a one-pixel empty border, against every window
 * of every key frame; the best-scoring shape is the prediction. Knows nothing of where the shape is.
 */
function templateMatch(clip: Clip, keyFrames: number[], shapes: readonly ShapeName[], size: number): number {
	const [frames, height, width] = clip.shape;
	const side = size + 2;
	const n = side * side;
	const templates = shapes.map((name) => {
		const mask = shapeMask(name, size);
		const padded = Float64Array.from({ length: n }, (_, i) => {
			const x = (i % side) - 1;
			const y = Math.floor(i / side) - 1;
			return x >= 0 && y >= 0 && x < size && y < size ? mask[y * size + x] : 0;
		});
		const mean = padded.reduce((s, v) => s + v, 0) / n;
		const centred = padded.map((v) => v - mean);
		const norm = Math.sqrt(centred.reduce((s, v) => s + v * v, 0));
		return centred.map((v) => v / norm);
	});
	let best = -Infinity;
	let label = -1;
	for (let t = 0; t < frames; t++) {
		if (!keyFrames[t]) continue;
		for (let y0 = 0; y0 + side <= height; y0++) {
			for (let x0 = 0; x0 + side <= width; x0++) {
				const window = Float64Array.from(
					{ length: n },
					(_, i) => clip.data[(t * height + y0 + Math.floor(i / side)) * width + x0 + (i % side)]
				);
				const mean = window.reduce((s, v) => s + v, 0) / n;
				const spread = Math.sqrt(window.reduce((s, v) => s + (v - mean) * (v - mean), 0));
				if (spread === 0) continue;
				templates.forEach((tpl, k) => {
					const score = tpl.reduce((s, v, i) => s + v * window[i], 0) / spread;
					if (score > best) [best, label] = [score, k];
				});
			}
		}
	}
	return label;
}

describe('shapes', () => {
	test('draws a plus as the middle row and column', () => {
		expect([...shapeMask('plus', 5)]).toEqual([0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
	});

	test.each([5, 7, 9])('gives every shape a different mask at size %i, none as small as a 2×2 dot', (size) => {
		const masks = SHAPE_NAMES.map((name) => shapeMask(name, size).join(''));
		expect(new Set(masks).size).toBe(SHAPE_NAMES.length);
		for (const name of SHAPE_NAMES) expect(shapeMask(name, size).reduce((s, v) => s + v, 0)).toBeGreaterThan(4);
	});
});

describe('classification clips', () => {
	const options = resolveClassificationOptions({ shapes: SHAPE_NAMES, noise: 0.1, distractors: 4 });

	test('are byte-identical outside the key frames whatever the class', () => {
		for (let seed = 0; seed < 100; seed++) {
			const versions = SHAPE_NAMES.map((_, label) => classificationExample(options, seed, label));
			const { keyFrames } = versions[0].truth;
			for (const { clip, truth } of versions) {
				expect(truth.keyFrames).toEqual(keyFrames);
				expect(withoutKeyFrames(clip, keyFrames)).toBe(withoutKeyFrames(versions[0].clip, keyFrames));
			}
			expect(new Set(versions.map(({ clip }) => clipChecksum(clip.data))).size).toBe(SHAPE_NAMES.length);
		}
	});

	test('give away the class to a template match on the key frames in at least 99% of clips', () => {
		const { val, options: o } = makeClassificationDataset({ shapes: SHAPE_NAMES, noise: 0.1, distractors: 4, trainSize: 0, valSize: 400 });
		let correct = 0;
		for (let i = 0; i < val.size; i++) {
			if (templateMatch(val.clip(i), val.truth[i].keyFrames, o.shapes, o.shapeSize) === val.truth[i].label) correct++;
		}
		expect(correct / val.size).toBeGreaterThanOrEqual(0.99);
		// 400 clips matched against every template: about a second alone, several on a loaded machine.
	}, 30_000);

	test('flash the shape for 1 to 3 consecutive frames inside its box, over a cleared border', () => {
		const { train, options: o } = makeClassificationDataset({ trainSize: 200, valSize: 0, noise: 0 });
		const [frames, height, width] = [o.frames, o.height, o.width];
		const lengths = new Set<number>();
		let wrong = 0;
		for (let i = 0; i < train.size; i++) {
			const { keyFrames, box, shape, intensity } = train.truth[i];
			const start = keyFrames.indexOf(1);
			const length = keyFrames.reduce((s, v) => s + v, 0);
			lengths.add(length);
			expect(keyFrames).toEqual(keyFrameMask(frames, start, length));
			const [x0, y0, x1, y1] = box;
			expect(x0 >= 1 && y0 >= 1 && x1 <= width - 1 && y1 <= height - 1).toBe(true);
			const mask = shapeMask(shape, o.shapeSize);
			const clip = train.clip(i).data;
			for (let t = start; t < start + length; t++) {
				for (let y = y0 - 1; y <= y1; y++) {
					for (let x = x0 - 1; x <= x1; x++) {
						const inside = x >= x0 && x < x1 && y >= y0 && y < y1 && mask[(y - y0) * o.shapeSize + (x - x0)] === 1;
						if (clip[(t * height + y) * width + x] !== (inside ? Math.fround(intensity) : 0)) wrong++;
					}
				}
			}
		}
		expect(wrong).toBe(0);
		expect([...lengths].sort()).toEqual([1, 2, 3]);
	});

	test('use every class about equally often', () => {
		const { train } = makeClassificationDataset({ trainSize: 800, valSize: 0, distractors: 0, noise: 0 });
		const counts = [0, 0, 0, 0];
		for (const { label } of train.truth) counts[label]++;
		for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(50);
	});

	test('batch labels and key frames as tensors matching the truth', () => {
		const ds = makeClassificationDataset({ trainSize: 6, valSize: 0, frames: 10 });
		const { clips, labels, keyFrames } = ds.train.getBatch([4, 1]);
		expect(clips.shape).toEqual([2, 10, 16, 16]);
		expect([...labels.data]).toEqual([ds.train.truth[4].label, ds.train.truth[1].label]);
		expect(keyFrames.shape).toEqual([2, 10]);
		expect([...keyFrames.data]).toEqual([...ds.train.truth[4].keyFrames, ...ds.train.truth[1].keyFrames]);
	});
});

describe('classification options', () => {
	test.each([
		[{ shapes: ['square'] }, 'classification: shapes must list at least 2 different shapes, each once; got [square]'],
		[{ shapes: ['square', 'square'] }, 'classification: shapes must list at least 2 different shapes, each once; got [square, square]'],
		[{ shapes: ['square', 'star'] }, "classification: unknown shape 'star'"],
		[{ shapeSize: 6 }, 'classification: shapeSize must be odd, so the shapes have a centre pixel; got 6'],
		[{ shapeSize: 3 }, 'classification: shapeSize must be an integer ≥ 5, got 3'],
		[{ shapeSize: 15 }, 'classification: a 15×15 shape with its 1-pixel border needs 17×17 pixels, more than a 16×16 frame'],
		[{ maxEventFrames: 9 }, 'classification: maxEventFrames must be an integer in [1, 8], got 9'],
		[{ minEventFrames: 3, maxEventFrames: 2 }, 'classification: maxEventFrames must be an integer in [3, 8], got 2'],
		[{ distractors: 33 }, 'classification: 33 distractor dots of 2×2 px would cover more than half of a 16×16 frame; use at most 32']
	])('rejects %j', (options, message) => {
		expect(() => resolveClassificationOptions(options as never)).toThrow(message);
	});

	test('keyFrameMask marks frames [start, start + length)', () => {
		expect(keyFrameMask(6, 2, 2)).toEqual([0, 0, 1, 1, 0, 0]);
	});
});
