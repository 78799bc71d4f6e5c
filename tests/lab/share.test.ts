import { describe, expect, it } from 'vitest';
import { defaultConfig, setKnob, type LabConfig } from '../../src/lib/lab/config';
import {
	MAX_DECODED,
	MAX_ENCODED,
	NO_FLAGS,
	codeFromHash,
	decodeShare,
	encodeShare,
	shareStateOf,
	type DecodeResult,
	type TeacherFlags
} from '../../src/lib/lab/share';

/** deflate-raw + base64url of any text, to build links the encoder would never write. */
async function pack(text: string): Promise<string> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
	return Buffer.from(await new Response(stream).arrayBuffer()).toString('base64url');
}

const packJson = (value: unknown) => pack(JSON.stringify(value));

function knobs(config: LabConfig, values: Record<string, number>): LabConfig {
	for (const [key, value] of Object.entries(values)) {
		const result = setKnob(config, key, value);
		if (!result.ok) throw new Error(result.error);
		config = result.config;
	}
	return config;
}

function refused(result: DecodeResult): string {
	if (result.ok) throw new Error('the link was accepted');
	return result.error;
}

describe('share links', () => {
	it('round-trip a config, weight edits and teacher flags', async () => {
		const config = knobs(defaultConfig('classification', 'baseline'), { 'data.noise': 0.3, 'data.frames': 8, seed: 5, 'train.lr': 0.01 });
		const edits = { 'fc.bias': { 0: 0.5 }, 'encoder.fc.weight': { 17: -1.25, 300: 3e-7 } };
		const flags: TeacherFlags = { hide: ['trainer', 'data.noise'], pin: ['data.frames', 'variant'], solutions: false };
		const code = await encodeShare(shareStateOf(config, edits, flags));
		expect(code).toMatch(/^[A-Za-z0-9_-]+$/);
		const result = await decodeShare(code, 'classification');
		expect(result).toEqual({ ok: true, shared: { config, edits, flags } });
	});

	it('store only what differs from the defaults, so a default lab makes a short link', async () => {
		const payload = shareStateOf(defaultConfig('tracking'), {}, NO_FLAGS);
		expect(payload).toEqual({ v: 1, task: 'tracking' });
		expect((await encodeShare(payload)).length).toBeLessThan(40);
	});

	it('carry flags for a lesson without a model', async () => {
		const flags: TeacherFlags = { hide: ['softmax-demo'], pin: [], solutions: false };
		const code = await encodeShare(shareStateOf(null, {}, flags, 'none'));
		expect(await decodeShare(code, 'none')).toEqual({ ok: true, shared: { config: null, edits: {}, flags } });
	});

	it('find their code only in a #s= hash', () => {
		expect(codeFromHash('#s=abc')).toBe('abc');
		expect(codeFromHash('#objectives')).toBeNull();
		expect(codeFromHash('')).toBeNull();
	});

	it('refuse text that is not base64url', async () => {
		expect(refused(await decodeShare('not base64!', 'classification'))).toBe('it is not base64url text');
		expect(refused(await decodeShare('abcde', 'classification'))).toBe('it is not base64url text');
		expect(refused(await decodeShare('', 'classification'))).toBe('it is not base64url text');
	});

	it('refuse bytes that are not deflate data', async () => {
		const code = Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x00, 0x11]).toString('base64url');
		expect(refused(await decodeShare(code, 'classification'))).toBe('it is not compressed share data');
	});

	it('refuse a truncated link', async () => {
		const code = await encodeShare(shareStateOf(knobs(defaultConfig('classification'), { 'data.noise': 0.5 }), {}, NO_FLAGS));
		expect(refused(await decodeShare(code.slice(0, 8), 'classification'))).toMatch(
			/^it (is not compressed share data|does not hold JSON)$/
		);
	});

	it('refuse data that is not JSON, or not an object', async () => {
		expect(refused(await decodeShare(await pack('hello, teacher'), 'classification'))).toBe('it does not hold JSON');
		expect(refused(await decodeShare(await packJson([1, 2]), 'classification'))).toBe('it does not hold a share object');
	});

	it('refuse another format version', async () => {
		expect(refused(await decodeShare(await packJson({ v: 2, task: 'classification' }), 'classification'))).toBe(
			'it is format version 2; this site reads version 1'
		);
		expect(refused(await decodeShare(await packJson({ task: 'classification' }), 'classification'))).toMatch(/format version undefined/);
	});

	it('refuse unknown keys at every level', async () => {
		const top = await packJson({ v: 1, task: 'classification', extra: 1 });
		expect(refused(await decodeShare(top, 'classification'))).toBe('the link has an unknown key "extra"');
		const inFlags = await packJson({ v: 1, task: 'classification', flags: { hide: [], admin: true } });
		expect(refused(await decodeShare(inFlags, 'classification'))).toBe('its teacher flags has an unknown key "admin"');
	});

	it('refuse an unknown task, or a link made for another task', async () => {
		expect(refused(await decodeShare(await packJson({ v: 1, task: 'dance' }), 'classification'))).toBe('it names an unknown task "dance"');
		expect(refused(await decodeShare(await packJson({ v: 1, task: 'tracking' }), 'classification'))).toBe(
			"it is for the tracking task, and this lesson's task is classification"
		);
	});

	it('refuse unknown knobs and variants, out-of-range and non-number knob values', async () => {
		const check = async (payload: object) =>
			refused(await decodeShare(await packJson({ v: 1, task: 'classification', ...payload }), 'classification'));
		expect(await check({ knobs: { 'data.glitter': 1 } })).toBe('it sets an unknown knob "data.glitter"');
		expect(await check({ knobs: { 'model.numHeads': 2 } })).toBe('it sets an unknown knob "model.numHeads"');
		expect(await check({ knobs: { 'data.noise': 5 } })).toBe('Noise σ must be between 0 and 1');
		expect(await check({ knobs: { 'data.frames': 2.5 } })).toBe('Frames must be a whole number');
		expect(await check({ knobs: { 'data.noise': '0.2' } })).toBe('knob "data.noise" is not a number');
		expect(await check({ knobs: [1] })).toBe('its knobs are not an object');
		expect(await check({ variant: 'transformer' })).toBe(
			'it names an unknown model variant "transformer"; the variants are attention, baseline, article'
		);
	});

	it("refuse settings the model cannot be built from, with the model's reason", async () => {
		const code = await packJson({ v: 1, task: 'generation', knobs: { 'model.embedDim': 10 } });
		expect(refused(await decodeShare(code, 'generation'))).toBe(
			'its settings do not make a model: MultiHeadAttention: embedDim 10 must be divisible by numHeads 4 (each head gets embedDim / numHeads features)'
		);
	});

	it('refuse edits of unknown parameters, bad indices and non-finite values', async () => {
		const check = async (edits: unknown) =>
			refused(await decodeShare(await packJson({ v: 1, task: 'classification', edits }), 'classification'));
		expect(await check({ 'fc.gamma': { 0: 1 } })).toBe('it edits an unknown parameter "fc.gamma"');
		expect(await check({ 'fc.bias': { 4: 1 } })).toBe('it edits fc.bias[4], and fc.bias has indices 0 to 3');
		expect(await check({ 'fc.bias': { '-1': 1 } })).toBe('it edits fc.bias[-1], and fc.bias has indices 0 to 3');
		expect(await check({ 'fc.bias': { '01': 1 } })).toBe('it edits fc.bias[01], and fc.bias has indices 0 to 3');
		expect(await check({ 'fc.bias': { x: 1 } })).toBe('it edits fc.bias[x], and fc.bias has indices 0 to 3');
		expect(await check({ 'fc.bias': { 0: null } })).toBe('its value for fc.bias[0] is not a finite number');
		expect(await check({ 'fc.bias': { 0: '1e999' } })).toBe('its value for fc.bias[0] is not a finite number');
		expect(await check({ 'fc.bias': [1] })).toBe('its edits of fc.bias are not an object');
		// JSON has no Infinity, but 1e999 parses to it.
		const code = await pack('{"v":1,"task":"classification","edits":{"fc.bias":{"0":1e999}}}');
		expect(refused(await decodeShare(code, 'classification'))).toBe('its value for fc.bias[0] is not a finite number');
	});

	it('refuse teacher flags naming controls the lesson does not have', async () => {
		const check = async (flags: unknown, task: 'classification' | 'none' = 'classification') =>
			refused(await decodeShare(await packJson({ v: 1, task, flags }), task));
		expect(await check({ hide: ['sidebar'] })).toBe('it asks to hide "sidebar", which this lesson does not have');
		expect(await check({ pin: ['trainer'] })).toBe('it asks to pin "trainer", which this lesson does not have');
		expect(await check({ pin: ['data.noise'] }, 'none')).toBe('it asks to pin "data.noise", which this lesson does not have');
		expect(await check({ hide: 'trainer' })).toBe('its "hide" flag is not a list of names');
		expect(await check({ solutions: 'no' })).toBe('its "solutions" flag is not true or false');
		const withModel = await packJson({ v: 1, task: 'none', knobs: { seed: 1 } });
		expect(refused(await decodeShare(withModel, 'none'))).toBe('it sets "knobs", and this lesson has no model');
	});

	it('refuse an oversized link before reading it', async () => {
		expect(refused(await decodeShare('A'.repeat(MAX_ENCODED + 1), 'classification'))).toBe('it is 8 KB long; links are at most 8 KB');
	});

	it('refuse a small link that unpacks to more than the limit (a decompression bomb)', async () => {
		const bomb = await pack(`{"v":1,"task":"classification","x":"${'a'.repeat(4_000_000)}"}`);
		expect(bomb.length).toBeLessThan(MAX_ENCODED);
		expect(refused(await decodeShare(bomb, 'classification'))).toBe(`it unpacks to more than ${MAX_DECODED / 1024} KB`);
	});

	it('refuse to make a link past the size limit, saying why', async () => {
		const many: Record<number, number> = {};
		for (let i = 0; i < 512; i++) many[i] = Math.sin(i * 12.9898) * 43758.5453;
		const payload = shareStateOf(defaultConfig('classification'), { 'encoder.conv2.weight': many, 'encoder.fc.weight': many }, NO_FLAGS);
		await expect(encodeShare(payload)).rejects.toThrow(/over the 8 KB limit; undo some weight edits/);
	});
});

describe('share links for every task', () => {
	it('round-trip a changed knob of each task, including data options the generators default themselves', async () => {
		for (const [task, key, value] of [
			['tracking', 'data.noise', 0.2],
			['tracking', 'data.frames', 6],
			['generation', 'data.noise', 0.05],
			['generation', 'model.numHeads', 2]
		] as const) {
			const config = knobs(defaultConfig(task), { [key]: value });
			const payload = shareStateOf(config, {}, NO_FLAGS);
			expect(payload.knobs).toEqual({ [key]: value });
			const result = await decodeShare(await encodeShare(payload), task);
			expect(result).toEqual({ ok: true, shared: { config, edits: {}, flags: NO_FLAGS } });
		}
	});
});
