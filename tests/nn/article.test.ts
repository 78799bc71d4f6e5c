import { describe, expect, test } from 'vitest';
import { Rng, ShapeError, randn, trace, type Tensor } from '$lib/engine';
import { AttentionModule, Module } from '$lib/nn';
import { loadLayerFixture } from './fixtures';

/** The shape of the article's models: the attention block is a child named `attention`. */
class Classifier extends Module {
	attention: AttentionModule;
	constructor(inputDim: number, hiddenDim: number) {
		super();
		this.attention = new AttentionModule(inputDim, hiddenDim, { rng: new Rng(0) });
	}
	forward(x: Tensor): Tensor {
		return this.attention.forward(x).mean(1);
	}
}

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (e) {
		return e;
	}
	throw new Error('expected the call to throw');
}

describe("the article's AttentionModule", () => {
	test('has the state-dict keys of the PyTorch code (attention.weight, attention.bias) under its parent', () => {
		expect([...new Classifier(8, 8).stateDict().keys()]).toEqual(['attention.attention.weight', 'attention.attention.bias']);
	});

	test('runs when hiddenDim equals inputDim, keeping the input shape', () => {
		const out = new AttentionModule(8, 8, { rng: new Rng(1) }).forward(randn([2, 5, 8], { rng: new Rng(2) }));
		expect(out.shape).toEqual([2, 5, 8]);
	});

	test("throws a ShapeError at the multiply with the article's sizes (512, 256), naming the module path", () => {
		const x = randn([2, 16, 512], { rng: new Rng(3) });
		const e = thrown(() => new Classifier(512, 256).forward(x));
		expect(e).toBeInstanceOf(ShapeError);
		const err = e as ShapeError;
		expect(err.op).toBe('mul');
		expect(err.path).toBe('attention');
		expect(err.message).toBe('attention → mul: cannot broadcast [2,16,512] with [2,16,256] at dim 2 (512 vs 256)');
	});

	test('on its own, the same error carries no path', () => {
		const e = thrown(() => new AttentionModule(512, 256).forward(randn([2, 16, 512], { rng: new Rng(4) })));
		expect((e as ShapeError).message).toMatch(/^mul: cannot broadcast \[2,16,512\] with \[2,16,256\]/);
	});

	test('a trace records each op under its module path, and stops at the failing multiply', () => {
		const ok = trace(() => new Classifier(4, 4).forward(randn([1, 3, 4], { rng: new Rng(7) })));
		const forward = ok.steps.filter((s) => s.phase === 'forward').map((s) => `${s.path}:${s.op}`);
		// How Linear is composed (transpose, matmul, add) is the engine's business; where each op ran is the point.
		expect(forward).toEqual(
			expect.arrayContaining(['attention.relu:relu', 'attention.attention:matmul', 'attention.softmax:softmax', 'attention:mul'])
		);
		expect(forward.indexOf('attention:mul')).toBe(forward.indexOf('attention.softmax:softmax') + 1);
		const failed = trace(() => new Classifier(512, 256).forward(randn([1, 2, 512], { rng: new Rng(8) })));
		expect(failed.error).toBeInstanceOf(ShapeError);
		expect(failed.steps.at(-1)?.path).toBe('attention.softmax');
	});

	test('PyTorch 1.13 fails on the same sizes, at the same dimension', () => {
		expect(loadLayerFixture('attentionModule').articleSizesError).toBe(
			'The size of tensor a (512) must match the size of tensor b (256) at non-singleton dimension 2'
		);
	});

	test('softmax(dim=1) normalises over time for [B, T, D] input', () => {
		const m = new AttentionModule(4, 4, { rng: new Rng(5) });
		const x = randn([2, 6, 4], { rng: new Rng(6) });
		const w = m.softmax.forward(m.attention.forward(m.relu.forward(x)));
		expect(w.sum(1)).toBeAllclose(1, { atol: 1e-6 });
	});
});
