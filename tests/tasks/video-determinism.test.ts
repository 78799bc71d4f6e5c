import { describe, expect, test, vi } from 'vitest';
import { Rng } from '$lib/engine';
import { clipChecksum, makeClassificationDataset, makeGenerationDataset, makeTrackingDataset, normalTable } from '$lib/tasks/video';

const makers = {
	classification: makeClassificationDataset,
	tracking: makeTrackingDataset,
	generation: makeGenerationDataset
} as const;

/**
 * Checksums of small datasets in the default configuration plus noise and distractors, so every
 * drawing path runs. The generators use only Rng draws and exact arithmetic, so these hold in every
 * JavaScript engine; a change here means the data changed, and every trained result with it.
 */
const PINNED_OPTIONS = { seed: 0, trainSize: 4, valSize: 2, noise: 0.1, distractors: 2 };
const PINNED = {
	classification: { train: 'cc03d6ee', val: '647742e4' },
	tracking: { train: '71c9cb6a', val: '5bd8e2ac' },
	generation: { train: 'bfeaeef4', val: '76d2a3d0' }
} as const;

test('the noise quantile table has pinned bits', () => {
	// FNV-1a over every float64 written little-endian, so the pin does not depend on the platform's byte order.
	const table = normalTable();
	const bytes = new DataView(new ArrayBuffer(table.length * 8));
	table.forEach((z, k) => bytes.setFloat64(8 * k, z, true));
	let h = 0x811c9dc5;
	for (let i = 0; i < bytes.byteLength; i++) h = Math.imul(h ^ bytes.getUint8(i), 0x01000193);
	expect((h >>> 0).toString(16).padStart(8, '0')).toBe('58a3aea9');
});

describe.each(Object.entries(makers))('%s datasets', (name, make) => {
	test('are byte-identical for the same seed', () => {
		const a = make({ seed: 11, trainSize: 8, valSize: 4, noise: 0.1, distractors: 2 });
		const b = make({ seed: 11, trainSize: 8, valSize: 4, noise: 0.1, distractors: 2 });
		expect(clipChecksum(b.train.data)).toBe(clipChecksum(a.train.data));
		expect(clipChecksum(b.val.data)).toBe(clipChecksum(a.val.data));
		expect(b.train.truth).toEqual(a.train.truth);
	});

	test('differ for a different seed', () => {
		const a = make({ seed: 11, trainSize: 8, valSize: 4 });
		const b = make({ seed: 12, trainSize: 8, valSize: 4 });
		expect(clipChecksum(b.train.data)).not.toBe(clipChecksum(a.train.data));
		expect(clipChecksum(b.val.data)).not.toBe(clipChecksum(a.val.data));
	});

	test('match the pinned checksums of the default configuration', () => {
		const ds = make(PINNED_OPTIONS);
		expect({ train: clipChecksum(ds.train.data), val: clipChecksum(ds.val.data) }).toEqual(PINNED[name as keyof typeof PINNED]);
	});

	test('spend one 32-bit draw per two noisy pixels and never the slow Rng.normal', () => {
		// Noise dominates generation time; this pins the fast path without a wall-clock bound that a busy machine would break.
		const nextU32 = vi.spyOn(Rng.prototype, 'nextU32');
		const normal = vi.spyOn(Rng.prototype, 'normal');
		const ds = make({ trainSize: 10, valSize: 0, noise: 0.1, distractors: 3 });
		const pixels = ds.train.data.length;
		expect(normal).not.toHaveBeenCalled();
		expect(nextU32.mock.calls.length).toBeGreaterThanOrEqual(pixels / 2);
		expect(nextU32.mock.calls.length).toBeLessThan(pixels / 2 + 100 * ds.train.size);
		vi.restoreAllMocks();
	});
});
