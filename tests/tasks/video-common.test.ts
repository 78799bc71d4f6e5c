import { describe, expect, test } from 'vitest';
import { Rng, ValueError } from '$lib/engine';
import {
	addPixelNoise,
	bounce,
	clipChecksum,
	clipFrame,
	makeClassificationDataset,
	makeGenerationDataset,
	makeTrackingDataset,
	normalizeBox,
	normalTable
} from '$lib/tasks/video';

describe('clipChecksum', () => {
	test('is FNV-1a over the bytes of the float32 values, lowest byte first', () => {
		expect(clipChecksum(new Float32Array(0))).toBe('811c9dc5');
		expect(clipChecksum(new Float32Array([0, 0.5, 1]))).toBe('ceac7a65');
		const bytes = new Uint8Array(new Float32Array([0.5, -2]).buffer);
		let h = 0x811c9dc5;
		for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
		expect(clipChecksum(new Float32Array([0.5, -2]))).toBe((h >>> 0).toString(16).padStart(8, '0'));
	});

	test('reads a view at an offset the same as a copy of it', () => {
		const whole = Float32Array.from({ length: 64 }, (_, i) => i / 64);
		expect(clipChecksum(whole.subarray(16, 32))).toBe(clipChecksum(whole.slice(16, 32)));
		expect(clipChecksum(whole.subarray(16, 32))).not.toBe(clipChecksum(whole.slice(17, 33)));
	});
});

describe('pixel noise', () => {
	const table = normalTable();

	test('the quantile table is sorted, exactly symmetric, and has unit variance', () => {
		expect(table.every((z, k) => k === 0 || z > table[k - 1])).toBe(true);
		expect(table.every((z, k) => z === -table[table.length - 1 - k])).toBe(true);
		expect(table.reduce((s, z) => s + z * z, 0) / table.length).toBeCloseTo(1, 12);
	});

	test('the quantile table puts the standard normal mass within 1σ and 1.96σ', () => {
		const within = (z: number) => table.filter((v) => Math.abs(v) < z).length / table.length;
		expect(within(1)).toBeCloseTo(0.682689, 3);
		expect(within(1.959964)).toBeCloseTo(0.95, 3);
	});

	test('addPixelNoise adds zero-mean noise of the requested standard deviation', () => {
		const data = new Float32Array(200001).fill(0.5);
		addPixelNoise(data, 0.05, new Rng(1));
		const mean = data.reduce((s, v) => s + v, 0) / data.length;
		const std = Math.sqrt(data.reduce((s, v) => s + (v - mean) ** 2, 0) / data.length);
		expect(mean).toBeCloseTo(0.5, 3);
		expect(std).toBeCloseTo(0.05, 3);
	});

	test('addPixelNoise clamps to [0, 1]', () => {
		const data = new Float32Array(10000);
		addPixelNoise(data, 1, new Rng(2));
		expect(Math.min(...data)).toBe(0);
		expect(Math.max(...data)).toBe(1);
	});

	test('addPixelNoise with std 0 changes nothing and draws nothing', () => {
		const rng = new Rng(3);
		const data = new Float32Array([0.25, 0.75]);
		addPixelNoise(data, 0, rng);
		expect([...data]).toEqual([0.25, 0.75]);
		expect(rng.getState()).toEqual(new Rng(3).getState());
	});
});

describe('bounce', () => {
	test('moves at constant velocity, touches a wall without bouncing, and reflects past it with the velocity flipped', () => {
		const path = bounce(1, 1, 2, -1, { xMin: 0, xMax: 10, yMin: 0, yMax: 10 }, 8);
		expect(path.x).toEqual([1, 3, 5, 7, 9, 9, 7, 5]);
		expect(path.vx).toEqual([2, 2, 2, 2, 2, -2, -2, -2]);
		expect(path.y).toEqual([1, 0, 1, 2, 3, 4, 5, 6]);
		expect(path.vy).toEqual([-1, -1, 1, 1, 1, 1, 1, 1]);
	});
});

test('normalizeBox divides x by the width and y by the height', () => {
	expect(normalizeBox([4, 2, 10, 8], 16, 32)).toEqual([0.25, 0.0625, 0.625, 0.25]);
});

