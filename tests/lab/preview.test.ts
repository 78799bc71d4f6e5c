import { describe, expect, it } from 'vitest';
import { buildModel, buildPreviewData, PREVIEW_CLIPS } from '../../src/lib/lab/build';
import { defaultConfig, type LabConfig } from '../../src/lib/lab/config';
import { clampExample, computeClip, computePreview } from '../../src/lib/lab/preview';
import type { TaskName } from '../../src/lib/tasks/index';

function lab(task: TaskName, variant?: string) {
	const config: LabConfig = defaultConfig(task, variant);
	return { config, model: buildModel(config), data: buildPreviewData(config) };
}

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('computePreview', () => {
	it('gives a classification clip, its class, probabilities and frame weights summing to 1', () => {
		const { config, model, data } = lab('classification');
		const p = computePreview(config, model, data, 2);
		if (p.task !== 'classification') throw new Error('wrong task');
		const { frames: T, height: H, width: W } = p.clip;
		expect([T, H, W]).toEqual([16, 16, 16]);
		expect(p.clip.data.length).toBe(T * H * W);
		expect(p.classNames).toEqual(['square', 'plus', 'hbar', 'vbar']);
		expect(p.probs.length).toBe(4);
		expect(sum(p.probs)).toBeCloseTo(1, 5);
		expect(p.predicted).toBe(p.probs.indexOf(Math.max(...p.probs)));
		expect(p.frameWeights.length).toBe(T);
		expect(sum(p.frameWeights)).toBeCloseTo(1, 5);
		expect(p.keyFrames.length).toBeGreaterThan(0);
		expect(p.keyFrames.every((t) => p.roles[t] === 'key')).toBe(true);
		expect(p.roles.filter((r) => r === 'key').length).toBe(p.keyFrames.length);
		expect(p.featureWeights).toBeNull();
	});

	it('matches the data: the label and key frames are those of the chosen clip', () => {
		const { config, model, data } = lab('classification');
		for (const i of [0, 5]) {
			const p = computePreview(config, model, data, i);
			const batch = data.getBatch([i]) as { labels: { data: Float32Array }; keyFrames: { data: Float32Array } };
			if (p.task !== 'classification') throw new Error('wrong task');
			expect(p.label).toBe(batch.labels.data[0]);
			expect(p.keyFrames).toEqual([...batch.keyFrames.data].flatMap((k, t) => (k > 0 ? [t] : [])));
		}
	});

	it('gives the article variant its per-feature weights [T, D], each feature a distribution over time', () => {
		const { config, model, data } = lab('classification', 'article');
		const p = computePreview(config, model, data, 0);
		if (p.task !== 'classification' || !p.featureWeights) throw new Error('no feature weights');
		const T = p.clip.frames;
		expect(p.dim).toBe(32);
		expect(p.featureWeights.length).toBe(T * p.dim);
		for (const d of [0, 7, 31]) {
			let s = 0;
			for (let t = 0; t < T; t++) s += p.featureWeights[t * p.dim + d];
			expect(s).toBeCloseTo(1, 5);
		}
		// The frame weights are the features' weights averaged over features.
		let mean0 = 0;
		for (let d = 0; d < p.dim; d++) mean0 += p.featureWeights[d] / p.dim;
		expect(p.frameWeights[0]).toBeCloseTo(mean0, 5);
	});

	it('gives tracking boxes [T, 4] and attention [T, h, w] summing to 1 per frame', () => {
		const { config, model, data } = lab('tracking');
		const p = computePreview(config, model, data, 1);
		if (p.task !== 'tracking' || !p.attention) throw new Error('no attention');
		const T = p.clip.frames;
		const [h, w] = p.featureSize;
		expect([h, w]).toEqual([p.clip.height / 2, p.clip.width / 2]);
		expect(p.trueBoxes.length).toBe(T * 4);
		expect(p.predBoxes.length).toBe(T * 4);
		expect(p.attention.length).toBe(T * h * w);
		for (let t = 0; t < T; t++) expect(sum(p.attention.subarray(t * h * w, (t + 1) * h * w))).toBeCloseTo(1, 5);
		expect([...p.trueBoxes].every((v) => v >= 0 && v <= 1)).toBe(true);
	});

	it('gives the tracking baseline boxes and no attention', () => {
		const { config, model, data } = lab('tracking', 'baseline');
		const p = computePreview(config, model, data, 0);
		if (p.task !== 'tracking') throw new Error('wrong task');
		expect(p.attention).toBeNull();
		expect(p.predBoxes.length).toBe(p.clip.frames * 4);
	});

	it('gives generation its teacher-forced frames, rollout and causal attention [heads, Tc, Tc]', () => {
		const { config, model, data } = lab('generation');
		const p = computePreview(config, model, data, 0);
		if (p.task !== 'generation' || !p.attention) throw new Error('no attention');
		const { frames: T, height: H, width: W } = p.clip;
		const Tc = p.contextFrames;
		expect([T, Tc, p.horizon, p.heads]).toEqual([8, 6, 2, 4]);
		expect(p.teacherForced.length).toBe((T - 1) * H * W);
		expect(p.rollout.length).toBe(p.horizon * H * W);
		expect(p.attention.length).toBe(p.heads * Tc * Tc);
		for (let h = 0; h < p.heads; h++) {
			for (let q = 0; q < Tc; q++) {
				const row = p.attention.subarray((h * Tc + q) * Tc, (h * Tc + q + 1) * Tc);
				expect(sum(row)).toBeCloseTo(1, 5);
				for (let k = q + 1; k < Tc; k++) expect(row[k]).toBe(0);
			}
		}
		expect(p.roles.slice(0, Tc).every((r) => r === 'context')).toBe(true);
		expect(p.roles.slice(Tc).every((r) => r === 'target')).toBe(true);
	});

	it('gives the generation baselines predictions and no attention', () => {
		const { config, model, data } = lab('generation', 'copy-last');
		const p = computePreview(config, model, data, 0);
		if (p.task !== 'generation') throw new Error('wrong task');
		expect(p.attention).toBeNull();
		// Copying the last frame: the teacher-forced prediction of frame 1 is frame 0.
		const n = p.clip.height * p.clip.width;
		expect([...p.teacherForced.subarray(0, n)]).toEqual([...p.clip.data.subarray(0, n)]);
	});

	it('leaves the model in the mode it found it in', () => {
		const { config, model, data } = lab('generation');
		model.train(true);
		computePreview(config, model, data, 0);
		expect(model.training).toBe(true);
	});

	it('refuses a clip that does not exist, naming the range, and clampExample brings it back in', () => {
		const { config, model, data } = lab('classification');
		expect(() => computePreview(config, model, data, PREVIEW_CLIPS)).toThrow(/clip 8 does not exist; there are 8 preview clips \(0 to 7\)/);
		expect(() => computePreview(config, model, data, -1)).toThrow(/does not exist/);
		expect(() => computeClip(config, data, 1.5)).toThrow(/does not exist/);
		expect(clampExample(99, 8)).toBe(7);
		expect(clampExample(-3, 8)).toBe(0);
		expect(clampExample(NaN, 8)).toBe(0);
		expect(clampExample(2.4, 8)).toBe(2);
	});

	it('computeClip gives the same clip as computePreview, without the model', () => {
		const { config, model, data } = lab('generation');
		const a = computeClip(config, data, 3);
		const b = computePreview(config, model, data, 3);
		expect(a.clip).toEqual(b.clip);
		expect(a.roles).toEqual(b.roles);
	});
});
