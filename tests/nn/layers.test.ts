import { describe, expect, test } from 'vitest';
import { Rng, ShapeError, ValueError, manualSeed, ones, randn, tensor, zeros, type Tensor } from '$lib/engine';
import { Conv2d, Dropout, Embedding, GELU, LayerNorm, Linear, MaxPool2d, Module, ReLU, Sequential, Softmax } from '$lib/nn';

const seeded = (seed: number) => ({ rng: new Rng(seed) });
const maxAbs = (t: Tensor) => Math.max(...t.data.map(Math.abs));

describe('constructors', () => {
	test.each([
		['Linear(0, 3)', () => new Linear(0, 3), 'Linear: inFeatures must be a positive integer, got 0'],
		['Linear(4, 2.5)', () => new Linear(4, 2.5), 'Linear: outFeatures must be a positive integer, got 2.5'],
		['Conv2d(3, 8, 0)', () => new Conv2d(3, 8, 0), 'Conv2d: kernelSize[0] must be a positive integer, got 0'],
		['Conv2d stride 0', () => new Conv2d(3, 8, 3, { stride: [1, 0] }), 'Conv2d: stride[1] must be a positive integer, got 0'],
		['Conv2d padding −1', () => new Conv2d(3, 8, 3, { padding: -1 }), 'Conv2d: padding[0] must be a non-negative integer, got -1'],
		['MaxPool2d(0)', () => new MaxPool2d(0), 'MaxPool2d: kernelSize[0] must be a positive integer, got 0'],
		['LayerNorm(0)', () => new LayerNorm(0), 'LayerNorm: normalizedShape[0] must be a positive integer, got 0'],
		['LayerNorm([])', () => new LayerNorm([]), 'LayerNorm: normalizedShape must name at least one dimension'],
		['LayerNorm eps −1', () => new LayerNorm(4, { eps: -1 }), 'LayerNorm: eps must be a finite number ≥ 0, got -1'],
		['Embedding(-1, 4)', () => new Embedding(-1, 4), 'Embedding: numEmbeddings must be a positive integer, got -1'],
		['Dropout(1.5)', () => new Dropout(1.5), 'Dropout: p must be a probability in [0, 1], got 1.5'],
		['Softmax(0.5)', () => new Softmax(0.5), 'Softmax: dim must be an integer, got 0.5']
	])('%s is refused with a clear message', (_, make, message) => {
		expect(make).toThrowError(ValueError);
		expect(make).toThrowError(message);
	});
});

describe('initialisation', () => {
	test('Linear and Conv2d draw weights and biases within ±1/√fan_in, reproducibly from a seed', () => {
		const fc = new Linear(16, 4, seeded(7));
		expect(maxAbs(fc.weight)).toBeLessThanOrEqual(1 / 4);
		expect(maxAbs(fc.bias!)).toBeLessThanOrEqual(1 / 4);
		expect(new Linear(16, 4, seeded(7)).weight.data).toEqual(fc.weight.data);
		expect(new Linear(16, 4, seeded(8)).weight.data).not.toEqual(fc.weight.data);
		const conv = new Conv2d(2, 3, 3, seeded(0));
		expect(maxAbs(conv.weight)).toBeLessThanOrEqual(1 / Math.sqrt(18));
		expect(maxAbs(conv.bias!)).toBeLessThanOrEqual(1 / Math.sqrt(18));
	});

	test('without an rng, layers draw from the engine default generator, which manualSeed resets', () => {
		manualSeed(3);
		const a = new Linear(4, 4).weight.data;
		manualSeed(3);
		expect(new Linear(4, 4).weight.data).toEqual(a);
	});

	test('resetParameters redraws in place, keeping the same Parameter objects', () => {
		const fc = new Linear(8, 8, seeded(0));
		const [w, before] = [fc.weight, fc.weight.data.slice()];
		fc.resetParameters(new Rng(1));
		expect(fc.weight).toBe(w);
		expect(fc.weight.data).not.toEqual(before);
	});

	test('LayerNorm starts at ones and zeros; Embedding at standard normal', () => {
		const ln = new LayerNorm([2, 3]);
		expect(ln.weight?.toArray()).toEqual([
			[1, 1, 1],
			[1, 1, 1]
		]);
		expect(ln.bias?.toArray()).toEqual([
			[0, 0, 0],
			[0, 0, 0]
		]);
		const emb = new Embedding(100, 50, seeded(0)).weight;
		const mean = emb.mean().item();
		expect(Math.abs(mean)).toBeLessThan(0.05);
		expect(Math.abs(emb.sub(mean).square().mean().item() - 1)).toBeLessThan(0.05);
	});
});

