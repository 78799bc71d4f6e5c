import { describe, expect, it } from 'vitest';
import { noGrad } from '../../src/lib/engine/index';
import { defaultConfig } from '../../src/lib/lab/config';
import { Classroom, Lab, PINNED } from '../../src/lib/lab/lab.svelte';
import { tasks } from '../../src/lib/tasks/index';
import type { ClassificationBatch } from '../../src/lib/tasks/video/classification';

describe('Lab', () => {
	it('refuses a bad knob value with the reason and keeps config, model and version', () => {
		const lab = new Lab(defaultConfig('classification'));
		const { config, model, version } = lab;
		expect(lab.setKnob('data.noise', 'lots')).toBe('Noise σ must be a number');
		expect(lab.setKnob('data.noise', '3')).toBe('Noise σ must be between 0 and 1');
		expect(lab.setKnob('data.frames', '4.5')).toBe('Frames must be a whole number');
		expect(lab.setKnob('model.numHeads', '2')).toBe('classification has no knob "model.numHeads"');
		expect(lab.config).toBe(config);
		expect(lab.model).toBe(model);
		expect(lab.version).toBe(version);
	});

	it("refuses generation heads that do not divide the hidden size, with the model's own message", () => {
		const lab = new Lab(defaultConfig('generation'));
		const { config, model } = lab;
		expect(lab.setKnob('model.embedDim', '10')).toBe(
			'MultiHeadAttention: embedDim 10 must be divisible by numHeads 4 (each head gets embedDim / numHeads features)'
		);
		expect(lab.config).toBe(config);
		expect(lab.model).toBe(model);
		expect(lab.setKnob('model.numHeads', '2')).toBeNull();
		expect(lab.setKnob('model.embedDim', '10')).toBeNull();
		expect(lab.config.model).toEqual({ numHeads: 2, embedDim: 10 });
	});

	it('rebuilds the model and clips when the seed or a model size changes, dropping weight edits', () => {
		const lab = new Lab(defaultConfig('classification'));
		for (const [key, value] of [
			['seed', 4],
			['model.dim', 16]
		] as const) {
			const { model, data } = lab;
			lab.editWeight('fc.bias', 0, 2);
			expect(lab.setKnob(key, value)).toBeNull();
			expect(lab.model).not.toBe(model);
			expect(lab.data === data).toBe(key === 'model.dim');
			expect(lab.edits).toEqual({});
		}
	});

	it('keeps the model and its edited weights when only the clips or training settings change', () => {
		const lab = new Lab(defaultConfig('classification'));
		const { model, data } = lab;
		lab.editWeight('fc.bias', 0, 2);
		expect(lab.setKnob('train.lr', '0.01')).toBeNull();
		expect(lab.data).toBe(data);
		expect(lab.setKnob('data.frames', 6)).toBeNull();
		expect(lab.model).toBe(model);
		expect((lab.data.getBatch([0]) as ClassificationBatch).clips.shape).toEqual([1, 6, 16, 16]);
		expect(lab.edits).toEqual({ 'fc.bias': { 0: 2 } });
		expect(lab.config).toEqual({ ...defaultConfig('classification'), data: { frames: 6 }, train: { ...lab.config.train, lr: 0.01 } });
	});

	it('rebuilds a generator when its frame count changes, since the model is sized to the clips', () => {
		const lab = new Lab(defaultConfig('generation'));
		const model = lab.model;
		expect(lab.setKnob('data.frames', 6)).toBeNull();
		expect(lab.model).not.toBe(model);
	});

	it('sets a single weight, records the edit and bumps the version; refuses bad edits', () => {
		const lab = new Lab(defaultConfig('classification'));
		const before = lab.params();
		const version = lab.version;
		expect(lab.editWeight('fc.weight', 5, 0.75)).toBeNull();
		expect(lab.editWeight('fc.weight', 6, -1)).toBeNull();
		expect(lab.edits).toEqual({ 'fc.weight': { 5: 0.75, 6: -1 } });
		expect(lab.version).toBe(version + 2);
		const param = lab.model.namedParameters().find(([n]) => n === 'fc.weight')![1];
		expect(param.data[5]).toBe(0.75);
		expect(lab.initialWeight('fc.weight', 5)).toBe(before[lab.params().length - 4 - 128 + 5]);
		expect(lab.editWeight('fc.gamma', 0, 1)).toBe('the model has no parameter "fc.gamma"');
		expect(lab.editWeight('fc.bias', 4, 1)).toBe('fc.bias has 4 values; index 4 is out of range');
		expect(lab.editWeight('fc.bias', 0, NaN)).toBe('a weight must be a finite number');
		expect(lab.edits).toEqual({ 'fc.weight': { 5: 0.75, 6: -1 } });
	});

	it('resets to the defaults and the initial weights', () => {
		const lab = new Lab(defaultConfig('classification'));
		const initial = lab.params();
		lab.setKnob('seed', 3);
		lab.setVariant('baseline');
		lab.editWeight('fc.bias', 1, 9);
		lab.reset();
		expect(lab.config).toEqual(defaultConfig('classification'));
		expect(lab.params()).toEqual(initial);
		expect(lab.edits).toEqual({});
	});

	it("keeps pinned knobs at the teacher's values: refuses changes and keeps them through Reset", () => {
		const lab = new Lab(defaultConfig('classification'));
		lab.setKnob('data.frames', 8);
		lab.flags = { hide: [], pin: ['data.frames', 'variant'], solutions: true };
		expect(lab.setKnob('data.frames', 10)).toBe(PINNED);
		expect(lab.setVariant('baseline')).toBe(PINNED);
		lab.setKnob('data.noise', 0.5);
		lab.reset();
		expect(lab.config).toEqual({ ...defaultConfig('classification'), data: { frames: 8 } });
	});

	it('measures a knob change plus the forward pass of one clip (reported, not asserted)', () => {
		const lab = new Lab(defaultConfig('classification'));
		const median = (key: string, values: number[]) => {
			lab.setKnob(key, values[values.length - 1]);
			const times = values.map((value) => {
				const start = performance.now();
				lab.setKnob(key, value);
				noGrad(() => tasks.classification.loss(lab.model, lab.data.getBatch([lab.example]) as ClassificationBatch));
				return performance.now() - start;
			});
			return times.sort((a, b) => a - b)[times.length >> 1].toFixed(1);
		};
		const noise = median('data.noise', [0.2, 0.3, 0.4, 0.5, 0.6]);
		const dim = median('model.dim', [24, 28, 32, 36, 40]);
		process.stdout.write(`    setKnob + forward of one clip, median of 5: data.noise ${noise} ms, model.dim ${dim} ms\n`);
		expect(lab.config).toMatchObject({ data: { noise: 0.6 }, model: { dim: 40 } });
	});
});

