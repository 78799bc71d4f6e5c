import { describe, expect, test } from 'vitest';
import { ballPositions, clipChecksum, generationExample, makeGenerationDataset, resolveGenerationOptions } from '$lib/tasks/video';

describe('generation clips', () => {
	test('follow constant-velocity physics with elastic wall bounces, staying in the frame', () => {
		const { train, options } = makeGenerationDataset({ trainSize: 300, valSize: 0, frames: 24, maxSpeed: 2.5 });
		const { width, height, radius: r } = options;
		const problems: string[] = [];
		let bounces = 0;
		train.truth.forEach(({ balls }, i) => {
			for (const ball of balls) {
				for (const [pos, vel, hi] of [
					[ball.x, ball.vx, width - r],
					[ball.y, ball.vy, height - r]
				] as const) {
					for (let t = 0; t < pos.length; t++) {
						if (pos[t] < r || pos[t] > hi) problems.push(`clip ${i} frame ${t}: ball outside the frame`);
						if (t === 0) continue;
						const free = pos[t - 1] + vel[t - 1];
						if (vel[t] === vel[t - 1]) {
							if (pos[t] !== free) problems.push(`clip ${i} frame ${t}: moved ${pos[t] - pos[t - 1]} at velocity ${vel[t - 1]}`);
						} else {
							bounces++;
							const wall = free < r ? r : hi;
							if (vel[t] !== -vel[t - 1]) problems.push(`clip ${i} frame ${t}: bounce changed the speed`);
							if (pos[t] !== 2 * wall - free) problems.push(`clip ${i} frame ${t}: bounce did not reflect off the wall`);
						}
					}
				}
			}
		});
		expect(problems).toEqual([]);
		expect(bounces).toBeGreaterThan(300);
	});

	test('hold between minBalls and maxBalls balls, each count appearing', () => {
		const { train } = makeGenerationDataset({ trainSize: 300, valSize: 0, minBalls: 1, maxBalls: 3 });
		const counts = new Set(train.truth.map((truth) => truth.balls.length));
		expect([...counts].sort()).toEqual([1, 2, 3]);
	});

	test('draw each ball fully over the pixel holding its centre', () => {
		const options = resolveGenerationOptions({ maxBalls: 1 });
		for (let seed = 0; seed < 50; seed++) {
			const { clip, truth } = generationExample(options, seed);
			ballPositions(truth).forEach(([[x, y]], t) => {
				expect(clip.data[(t * options.height + Math.floor(y)) * options.width + Math.floor(x)]).toBe(Math.fround(truth.intensities[0]));
			});
		}
	});

	test('anti-alias edges when supersampled and not when crisp', () => {
		const levels = (supersample: number) => {
			const { clip, truth } = generationExample(resolveGenerationOptions({ maxBalls: 1, supersample }), 1);
			const full = Math.fround(truth.intensities[0]);
			return clip.data.filter((v) => v !== 0 && v !== full).length;
		};
		expect(levels(1)).toBe(0);
		expect(levels(4)).toBeGreaterThan(0);
	});

	test('give positions per frame as [T][ball][x, y]', () => {
		const { truth } = generationExample(resolveGenerationOptions({ minBalls: 2, maxBalls: 2, frames: 5 }), 3);
		const positions = ballPositions(truth);
		expect(positions.length).toBe(5);
		expect(positions[4]).toEqual([
			[truth.balls[0].x[4], truth.balls[0].y[4]],
			[truth.balls[1].x[4], truth.balls[1].y[4]]
		]);
	});

	test('split each clip into context and targets at T − horizon', () => {
		const ds = makeGenerationDataset({ trainSize: 4, valSize: 0, frames: 10, horizon: 3, noise: 0.1, distractors: 2 });
		const { clips, context, targets, cleanTargets } = ds.train.getBatch([3, 1]);
		expect(ds.options.contextFrames).toBe(7);
		expect(clips.shape).toEqual([2, 10, 16, 16]);
		expect(context.shape).toEqual([2, 7, 16, 16]);
		expect(targets.shape).toEqual([2, 3, 16, 16]);
		expect(cleanTargets.shape).toEqual([2, 3, 16, 16]);
		const frame = 16 * 16;
		expect(context.data.subarray(0, 7 * frame)).toEqual(ds.train.clip(3).data.subarray(0, 7 * frame));
		expect(targets.data.subarray(3 * frame, 6 * frame)).toEqual(ds.train.clip(1).data.subarray(7 * frame));
		expect(cleanTargets.data).not.toEqual(targets.data);
	});

	test('give clean targets equal to the clip frames when there is no noise and no distractor', () => {
		const ds = makeGenerationDataset({ trainSize: 8, valSize: 0, noise: 0, distractors: 0 });
		const { targets, cleanTargets } = ds.train.getBatch([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(clipChecksum(cleanTargets.data as Float32Array)).toBe(clipChecksum(targets.data as Float32Array));
	});

	test('keep the balls where they were when noise and distractors are added', () => {
		const plain = generationExample(resolveGenerationOptions(), 9);
		const busy = generationExample(resolveGenerationOptions({ noise: 0.2, distractors: 4 }), 9);
		expect(busy.truth).toEqual(plain.truth);
		expect(clipChecksum(busy.clip.data)).not.toBe(clipChecksum(plain.clip.data));
	});
});

describe('generation options', () => {
	test.each([
		[{ horizon: 8 }, 'generation: horizon must be an integer in [1, 7], got 8'],
		[{ horizon: 0 }, 'generation: horizon must be an integer in [1, 7], got 0'],
		[{ frames: 1 }, 'generation: frames must be an integer ≥ 2, got 1'],
		[{ minBalls: 0 }, 'generation: minBalls must be an integer ≥ 1, got 0'],
		[{ minBalls: 3, maxBalls: 2 }, 'generation: maxBalls must be an integer ≥ 3, got 2'],
		[{ maxBalls: 9 }, 'generation: 9 balls of radius 2 would cover more than half of a 16×16 frame; use at most 8'],
		[{ radius: 0.5 }, 'generation: radius must be a finite number ≥ 1, got 0.5'],
		[{ radius: 8 }, 'generation: a ball of radius 8 moving up to 1.5 px per frame needs frames of at least 17.5 px a side, got 16×16'],
		[{ supersample: 0 }, 'generation: supersample must be an integer in [1, 8], got 0'],
		[{ maxSpeed: 0.1 }, 'generation: maxSpeed must be a finite number ≥ 0.5, got 0.1']
	])('rejects %j', (options, message) => {
		expect(() => resolveGenerationOptions(options as never)).toThrow(message);
	});
});
