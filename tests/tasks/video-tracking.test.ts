import { describe, expect, test } from 'vitest';
import { makeTrackingDataset, normalizeBox, resolveTrackingOptions, trackingExample, type Box } from '$lib/tasks/video';

const onBorder = ([x0, y0, x1, y1]: Box, x: number, y: number) =>
	x >= x0 && x < x1 && y >= y0 && y < y1 && (x === x0 || x === x1 - 1 || y === y0 || y === y1 - 1);

describe('tracking clips', () => {
	test('light exactly the border of the truth box when alone and noiseless', () => {
		const options = resolveTrackingOptions({ distractors: 0, noise: 0 });
		let wrong = 0;
		for (let seed = 0; seed < 50; seed++) {
			const { clip, truth } = trackingExample(options, seed);
			const [frames, height, width] = clip.shape;
			for (let t = 0; t < frames; t++) {
				for (let y = 0; y < height; y++) {
					for (let x = 0; x < width; x++) {
						if (clip.data[(t * height + y) * width + x] !== (onBorder(truth.boxes[t], x, y) ? Math.fround(truth.intensity) : 0)) wrong++;
					}
				}
			}
		}
		expect(wrong).toBe(0);
	});

	test('draw the ring over the distractors, so the box border is the target alone', () => {
		const options = resolveTrackingOptions({ distractors: 5, noise: 0 });
		let covered = 0;
		let wrong = 0;
		for (let seed = 0; seed < 50; seed++) {
			const { clip, truth } = trackingExample(options, seed);
			const alone = trackingExample({ ...options, distractors: 0 }, seed);
			const [frames, height, width] = clip.shape;
			expect(alone.truth.boxes).toEqual(truth.boxes);
			for (let t = 0; t < frames; t++) {
				for (let y = 0; y < height; y++) {
					for (let x = 0; x < width; x++) {
						const i = (t * height + y) * width + x;
						if (!onBorder(truth.boxes[t], x, y)) covered += clip.data[i] !== 0 ? 1 : 0;
						else if (clip.data[i] !== Math.fround(truth.intensity)) wrong++;
					}
				}
			}
		}
		expect(wrong).toBe(0);
		expect(covered).toBeGreaterThan(0);
	});

	test('keep the box inside the frame and the size fixed, bouncing off the walls', () => {
		const { train, options } = makeTrackingDataset({ trainSize: 200, valSize: 0, frames: 24, maxSpeed: 3 });
		let bounces = 0;
		const problems: string[] = [];
		train.truth.forEach(({ boxes, path }, i) => {
			boxes.forEach(([x0, y0, x1, y1], t) => {
				if (x0 < 0 || y0 < 0 || x1 > options.width || y1 > options.height) problems.push(`clip ${i} frame ${t}: box outside the frame`);
				if (x1 - x0 !== options.targetSize || y1 - y0 !== options.targetSize) problems.push(`clip ${i} frame ${t}: box size changed`);
				if (t === 0) return;
				if (path.vx[t] !== path.vx[t - 1]) {
					bounces++;
					if (path.vx[t] !== -path.vx[t - 1]) problems.push(`clip ${i} frame ${t}: bounce changed the speed`);
				}
				if (Math.abs(x0 - boxes[t - 1][0]) > Math.ceil(options.maxSpeed) + 1) problems.push(`clip ${i} frame ${t}: box jumped`);
			});
		});
		expect(problems).toEqual([]);
		expect(bounces).toBeGreaterThan(50);
	});

	test('batch boxes [B, T, 4] as the pixel boxes divided by the frame size', () => {
		const ds = makeTrackingDataset({ trainSize: 3, valSize: 0, frames: 5, height: 20, width: 24 });
		const { clips, boxes } = ds.train.getBatch([2, 0]);
		expect(clips.shape).toEqual([2, 5, 20, 24]);
		expect(boxes.shape).toEqual([2, 5, 4]);
		const expected = [2, 0].flatMap((i) => ds.train.truth[i].boxes.flatMap((b) => normalizeBox(b, 24, 20)));
		expect(boxes).toBeAllclose(Float32Array.from(expected), { atol: 0, rtol: 0 });
		expect(Math.min(...boxes.data)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...boxes.data)).toBeLessThanOrEqual(1);
	});
});

describe('tracking options', () => {
	test.each([
		[{ targetSize: 2 }, 'tracking: targetSize must be an integer ≥ 3, got 2'],
		[{ targetSize: 15 }, 'tracking: a 15-pixel target moving up to 1.5 px per frame needs frames of at least 16.5 px a side, got 16×16'],
		[{ maxSpeed: 0.2 }, 'tracking: maxSpeed must be a finite number ≥ 0.5, got 0.2'],
		[{ distractorRadius: 0.5 }, 'tracking: distractorRadius must be a finite number ≥ 1, got 0.5'],
		[{ distractorRadius: 8 }, 'tracking: a distractor disc of radius 8 moving up to 1.5 px per frame does not fit a 16×16 frame'],
		[{ distractors: 9 }, 'tracking: 9 distractor discs of radius 2 would cover more than half of a 16×16 frame; use at most 8']
	])('rejects %j', (options, message) => {
		expect(() => resolveTrackingOptions(options as never)).toThrow(message);
	});
});
