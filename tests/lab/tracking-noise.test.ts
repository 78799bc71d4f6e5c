import { describe, expect, it } from 'vitest';
import { defaultConfig, findKnob } from '../../src/lib/lab/config';
import { Lab } from '../../src/lib/lab/lab.svelte';
import { computePreview, type TrackingPreview } from '../../src/lib/lab/preview';

const preview = (lab: Lab) => computePreview(lab.config, lab.model, lab.data, lab.example) as TrackingPreview;

/** Standard deviation of the pixels that are background (0) in the noiseless clip. */
function backgroundStd(clip: Float32Array, clean: Float32Array): number {
	const values = Array.from(clip).filter((_, i) => clean[i] === 0);
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

describe('the tracking lesson’s knobs', () => {
	it('rebuilds the preview clips with more noise and keeps the model, whose boxes and attention follow the new clips', () => {
		const lab = new Lab(defaultConfig('tracking'));
		expect(lab.setKnob('data.noise', 0)).toBeNull();
		const clean = preview(lab).clip.data;
		expect(lab.setKnob('data.noise', 0.05)).toBeNull();
		const { model } = lab;
		const low = preview(lab);
		expect(lab.setKnob('data.noise', 0.5)).toBeNull();
		expect(lab.model).toBe(model);
		const high = preview(lab);

		const [lowStd, highStd] = [backgroundStd(low.clip.data, clean), backgroundStd(high.clip.data, clean)];
		expect(highStd).toBeGreaterThan(5 * lowStd);
		expect(Array.from(high.predBoxes)).not.toEqual(Array.from(low.predBoxes));
		expect(Array.from(high.attention!)).not.toEqual(Array.from(low.attention!));
	});

	it("has a Channels knob that rebuilds both trackers, and a Hidden size that says it is the baseline's alone", () => {
		for (const variant of ['attention', 'baseline']) {
			const lab = new Lab(defaultConfig('tracking', variant));
			expect(lab.setKnob('model.channels', 4)).toBeNull();
			const conv = lab.model.namedParameters().find(([name]) => name.endsWith('conv2.weight'));
			expect(conv?.[1].shape[0], variant).toBe(4);
			expect(lab.setKnob('model.channels', 0)).toMatch(/Channels/);
		}
		expect(findKnob('tracking', 'model.hidden')?.help).toMatch(/baseline/);
	});
});
