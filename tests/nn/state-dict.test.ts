import { describe, expect, test } from 'vitest';
import { Rng, ShapeError, zeros, type Tensor } from '$lib/engine';
import { LayerNorm, Linear, Module, MultiHeadAttention } from '$lib/nn';

class Block extends Module {
	attn = new MultiHeadAttention(4, 2, { rng: new Rng(0) });
	norm = new LayerNorm(4);
	fc = new Linear(4, 3, { rng: new Rng(1) });
	forward(x: Tensor): Tensor {
		return this.fc.forward(this.norm.forward(this.attn.forward(x, x, x).output));
	}
}

const KEYS = [
	'attn.in_proj_weight',
	'attn.in_proj_bias',
	'attn.out_proj.weight',
	'attn.out_proj.bias',
	'norm.weight',
	'norm.bias',
	'fc.weight',
	'fc.bias'
];

const snapshot = (m: Module) => [...m.stateDict()].map(([k, t]) => [k, Array.from(t.data)]);
const copyOf = (m: Module) => new Map([...m.stateDict()].map(([k, t]) => [k, t.clone()]));

describe('state dicts', () => {
	test('nested modules give the keys PyTorch gives, in registration order', () => {
		expect([...new Block().stateDict().keys()]).toEqual(KEYS);
	});

	test('a state dict round-trips into a differently seeded model', () => {
		const source = new Block();
		const target = new Block();
		target.fc.resetParameters(new Rng(99));
		target.loadStateDict(copyOf(source));
		expect(snapshot(target)).toEqual(snapshot(source));
	});

	test.each([
		[
			'a wrong shape',
			(s: Map<string, Tensor>) => s.set('fc.weight', zeros([4, 3])),
			'fc.weight: checkpoint has shape [4,3], model has [3,4]'
		],
		['a missing key', (s: Map<string, Tensor>) => s.delete('norm.bias'), 'missing keys: norm.bias'],
		['an unexpected key', (s: Map<string, Tensor>) => s.set('head.weight', zeros([1])), 'unexpected keys: head.weight']
	])('loading %s is refused with the key named, and changes nothing', (_, corrupt, message) => {
		const model = new Block();
		const before = snapshot(model);
		const state = copyOf(new Block());
		for (const t of state.values()) t.data.fill(0.5);
		corrupt(state);
		expect(() => model.loadStateDict(state)).toThrowError(ShapeError);
		expect(() => model.loadStateDict(state)).toThrowError(message);
		expect(snapshot(model)).toEqual(before);
	});
});
