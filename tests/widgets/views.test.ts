import { describe, expect, it } from 'vitest';
import { buildModel, buildPreviewData } from '../../src/lib/lab/build';
import { defaultConfig } from '../../src/lib/lab/config';
import { computePreview } from '../../src/lib/lab/preview';
import {
	boxToPixels,
	causalCells,
	causalMax,
	frameBars,
	frameMean,
	frameMse,
	frameRgba,
	inkOn,
	spatialCells,
	weightScale
} from '../../src/lib/widgets/views/mapping';
import { exportFileName } from '../../src/lib/viz/export/svg-export';

/** A [heads, T, T] array whose value names its cell: head·100 + query·10 + key, and nonzero above the diagonal too. */
function labelled(heads: number, T: number): Float32Array {
	const out = new Float32Array(heads * T * T);
	for (let h = 0; h < heads; h++) for (let q = 0; q < T; q++) for (let k = 0; k < T; k++) out[(h * T + q) * T + k] = h * 100 + q * 10 + k;
	return out;
}

describe('causalCells', () => {
	it('maps each cell to (query row, key column) of the chosen head', () => {
		const cells = causalCells(labelled(3, 4), 3, 4, 2, 400);
		expect(cells).toHaveLength(16);
		for (const c of cells) {
			expect(cells.indexOf(c)).toBe(c.query * 4 + c.key);
			if (!c.masked) expect(c.weight).toBe(200 + c.query * 10 + c.key);
		}
	});

	it('masks exactly the cells with key > query and gives them no weight and no colour, whatever the array holds', () => {
		const T = 6;
		const cells = causalCells(labelled(2, T), 2, T, 1, 200);
		const masked = cells.filter((c) => c.masked);
		expect(masked).toHaveLength((T * (T - 1)) / 2);
		for (const c of cells) {
			expect(c.masked).toBe(c.key > c.query);
			if (c.masked) {
				expect(c.fill).toBeNull();
				expect(c.weight).toBeNull();
			} else expect(c.fill).toMatch(/^#[0-9a-f]{6}$/);
		}
	});

	it('colours a real model’s matrix on one scale and refuses a head that does not exist', () => {
		const config = defaultConfig('generation');
		const p = computePreview(config, buildModel(config), buildPreviewData(config), 0);
		if (p.task !== 'generation' || !p.attention) throw new Error('no attention');
		const T = p.contextFrames;
		const max = causalMax(p.attention, p.heads, T);
		expect(max).toBeLessThanOrEqual(1);
		const cells = causalCells(p.attention, p.heads, T, 0, max);
		// Query 0 can only look at itself.
		expect(cells[0]).toMatchObject({ query: 0, key: 0, masked: false });
		expect(cells[0].weight).toBeCloseTo(1, 5);
		expect(() => causalCells(p.attention!, p.heads, T, p.heads)).toThrow(/head 4 does not exist; there are 4/);
		expect(() => causalCells(p.attention!, p.heads, T + 1, 0)).toThrow(/expected/);
	});
});

describe('frameBars', () => {
	it('gives one bar per frame, summing to 1 for a classifier, with the key frames marked at their indices', () => {
		const config = defaultConfig('classification');
		const p = computePreview(config, buildModel(config), buildPreviewData(config), 4);
		if (p.task !== 'classification') throw new Error('wrong task');
		const bars = frameBars(p.frameWeights, p.keyFrames);
		expect(bars.map((b) => b.frame)).toEqual([...Array(p.clip.frames).keys()]);
		expect(bars.reduce((s, b) => s + b.weight, 0)).toBeCloseTo(1, 5);
		expect(bars.filter((b) => b.key).map((b) => b.frame)).toEqual(p.keyFrames);
	});

	it('marks the given key frames and no others', () => {
		const bars = frameBars([0.1, 0.2, 0.6, 0.1], [2]);
		expect(bars.map((b) => b.key)).toEqual([false, false, true, false]);
		expect(bars[2]).toEqual({ frame: 2, weight: 0.6, key: true });
	});
});

describe('spatialCells and boxToPixels', () => {
	it('reads a [T, h, w] map at [t, y, x]', () => {
		const [T, h, w] = [3, 2, 4];
		const map = Float32Array.from({ length: T * h * w }, (_, i) => i);
		const cells = spatialCells(map, 2, h, w);
		expect(cells).toHaveLength(h * w);
		for (const c of cells) expect(c.value).toBe((2 * h + c.row) * w + c.col);
		expect(cells.find((c) => c.row === 1 && c.col === 3)?.value).toBe(23);
	});

	it('scales boxes from fractions of the frame to pixels, per frame', () => {
		const boxes = Float32Array.from([0, 0, 1, 1, 0.25, 0.5, 0.75, 1]);
		expect(boxToPixels(boxes, 0, 256, 128)).toEqual({ x: 0, y: 0, width: 256, height: 128 });
		expect(boxToPixels(boxes, 1, 16, 16)).toEqual({ x: 4, y: 8, width: 8, height: 8 });
		// A box turned inside out has no area rather than a negative one.
		expect(boxToPixels([0.6, 0.6, 0.4, 0.4], 0, 10, 10)).toMatchObject({ width: 0, height: 0 });
	});

	it('puts a tracker’s peak cell where the map peaks', () => {
		const config = defaultConfig('tracking');
		const p = computePreview(config, buildModel(config), buildPreviewData(config), 0);
		if (p.task !== 'tracking' || !p.attention) throw new Error('no attention');
		const [h, w] = p.featureSize;
		for (const t of [0, p.clip.frames - 1]) {
			const cells = spatialCells(p.attention, t, h, w);
			const best = cells.reduce((a, b) => (b.value > a.value ? b : a));
			const flat = p.attention.subarray(t * h * w, (t + 1) * h * w);
			expect(best.row * w + best.col).toBe(flat.indexOf(Math.max(...flat)));
		}
	});
});

describe('frames as pixels', () => {
	it('upscales a frame into hard-edged grey blocks, clamping values to [0, 1]', () => {
		// Two frames of 1×2: [0, 1] then [2, -1].
		const data = [0, 1, 2, -1];
		const rgba = frameRgba(data, 1, 2, 1, 2);
		expect(rgba).toHaveLength(2 * 4 * 4);
		const grey = (x: number, y: number) => rgba[4 * (y * 4 + x)];
		expect([grey(0, 0), grey(1, 1), grey(2, 0), grey(3, 1)]).toEqual([255, 255, 0, 0]);
		expect(rgba[3]).toBe(255);
	});

	it('measures a frame’s mean and its squared error against another', () => {
		const a = [0, 0, 1, 1];
		const b = [1, 1, 0, 1];
		expect(frameMean(a, 1, 2, 1)).toBe(1);
		expect(frameMse(a, 0, b, 1, 2)).toBeCloseTo(0.5);
	});
});

describe('colours and file names', () => {
	it('uses viridis from 0 to max, with readable ink on either end', () => {
		const colour = weightScale(0.5);
		expect(colour(0)).toBe('#440154');
		expect(colour(0.5)).toBe('#fde725');
		expect(inkOn(0.05, 0.5)).toBe('#ffffff');
		expect(inkOn(0.45, 0.5)).toBe('#111111');
		expect(weightScale(0)(0)).toBe('#440154');
	});

	it('names saved charts after their titles', () => {
		expect(exportFileName('Causal attention, head 1, clip 3', 'svg')).toBe('causal-attention-head-1-clip-3.svg');
		expect(exportFileName('—', 'png')).toBe('chart.png');
	});
});
