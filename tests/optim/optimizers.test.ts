import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '$lib/engine/index';
import { Adam, AdamW, SGD, type Optimizer } from '$lib/optim/index';
import { expectClose, loadFixture } from './fixtures';

interface OptimFixture {
	shapes: number[][];
	params: number[][];
	grads: (number[] | null)[][];
	cases: { name: string; optimizer: 'SGD' | 'Adam' | 'AdamW'; options: Record<string, unknown>; after: Record<string, number[][]> }[];
}

const fixture = loadFixture<OptimFixture>('optim/optimizers.json');

function makeParams(): Tensor[] {
	return fixture.params.map((data, i) => tensor(data, { shape: fixture.shapes[i], requiresGrad: true }));
}

function makeOptimizer(kind: string, params: Tensor[], options: Record<string, unknown>): Optimizer {
	if (kind === 'SGD') return new SGD(params, options as never);
	if (kind === 'Adam') return new Adam(params, options as never);
	return new AdamW(params, options as never);
}

function setGrads(params: Tensor[], step: number): void {
	params.forEach((p, i) => {
		const g = fixture.grads[step][i];
		p.grad = g === null ? null : tensor(g, { shape: p.shape });
	});
}

describe('optimizers match torch.optim (float32, 1e-6)', () => {
	for (const c of fixture.cases) {
		it(`${c.name}: parameters after steps 1 and 3 match PyTorch`, () => {
			const params = makeParams();
			const opt = makeOptimizer(c.optimizer, params, c.options);
			for (let step = 0; step < 3; step++) {
				setGrads(params, step);
				opt.step();
				const want = c.after[String(step + 1)];
				if (want) params.forEach((p, i) => expectClose(p.data, want[i], `${c.name}, step ${step + 1}, param ${i}`));
			}
		});
	}
});

describe('optimizer state dicts', () => {
	it('resuming from a saved state gives the same parameters as never stopping', () => {
		for (const c of fixture.cases) {
			const straight = makeParams();
			const optA = makeOptimizer(c.optimizer, straight, c.options);
			const resumed = makeParams();
			const optB = makeOptimizer(c.optimizer, resumed, c.options);
			setGrads(straight, 0);
			optA.step();
			setGrads(resumed, 0);
			optB.step();
			const saved = optB.stateDict();
			const fresh = makeOptimizer(c.optimizer, resumed, { ...c.options, lr: 123 });
			fresh.loadStateDict(saved);
			for (let step = 1; step < 3; step++) {
				setGrads(straight, step);
				optA.step();
				setGrads(resumed, step);
				fresh.step();
			}
			straight.forEach((p, i) => expect([...resumed[i].data], c.name).toEqual([...p.data]));
		}
	});

	it('a snapshot does not change when training continues', () => {
		const params = makeParams();
		const opt = new Adam(params, { lr: 0.1 });
		setGrads(params, 0);
		opt.step();
		const snap = opt.stateDict();
		const before = [...snap.state.get('0.exp_avg')!.data];
		setGrads(params, 2);
		opt.step();
		expect([...snap.state.get('0.exp_avg')!.data]).toEqual(before);
		expect(snap.state.get('0.step')!.item()).toBe(1);
	});

	it('keys follow PyTorch buffer names and skip parameters that never had a gradient', () => {
		const params = makeParams();
		const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
		params[0].grad = tensor(new Float32Array(params[0].size), { shape: params[0].shape });
		opt.step();
		expect([...opt.stateDict().state.keys()]).toEqual(['0.momentum_buffer']);
	});

	it('refuses a state of the wrong optimizer, shape or buffer set, changing nothing', () => {
		const params = makeParams();
		const adam = new Adam(params, { lr: 0.1 });
		setGrads(params, 0);
		adam.step();
		const sd = adam.stateDict();
		const sgd = new SGD(params, { lr: 0.5 });
		expect(() => sgd.loadStateDict(sd)).toThrow(/state is from Adam, not SGD/);
		expect(sgd.lr).toBe(0.5);

		const badShape = { ...sd, state: new Map(sd.state).set('0.exp_avg', new Tensor(new Float32Array(2), [2])) };
		const other = new Adam(params, { lr: 0.3 });
		expect(() => other.loadStateDict(badShape)).toThrow('0.exp_avg: state has shape [2], parameter 0 needs [3,4]');
		expect(other.lr).toBe(0.3);

		const missing = new Map(sd.state);
		missing.delete('1.exp_avg_sq');
		expect(() => other.loadStateDict({ ...sd, state: missing })).toThrow(
			'parameter 1: state has buffers [exp_avg, step], Adam needs [exp_avg, exp_avg_sq, step]'
		);
		expect(() => other.loadStateDict({ ...sd, state: new Map(sd.state).set('7.exp_avg', sd.state.get('0.exp_avg')!) })).toThrow(
			'7.exp_avg: not a buffer of one of the 3 parameters'
		);
		expect(other.stateDict().state.size).toBe(0);
	});
});

describe('optimizer arguments', () => {
	it('rejects what torch.optim rejects', () => {
		const p = [tensor([1, 2], { requiresGrad: true })];
		expect(() => new SGD(p, { lr: -1 })).toThrow('SGD: lr must be a finite number ≥ 0, got -1');
		expect(() => new SGD(p, { lr: 0.1, nesterov: true })).toThrow('nesterov momentum needs momentum > 0 and dampening = 0');
		expect(() => new Adam(p, { betas: [0.9, 1] })).toThrow('Adam: betas[1] must be in [0, 1), got 1');
		expect(() => new AdamW([...p, p[0]])).toThrow('a parameter appears more than once');
		expect(() => new SGD([tensor([1])], { lr: 0.1 })).toThrow('parameter 0 of shape [1] does not require grad');
	});

	it('AdamW decays weights by default and Adam does not', () => {
		expect(new AdamW([tensor([1], { requiresGrad: true })]).hyper.weightDecay).toBe(0.01);
		expect(new Adam([tensor([1], { requiresGrad: true })]).hyper.weightDecay).toBe(0);
	});

	it('zeroGrad clears every gradient and step skips parameters without one', () => {
		const params = makeParams();
		const opt = new SGD(params, { lr: 0.1 });
		setGrads(params, 0);
		opt.zeroGrad();
		expect(params.every((p) => p.grad === null)).toBe(true);
		opt.step();
		params.forEach((p, i) => expect([...p.data]).toEqual([...new Float32Array(fixture.params[i])]));
	});
});