const makers = [
	['classification', makeClassificationDataset],
	['tracking', makeTrackingDataset],
	['generation', makeGenerationDataset]
] as const;

describe.each(makers)('%s options', (name, make) => {
	test.each([
		[{ frames: 0 }, `${name}: frames must be an integer ≥ `],
		[{ height: 2.5 }, `${name}: height must be an integer ≥ 1, got 2.5`],
		[{ width: -16 }, `${name}: width must be an integer ≥ 1, got -16`],
		[{ noise: 1.5 }, `${name}: noise must be a finite number in [0, 1], got 1.5`],
		[{ noise: -0.1 }, `${name}: noise must be a finite number in [0, 1], got -0.1`],
		[{ noise: NaN }, `${name}: noise must be a finite number in [0, 1], got NaN`],
		[{ distractors: -1 }, `${name}: distractors must be an integer ≥ 0, got -1`],
		[{ distractors: 200 }, `${name}: 200 distractor`],
		[{ seed: 0.5 }, `${name}: seed must be an integer ≥ 0, got 0.5`],
		[{ trainSize: -1 }, `${name}: trainSize must be an integer ≥ 0, got -1`],
		[{ valSize: 1.5 }, `${name}: valSize must be an integer ≥ 0, got 1.5`],
		[{ nosie: 0.1 }, `${name}: unknown option 'nosie'`],
		[{ height: 4, width: 4 }, `${name}: a `]
	])('rejects %j', (options, message) => {
		const run = () => make(options as never);
		expect(run).toThrow(ValueError);
		expect(run).toThrow(message);
	});

	test('treats an option given as undefined as its default', () => {
		const a = make({ trainSize: 2, valSize: 1, noise: undefined });
		const b = make({ trainSize: 2, valSize: 1 });
		expect(clipChecksum(a.train.data)).toBe(clipChecksum(b.train.data));
	});

	test('keeps the validation split unchanged when trainSize changes', () => {
		const small = make({ seed: 5, trainSize: 3, valSize: 4 });
		const large = make({ seed: 5, trainSize: 40, valSize: 4 });
		expect(clipChecksum(large.val.data)).toBe(clipChecksum(small.val.data));
		expect(clipChecksum(large.train.data.subarray(0, small.train.data.length))).toBe(clipChecksum(small.train.data));
	});

	test('draws train and validation clips from different streams', () => {
		const ds = make({ seed: 5, trainSize: 4, valSize: 4 });
		expect(clipChecksum(ds.train.data)).not.toBe(clipChecksum(ds.val.data));
	});

	test('keeps every pixel in [0, 1]', () => {
		const { train } = make({ trainSize: 16, valSize: 0, noise: 0.3 });
		expect(Math.min(...train.data)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...train.data)).toBeLessThanOrEqual(1);
	});

	test('getBatch returns clips [B, T, H, W] in the order asked, repeats allowed', () => {
		const ds = make({ trainSize: 4, valSize: 0, frames: 6, height: 12, width: 14 });
		const { clips } = ds.train.getBatch([2, 0, 2]);
		expect(clips.shape).toEqual([3, 6, 12, 14]);
		const per = 6 * 12 * 14;
		expect(clipChecksum(clips.data.subarray(0, per) as Float32Array)).toBe(clipChecksum(ds.train.clip(2).data));
		expect(clipChecksum(clips.data.subarray(per, 2 * per) as Float32Array)).toBe(clipChecksum(ds.train.clip(0).data));
		expect(clipFrame(ds.train.clip(1), 5)).toEqual(ds.train.data.subarray(per + 5 * 12 * 14, 2 * per));
	});

	test('getBatch rejects empty, out-of-range and fractional indices', () => {
		const { train } = make({ trainSize: 4, valSize: 0 });
		expect(() => train.getBatch([])).toThrow('getBatch: indices must name at least one example of the train split');
		expect(() => train.getBatch([0, 4])).toThrow('getBatch: index 4 is not an example of the train split (size 4)');
		expect(() => train.getBatch([1.5])).toThrow('getBatch: index 1.5 is not an example of the train split (size 4)');
		expect(() => train.clip(-1)).toThrow('clip: index -1 is not an example of the train split (size 4)');
	});
});
