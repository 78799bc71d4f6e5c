import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/lib/lab/config';
import { Lab } from '../../src/lib/lab/lab.svelte';
import { LAB_METADATA_KEY, labMetadata, readWeightsFile } from '../../src/lib/lab/weights';
import { exportToPyTorch } from '../../src/lib/train/export/index';
import { toSafetensors } from '../../src/lib/train/safetensors';

/** A lab whose settings and weights both differ from a fresh one's, as after training. */
function trainedLab(): Lab {
	const lab = new Lab(defaultConfig('classification'));
	expect(lab.setKnob('model.dim', '24')).toBeNull();
	expect(lab.setKnob('data.noise', '0.3')).toBeNull();
	expect(lab.setKnob('seed', '7')).toBeNull();
	const params = lab.params().map((v, i) => v + Math.sin(i));
	lab.setParams(params);
	return lab;
}

/** The bytes the export widget downloads. */
const exported = (lab: Lab) => exportToPyTorch(lab.model, { metadata: labMetadata(lab.config) }).weights;

describe('weights files', () => {
	it('load back into a fresh lab with the settings and weights they were saved with', () => {
		const from = trainedLab();
		const to = new Lab(defaultConfig('classification'));
		const version = to.version;
		to.editWeight('fc.bias', 0, 3);
		// The same clip options, so only the seed tells the file's clips from this lab's.
		expect(to.setKnob('data.noise', '0.3')).toBeNull();
		const file = readWeightsFile(exported(from), 'classification');
		expect(file.config).toEqual(from.config);
		expect(to.loadWeights(file)).toBeNull();
		expect(to.config).toEqual(from.config);
		expect(to.params()).toEqual(from.params());
		expect(to.edits).toEqual({});
		expect(to.version).toBeGreaterThan(version);
		// The clips follow the file's settings, its seed included.
		const clip = (l: Lab) => (l.data.getBatch([0]) as { clips: { data: Float32Array } }).clips.data;
		expect(clip(to)).toEqual(clip(from));
	});

	it('keep the setting PyTorch needs, so the file still loads there', () => {
		const bytes = exported(trainedLab());
		const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true)))));
		expect(header.__metadata__.format).toBe('pt');
		expect(JSON.parse(header.__metadata__[LAB_METADATA_KEY])).toMatchObject({ task: 'classification', knobs: { 'model.dim': 24 } });
	});

	it('without settings of their own load into the current settings when the shapes fit', () => {
		const from = trainedLab();
		const to = new Lab(from.config);
		const file = readWeightsFile(toSafetensors(from.model.stateDict(), { format: 'pt' }), 'classification');
		expect(file.config).toBeNull();
		expect(to.loadWeights(file)).toBeNull();
		expect(to.params()).toEqual(from.params());
	});

	it('refuse, changing nothing, what does not fit: another task, another shape, NaN, a run in progress, a pinned knob', () => {
		const lab = new Lab(defaultConfig('classification'));
		const before = { config: lab.config, model: lab.model, params: lab.params(), version: lab.version };
		const unchanged = () => {
			expect(lab.config).toBe(before.config);
			expect(lab.model).toBe(before.model);
			expect(lab.params()).toEqual(before.params);
			expect(lab.version).toBe(before.version);
		};

		const tracking = new Lab(defaultConfig('tracking'));
		expect(() => readWeightsFile(exported(tracking), 'classification')).toThrow(
			"its settings do not fit this lesson: it is for the tracking task, and this lesson's task is classification"
		);

		const wider = trainedLab();
		const bare = readWeightsFile(toSafetensors(wider.model.stateDict()), 'classification');
		expect(lab.loadWeights(bare)).toMatch(/loadStateDict: .*checkpoint has shape \[\d+,24\], model has \[\d+,32\]/);
		unchanged();

		// A diverged run's file: toSafetensors refuses NaN, so one is written into the bytes.
		const bytes = toSafetensors(lab.model.stateDict());
		const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
		new DataView(bytes.buffer).setFloat32(8 + headerLength + 4, NaN, true);
		expect(() => readWeightsFile(bytes, 'classification')).toThrow(
			/^safetensors: tensor "[\w.]+": value 1 is NaN; checkpoints must hold finite numbers$/
		);

		const good = readWeightsFile(exported(trainedLab()), 'classification');
		lab.training = true;
		expect(lab.loadWeights(good)).toBe('stop the training run first: it would overwrite the loaded weights');
		lab.training = false;
		unchanged();

		lab.flags = { hide: [], pin: ['model.dim'], solutions: true };
		expect(lab.loadWeights(good)).toBe('the file sets "model.dim", which your teacher pinned');
		unchanged();
	});

	it('refuse bytes that are not safetensors, or settings that are not JSON or out of range', () => {
		expect(() => readWeightsFile(new TextEncoder().encode('not a model'), 'classification')).toThrow(/^safetensors: /);
		const lab = new Lab(defaultConfig('classification'));
		const sd = lab.model.stateDict();
		expect(() => readWeightsFile(toSafetensors(sd, { [LAB_METADATA_KEY]: '{oops' }), 'classification')).toThrow(
			`its "${LAB_METADATA_KEY}" settings are not JSON`
		);
		const tooBig = JSON.stringify({ v: 1, task: 'classification', knobs: { 'data.noise': 7 } });
		expect(() => readWeightsFile(toSafetensors(sd, { [LAB_METADATA_KEY]: tooBig }), 'classification')).toThrow(
			'its settings do not fit this lesson: Noise σ must be between 0 and 1'
		);
		expect(() => readWeightsFile(toSafetensors(new Map()), 'classification')).toThrow('the file holds no weights');
	});
});
