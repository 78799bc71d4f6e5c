import { describe, expect, it, test } from 'vitest';
import { Rng, ShapeError, gradcheck, randn, tensor, trace, withScope, zeros } from '../../src/lib/engine/index';
import { Linear } from '../../src/lib/nn/index';

describe('trace', () => {
	it('records forward ops in order, then backward ops in reverse, with shapes and values', () => {
		const w = tensor(
			[
				[1, 2],
				[3, 4]
			],
			{ requiresGrad: true }
		);
		const x = tensor([[1], [1]]);
		const t = trace(() => {
			const y = withScope('layer', () => w.matmul(x).relu());
			const loss = y.sum();
			loss.backward();
			return loss.item();
		});
		expect(t.error).toBeNull();
		expect(t.result).toBe(10);
		expect(t.steps.map((s) => `${s.phase}:${s.op}`)).toEqual([
			'forward:matmul',
			'forward:relu',
			'forward:sum',
			'backward:sum',
			'backward:relu',
			'backward:matmul'
		]);
		const first = t.steps[0];
		if (first.phase !== 'forward') throw new Error('expected a forward step');
		expect(first.path).toBe('layer');
		expect(first.inputs.map((i) => i.shape)).toEqual([
			[2, 2],
			[2, 1]
		]);
		expect(Array.from(first.output.values)).toEqual([3, 7]);
		expect(first.tex.length).toBeGreaterThan(0);
		const last = t.steps[5];
		if (last.phase !== 'backward') throw new Error('expected a backward step');
		expect(Array.from(last.gradInputs[0]!.values)).toEqual([1, 1, 1, 1]);
		expect(last.gradInputs[1]).toBeNull();
		expect(last.outputId).toBe(first.output.id);
	});

	it('links each step to the tensors it used by id', () => {
		const a = tensor([1, 2], { requiresGrad: true });
		const t = trace(() => a.mul(2).exp().sum());
		const [mul, exp] = t.steps;
		if (mul.phase !== 'forward' || exp.phase !== 'forward') throw new Error('expected forward steps');
		expect(exp.inputs[0].id).toBe(mul.output.id);
		expect(mul.inputs[0].id).toBe(a.id);
	});

	it('stops at a failing op and returns the error with the steps before it', () => {
		const t = trace(() =>
			withScope('attention', () =>
				zeros([2, 16, 512])
					.relu()
					.mul(zeros([2, 16, 256]))
			)
		);
		expect(t.steps.map((s) => s.op)).toEqual(['relu']);
		expect(t.error).toBeInstanceOf(ShapeError);
		expect(t.error?.message).toBe('attention → mul: cannot broadcast [2,16,512] with [2,16,256] at dim 2 (512 vs 256)');
	});

	it('does not record outside of a trace', () => {
		const t = trace(() => 1);
		tensor([1]).add(1);
		expect(t.steps).toEqual([]);
	});
});

describe('gradcheck', () => {
	it('passes for a correct gradient and reports one entry per input that requires grad', () => {
		const x = tensor([0.5, -1.2, 2], { requiresGrad: true });
		const w = tensor([1.5, 0.3, -0.7], { requiresGrad: true });
		const c = tensor([1, 2, 3]);
		const report = gradcheck((a, b, k) => a.tanh().mul(b).add(k).exp(), [x, w, c]);
		expect(report.ok).toBe(true);
		expect(report.inputs.map((r) => r.index)).toEqual([0, 1]);
		expect(report.inputs.every((r) => r.maxAbsError < 1e-7)).toBe(true);
	});

	it('fails for a wrong gradient and names the worst element', () => {
		const x = tensor([0.5, -1.2, 2], { requiresGrad: true });
		// detach hides x's second use from autograd, so the engine's gradient is wrong on purpose.
		const report = gradcheck((a) => a.mul(a.detach()), [x]);
		expect(report.ok).toBe(false);
		expect(report.summary).toMatch(/^input 0: element \d analytic .* vs numeric .*/);
	});
});

describe('trace formulas follow the op attributes', () => {
	test('a Linear layer records matmul with its weight transposed, forward and backward', () => {
		const layer = new Linear(3, 2, { rng: new Rng(0) });
		const { steps } = trace(() =>
			layer
				.forward(randn([4, 3], { rng: new Rng(1) }))
				.sum()
				.backward()
		);
		const forward = steps.find((s) => s.phase === 'forward' && s.op === 'matmul');
		const backward = steps.find((s) => s.phase === 'backward' && s.op === 'matmul');
		expect(forward?.tex).toContain('B^{\\top}');
		expect(forward?.tex).toContain('B_{jk}');
		expect(backward?.tex).toBe('\\bar A = \\bar Y B,\\quad \\bar B = \\bar Y^{\\top} A');
	});
});