describe('Classroom', () => {
	it('loads a shared link: same config, same weights, same edits, and the teacher flags', async () => {
		const from = new Classroom('classification');
		from.lab!.setKnob('data.noise', 0.35);
		from.lab!.editWeight('encoder.fc.weight', 7, 1.5);
		const flags = { hide: ['trainer', 'seed'], pin: ['data.noise'], solutions: false };
		const code = await from.code(flags);

		const to = new Classroom('classification');
		await to.open(code);
		expect(to.link).toEqual({ kind: 'loaded', knobs: 1, edits: 1, flags });
		expect(to.lab!.config).toEqual(from.lab!.config);
		expect(to.lab!.params()).toEqual(from.lab!.params());
		expect(to.lab!.edits).toEqual({ 'encoder.fc.weight': { 7: 1.5 } });
		expect(to.flags).toEqual(flags);
		expect(to.lab!.flags).toEqual(flags);
		expect(to.lab!.setKnob('data.noise', 0.1)).toBe(PINNED);
	});

	it('refuses a malformed link, loads the defaults and drops the flags of an earlier link', async () => {
		const from = new Classroom('classification');
		from.lab!.setKnob('data.frames', 5);
		const to = new Classroom('classification');
		await to.open(await from.code({ hide: ['trainer'], pin: ['data.frames'], solutions: false }));
		await to.open('@@not-a-link@@');
		expect(to.link).toEqual({ kind: 'refused', error: 'it is not base64url text' });
		expect(to.lab!.config).toEqual(defaultConfig('classification'));
		expect(to.flags).toEqual({ hide: [], pin: [], solutions: true });
	});

	it('gives a lesson without a model flags but no lab', async () => {
		const room = new Classroom('none');
		expect(room.lab).toBeUndefined();
		const teacher = new Classroom('none');
		await room.open(await teacher.code({ hide: ['softmax-demo'], pin: [], solutions: false }));
		expect(room.flags).toEqual({ hide: ['softmax-demo'], pin: [], solutions: false });
	});
});
