import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '$lib/engine/index';
import { CheckpointError, fromSafetensors, toSafetensors } from '$lib/train/index';
import { Mlp } from './toy';

interface ReferenceFixture {
	metadata: Record<string, string>;
	tensors: Record<string, { dtype: string; shape: number[]; data: number[] }>;
}

const fixtureUrl = (name: string) => new URL(`../reference/fixtures/checkpoint/${name}`, import.meta.url);

/** A safetensors file from a header (object or raw text) and data bytes; `declared` overrides the length field. */
function build(header: object | string, data: ArrayLike<number> = [], declared?: number): Uint8Array {
	const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
	const out = new Uint8Array(8 + json.length + data.length);
	new DataView(out.buffer).setBigUint64(0, BigInt(declared ?? json.length), true);
	out.set(json, 8);
	out.set(data, 8 + json.length);
	return out;
}
const f32 = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);
const entry = (shape: number[], offsets: number[], dtype = 'F32') => ({ dtype, shape, data_offsets: offsets });

describe('safetensors', () => {
	it('reads a file written byte by byte in Python per the published format', () => {
		const want = JSON.parse(readFileSync(fixtureUrl('reference.json'), 'utf8')) as ReferenceFixture;
		const { tensors, metadata } = fromSafetensors(readFileSync(fixtureUrl('reference.safetensors')));
		expect(metadata).toEqual(want.metadata);
		expect([...tensors.keys()]).toEqual(Object.keys(want.tensors));
		for (const [key, w] of Object.entries(want.tensors)) {
			const t = tensors.get(key)!;
			expect(t.shape, key).toEqual(w.shape);
			expect(t.dtype, key).toBe(w.dtype === 'F64' ? 'float64' : 'float32');
			expect([...t.data], key).toEqual([...(w.dtype === 'F64' ? Float64Array : Float32Array).from(w.data)]);
		}
	});

	it('round-trips a model state dict bit for bit, with metadata and float64 tensors', () => {
		const sd = new Mlp(1).stateDict();
		sd.set('extra.scale', tensor([Math.PI, 1e-300], { dtype: 'float64' }));
		const bytes = toSafetensors(sd, { format: 'pt', task: 'regression' });
		const { tensors, metadata } = fromSafetensors(bytes.buffer as ArrayBuffer);
		expect(metadata).toEqual({ format: 'pt', task: 'regression' });
		expect([...tensors.keys()]).toEqual([...sd.keys()]);
		for (const [k, t] of sd) {
			expect(tensors.get(k)!.shape, k).toEqual(t.shape);
			expect(tensors.get(k)!.data, k).toEqual(t.data);
		}
		const model = new Mlp(2);
		model.loadStateDict(new Map([...tensors].filter(([k]) => !k.startsWith('extra'))));
		expect(model.fc1.weight.data).toEqual(sd.get('fc1.weight')!.data);
	});

	it('writes the layout the format specifies: u64 length, space-padded JSON header, contiguous little-endian data', () => {
		const bytes = toSafetensors(new Map([['weight', tensor([[1, -2]])]]));
		const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
		expect(n % 8).toBe(0);
		const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
		expect(JSON.parse(text)).toEqual({ weight: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] } });
		expect(text.slice(text.trimEnd().length)).toBe('   ');
		expect(bytes.subarray(8 + n)).toEqual(f32(1, -2));
	});

	it('accepts scalars, empty tensors and tensors stored out of key order', () => {
		const header = { b: entry([], [4, 8]), a: entry([1], [0, 4]), e: entry([0, 3], [8, 8]) };
		const { tensors } = fromSafetensors(build(header, f32(7, 9)));
		expect(tensors.get('a')!.toArray()).toEqual([7]);
		expect(tensors.get('b')!.item()).toBe(9);
		expect(tensors.get('e')!.shape).toEqual([0, 3]);
	});

	const malformed: [string, Uint8Array, string][] = [
		['a file shorter than the length field', new Uint8Array(5), 'the file is 5 bytes, too short to hold the 8-byte header length'],
		['a header length past the end', build('{}', [], 400), 'the header length 400 runs past the end of the file (10 bytes)'],
		['a header that is not an object', build('[1]'), 'the header must be a JSON object starting with "{"'],
		['a header that is not UTF-8', build('{\u0000}').fill(0xff, 9, 10), 'the header is not valid UTF-8'],
		['a header that is not JSON', build('{"a": '), 'the header is not valid JSON'],
		['metadata that is not strings', build({ __metadata__: { epoch: 3 } }), '"__metadata__" value "epoch" must be a string, got number 3'],
		[
			'an unknown dtype',
			build({ w: entry([1], [0, 8], 'I64') }, new Uint8Array(8)),
			'tensor "w": dtype "I64" is not supported (Glance reads F32, F64, F16, BF16)'
		],
		['a tensor that is not an object', build({ w: [1, 2] }), 'tensor "w": expected { dtype, shape, data_offsets }, got a list'],
		['a negative dimension', build({ w: entry([-1], [0, 0]) }), 'tensor "w": shape must be a list of non-negative integers, got [-1]'],
		[
			'offsets that are not a pair',
			build({ w: entry([1], [4]) }),
			'tensor "w": data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got [4]'
		],
		[
			'offsets in the wrong order',
			build({ w: entry([0], [4, 0]) }),
			'tensor "w": data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got [4,0]'
		],
		[
			'offsets that do not match the shape',
			build({ w: entry([2, 2], [0, 8]) }, f32(1, 2)),
			'tensor "w": data_offsets [0,8] span 8 bytes but F32 [2,2] needs 16'
		],
		[
			'offsets past the data',
			build({ w: entry([2], [4, 12]) }, f32(1, 2)),
			'tensor "w": data_offsets [4,12] run past the end of the data (8 bytes)'
		],
		[
			'overlapping tensors',
			build({ a: entry([2], [0, 8]), b: entry([1], [4, 8]) }, f32(1, 2)),
			'tensors "a" and "b" overlap (bytes 4–8 of the data)'
		],
		[
			'a gap between tensors',
			build({ a: entry([1], [0, 4]), b: entry([1], [8, 12]) }, f32(1, 2, 3)),
			'bytes 4–8 of the data belong to no tensor'
		],
		['data past the last tensor', build({ a: entry([1], [0, 4]) }, f32(1, 2)), 'the tensors cover 4 bytes of data but the file holds 8'],
		['a NaN value', build({ a: entry([2], [0, 8]) }, f32(1, NaN)), 'tensor "a": value 1 is NaN; checkpoints must hold finite numbers'],
		['an infinite F16 value', build({ h: entry([1], [0, 2], 'F16') }, [0x00, 0x7c]), 'tensor "h": value 0 is Infinity']
	];
	for (const [what, bytes, message] of malformed) {
		it(`refuses ${what}`, () => {
			let error: unknown;
			try {
				fromSafetensors(bytes);
			} catch (e) {
				error = e;
			}
			expect(error).toBeInstanceOf(CheckpointError);
			expect((error as Error).message).toContain(`safetensors: ${message}`);
		});
	}

	it('refuses to write NaN, a reserved key or non-string metadata', () => {
		expect(() => toSafetensors(new Map([['w', tensor([1, NaN])]]))).toThrow('toSafetensors: tensor "w": value 1 is NaN');
		expect(() => toSafetensors(new Map([['__metadata__', tensor([1])]]))).toThrow('"__metadata__" is reserved');
		expect(() => toSafetensors(new Map(), { n: 1 as unknown as string })).toThrow('metadata "n" must be a string, got number 1');
	});

	it('loading a checkpoint with another shape into a model names the key and both shapes and changes nothing', () => {
		const small = new Mlp(1, 8).stateDict();
		const model = new Mlp(2, 16);
		const before = model.parameters().map((p) => Array.from(p.data));
		const { tensors } = fromSafetensors(toSafetensors(small));
		expect(() => model.loadStateDict(tensors)).toThrow('fc1.weight: checkpoint has shape [8,4], model has [16,4]');
		expect(model.parameters().map((p) => Array.from(p.data))).toEqual(before);
		expect(() => model.loadStateDict(new Map([['fc1.weight', new Tensor(new Float32Array(64), [16, 4])]]))).toThrow(
			/missing keys: fc1.bias/
		);
	});
});