describe('forward', () => {
	test('Linear maps the last dim and names the mismatch when the input does not end in inFeatures', () => {
		const fc = new Linear(4, 3, seeded(0));
		expect(fc.forward(zeros([2, 5, 4])).shape).toEqual([2, 5, 3]);
		expect(() => fc.forward(zeros([2, 5]))).toThrowError(ShapeError);
		expect(() => fc.forward(zeros([2, 5]))).toThrowError('linear: input [2,5] must end in inFeatures = 4, but its last dim is 5');
	});

	test('Conv2d and MaxPool2d give the documented output sizes', () => {
		const conv = new Conv2d(3, 8, 3, { stride: 2, padding: 1, ...seeded(0) });
		expect(conv.forward(zeros([2, 3, 9, 9])).shape).toEqual([2, 8, 5, 5]);
		expect(new MaxPool2d(2).forward(zeros([1, 8, 6, 6])).shape).toEqual([1, 8, 3, 3]);
		expect(new MaxPool2d([3, 2], { stride: 1 }).forward(zeros([1, 1, 4, 4])).shape).toEqual([1, 1, 2, 3]);
	});

	test('LayerNorm normalises each sample to mean 0 and (population) variance 1', () => {
		const y = new LayerNorm(6).forward(randn([3, 4, 6], seeded(1)).mul(5).add(2));
		expect(y.mean(-1)).toBeAllclose(0, { atol: 1e-5 });
		expect(y.var(-1, false, 0)).toBeAllclose(1, { atol: 1e-4 });
		expect(() => new LayerNorm([4, 6]).forward(zeros([3, 5, 6]))).toThrowError(
			'layerNorm: input [3,5,6] must end in normalizedShape [4,6]'
		);
	});

	test('Embedding looks up rows for indices of any shape and refuses out-of-range ones', () => {
		const emb = new Embedding(5, 3, seeded(0));
		const out = emb.forward(
			tensor([
				[4, 0],
				[2, 2]
			])
		);
		expect(out.shape).toEqual([2, 2, 3]);
		expect(out.select(0, 1).select(0, 0).toArray()).toEqual(emb.weight.select(0, 2).toArray());
		expect(() => emb.forward(tensor([1, 5]))).toThrowError(ValueError);
		expect(() => emb.forward(tensor([[1], [5]]))).toThrowError(
			'Embedding: index 5 (element 1 of an index tensor of shape [2,1]) is out of range; expected an integer in [0, 5)'
		);
		expect(() => emb.forward(tensor([1.5]))).toThrowError('index 1.5');
	});
});

describe('Dropout', () => {
	test('in training mode zeroes about p of the values and scales the rest by 1/(1−p)', () => {
		const y = new Dropout(0.25, seeded(0)).forward(ones([4000]));
		const zerosFraction = y.data.filter((v) => v === 0).length / y.size;
		expect(Math.abs(zerosFraction - 0.25)).toBeLessThan(0.03);
		expect(y.data.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
	});

	test('in eval mode is the identity', () => {
		const x = randn([3, 4], seeded(1));
		expect(new Dropout(0.5).eval().forward(x).data).toEqual(x.data);
	});

	test('draws the same mask from the same seed', () => {
		expect(new Dropout(0.5, seeded(2)).forward(ones([32])).data).toEqual(new Dropout(0.5, seeded(2)).forward(ones([32])).data);
	});

	test('train() and eval() reach a Dropout nested in a Sequential', () => {
		const net = new Sequential(new Linear(4, 4, seeded(0)), new Dropout(0.9, seeded(1)));
		const x = ones([8, 4]);
		expect(net.eval().forward(x)).toBeAllclose(net.at(0).forward(x));
		expect(
			net
				.train()
				.forward(x)
				.data.filter((v) => v === 0).length
		).toBeGreaterThan(0);
	});
});

describe('Sequential', () => {
	test('names children by position, as torch.nn.Sequential', () => {
		const net = new Sequential(new Linear(4, 8, seeded(0)), new ReLU(), new Linear(8, 2, seeded(1)));
		expect([...net.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
		expect(net.length).toBe(3);
		expect(net.at(-1)).toBeInstanceOf(Linear);
		expect(() => net.at(3)).toThrowError('Sequential.at: index 3 is out of range for 3 modules');
	});

	test('a shape error inside says which step failed, under the parent’s name', () => {
		class Model extends Module {
			head = new Sequential(new Linear(4, 8, seeded(0)), new GELU(), new Linear(6, 2, seeded(1)));
			forward(x: Tensor): Tensor {
				return this.head.forward(x);
			}
		}
		expect(() => new Model().forward(zeros([1, 4]))).toThrowError('head.2 → linear: input [1,8] must end in inFeatures = 6');
		expect([...new Model().stateDict().keys()]).toEqual(['head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias']);
	});

	test('prints as PyTorch prints it', () => {
		expect(String(new Sequential(new Linear(2, 3, { bias: false }), new Softmax(-1)))).toBe(
			'Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=False)\n  (1): Softmax(dim=-1)\n)'
		);
	});
});
