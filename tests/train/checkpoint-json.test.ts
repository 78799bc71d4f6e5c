import { describe, expect, it } from 'vitest';
import { tensor } from '$lib/engine/index';
import { CheckpointError, stateDictFromJson, stateDictToJson } from '$lib/train/index';
import { Mlp } from './toy';

describe('glance-state JSON checkpoints', () => {
	it('round-trip a model through JSON text exactly', () => {
		const src = new Mlp(4);
		const text = JSON.stringify(stateDictToJson(src.stateDict()));
		const dst = new Mlp(5);
		dst.loadStateDict(stateDictFromJson(JSON.parse(text)));
		dst.parameters().forEach((p, i) => expect(p.data).toEqual(src.parameters()[i].data));
	});

	it('write each float32 as its shortest exact decimal and keep float64 tensors as F64', () => {
		const json = stateDictToJson(
			new Map([
				['a', tensor([0.1, 1 / 3, -2.5e-30, 0])],
				['b', tensor([0.1], { dtype: 'float64' })]
			])
		);
		expect(json).toEqual({
			format: 'glance-state',
			version: 1,
			tensors: { a: { shape: [4], data: [0.1, 0.33333334, -2.5e-30, 0] }, b: { shape: [1], data: [0.1], dtype: 'F64' } }
		});
		const back = stateDictFromJson(json);
		expect(back.get('a')!.data).toEqual(new Float32Array([0.1, 1 / 3, -2.5e-30, 0]));
		expect(back.get('b')!.dtype).toBe('float64');
	});

	const good = () => ({ format: 'glance-state', version: 1, tensors: { w: { shape: [2], data: [1, 2] } } });
	const cases: [string, unknown, string][] = [
		['a value that is not an object', [1], 'expected an object, got a list'],
		['another format', { ...good(), format: 'torch' }, 'format is "torch", expected "glance-state"'],
		['a newer version', { ...good(), version: 2 }, 'version 2 is not supported (this Glance reads version 1)'],
		['tensors that are not an object', { ...good(), tensors: null }, '"tensors" must be an object of named tensors, got null'],
		[
			'a bad shape',
			{ ...good(), tensors: { w: { shape: [2.5], data: [] } } },
			'tensor "w": shape must be a list of non-negative integers, got [2.5]'
		],
		[
			'too few values',
			{ ...good(), tensors: { w: { shape: [2, 2], data: [1, 2] } } },
			'tensor "w": 2 values cannot fill shape [2,2] (4 elements)'
		],
		[
			'a null value (NaN once stringified)',
			{ ...good(), tensors: { w: { shape: [2], data: [1, null] } } },
			'tensor "w": data must be a list of numbers'
		],
		[
			'an unknown dtype',
			{ ...good(), tensors: { w: { shape: [2], data: [1, 2], dtype: 'I8' } } },
			'tensor "w": dtype "I8" is not supported'
		]
	];
	for (const [what, value, message] of cases) {
		it(`refuses ${what}`, () => {
			expect(() => stateDictFromJson(value)).toThrow(CheckpointError);
			expect(() => stateDictFromJson(value)).toThrow(`glance-state JSON: ${message}`);
		});
	}

	it('refuses to write NaN, which JSON cannot hold', () => {
		expect(() => stateDictToJson(new Map([['w', tensor([NaN])]]))).toThrow('stateDictToJson: tensor "w": value 0 is NaN');
	});
});
