import { describe, expect, test } from 'vitest';
import { Rng, tensor, trace, dropout, type BackwardStep, type ForwardStep } from '$lib/engine';
import { checkStep, samplePositions } from '$lib/widgets/stepper/check';
import { buildStepGraph, forwardOf } from '$lib/widgets/stepper/graph';
import { traceSource } from '$lib/widgets/stepper/sources';
import { backwardTex, forwardTex, broadcastFlat, num } from '$lib/widgets/stepper/plug';
import { buildModel, buildPreviewData } from '$lib/lab/build';
import { defaultConfig } from '$lib/lab/config';

function pairs(t: ReturnType<typeof traceSource>['trace']): [ForwardStep, BackwardStep][] {
	const g = buildStepGraph(t);
	return g.steps.flatMap((ref) => {
		const s = t.steps[ref.phase === 'error' ? -1 : ref.traceIndex];
		const f = forwardOf(t, g, ref);
		return s?.phase === 'backward' && f ? [[f, s] as [ForwardStep, BackwardStep]] : [];
	});
}

describe('checkStep', () => {
	test.each(['mlp', 'attention-module'] as const)('passes on every backward op of the %s source', (source) => {
		const steps = pairs(traceSource(source).trace);
		expect(steps.length).toBeGreaterThan(3);
		for (const [f, b] of steps) {
			const r = checkStep(f, b);
			expect(r.status, `${b.op}: ${r.summary}`).not.toBe('fail');
		}
		expect(steps.filter(([f, b]) => checkStep(f, b).status === 'pass').length).toBeGreaterThan(steps.length / 2);
	});

	test.each(['classification', 'tracking', 'generation'] as const)(
		'passes on every backward op of the %s model, sampling large tensors',
		(task) => {
			const config = defaultConfig(task);
			const model = buildModel(config);
			const batch = buildPreviewData(config).getBatch([0]);
			const steps = pairs(traceSource(task, { task, model, batch }).trace);
			let passed = 0;
			for (const [f, b] of steps) {
				const r = checkStep(f, b, { samples: 6 });
				expect(r.status, `${b.path}:${b.op}: ${r.summary}`).not.toBe('fail');
				for (const c of r.inputs) expect(c.checked + c.kinks).toBeLessThanOrEqual(6);
				if (r.status === 'pass') passed++;
			}
			expect(passed).toBeGreaterThan(steps.length * 0.8);
		}
	);

	test('fails on a deliberately wrong backward and names the entry', () => {
		const a = tensor([0.5, -1.5, 2], { requiresGrad: true });
		const t = trace(() => a.tanh().sum().backward());
		const [f, , , b] = t.steps as [ForwardStep, ForwardStep, BackwardStep, BackwardStep];
		expect(checkStep(f, b).status).toBe('pass');
		const wrong: BackwardStep = {
			...b,
			gradInputs: [{ ...b.gradInputs[0]!, values: b.gradInputs[0]!.values.map((v, i) => (i === 1 ? v * 2 : v)) }]
		};
		const r = checkStep(f, wrong);
		expect(r.status).toBe('fail');
		expect(r.summary).toMatch(/^input 0\[1\]: engine .* vs finite differences/);
	});

	test('skips entries at a kink instead of failing them', () => {
		const a = tensor([0, 1, -1], { requiresGrad: true });
		const t = trace(() => a.relu().sum().backward());
		const [f, , , b] = t.steps as [ForwardStep, ForwardStep, BackwardStep, BackwardStep];
		const r = checkStep(f, b);
		expect(r.status).toBe('pass');
		expect(r.inputs[0]).toMatchObject({ checked: 2, kinks: 1 });
	});

	test('replays dropout from its recorded mask', () => {
		const a = tensor([1, 2, 3, 4, 5, 6], { requiresGrad: true });
		const t = trace(() =>
			dropout(a, 0.5, { training: true, rng: new Rng(1) })
				.sum()
				.backward()
		);
		const f = t.steps[0] as ForwardStep;
		expect(f.op).toBe('dropout');
		expect((f.attrs.mask as number[]).length).toBe(6);
		const b = t.steps.find((s): s is BackwardStep => s.phase === 'backward' && s.op === 'dropout')!;
		expect(checkStep(f, b).status).toBe('pass');
	});

	test('samples distinct positions, all of them when the tensor is small', () => {
		expect(samplePositions(5, 12, new Rng(0))).toEqual([0, 1, 2, 3, 4]);
		const s = samplePositions(1000, 12, new Rng(0));
		expect(new Set(s).size).toBe(12);
		expect(s.every((i) => i >= 0 && i < 1000)).toBe(true);
	});
});

describe('plugged-in formulas', () => {
	test('a broadcast multiply shows both operands at the largest output element', () => {
		const a = tensor(
			[
				[1, -3],
				[2, 0.5]
			],
			{ requiresGrad: true }
		);
		const b = tensor([2, 4]);
		const t = trace(() => a.mul(b).sum().backward());
		const f = t.steps[0] as ForwardStep;
		expect(forwardTex(f)).toBe('\\begin{aligned} y_{[0,1]} &= a_{[0,1]} \\odot b_{[1]} \\\\ &= (-3) \\cdot 4 \\\\ &= -12 \\end{aligned}');
		const back = t.steps.find((s): s is BackwardStep => s.phase === 'backward' && s.op === 'mul')!;
		expect(backwardTex(f, back)).toBe('\\begin{aligned} \\bar y_{[0,1]} &= 1 \\\\ \\bar a_{[0,1]} &= 4 \\end{aligned}');
	});

	test('matmul writes out its first products; a unary op its local derivative', () => {
		const A = tensor(
			[
				[0.1, 0.2],
				[0.3, 0.4]
			],
			{ requiresGrad: true }
		);
		const t = trace(() =>
			A.matmul(tensor([[1], [1]]))
				.tanh()
				.sum()
				.backward()
		);
		expect(forwardTex(t.steps[0] as ForwardStep)).toContain(
			'Y_{[1,0]} &= \\sum_{k<2} A_{1k} B_{k0} \\\\ &= 0.3 \\cdot 1 + 0.4 \\cdot 1 \\\\ &= 0.7'
		);
		const tanhBack = t.steps.find((s): s is BackwardStep => s.phase === 'backward' && s.op === 'tanh')!;
		const tex = backwardTex(t.steps[1] as ForwardStep, tanhBack);
		const y = Math.tanh(0.7);
		expect(tex).toContain('\\bar x_{[1,0]} &= \\bar y_{[1,0]} \\cdot (1 - y_{[1,0]}^2) = 1 \\cdot ');
		expect(tex).toContain(`= 1 \\cdot ${num(1 - y * y)}`);
	});

	test('a permute names the element it moved', () => {
		const a = tensor(
			[
				[1, 2, 3],
				[4, 5, 9]
			],
			{ requiresGrad: true }
		);
		const t = trace(() => a.permute([1, 0]));
		expect(forwardTex(t.steps[0] as ForwardStep)).toBe('\\begin{aligned} y_{[2,1]} &= x_{[1,2]} \\\\ &= 9 \\end{aligned}');
	});

	test('broadcast positions drop size-1 and missing leading dims', () => {
		expect(broadcastFlat([1, 2, 3], [4])).toBe(3);
		expect(broadcastFlat([1, 2, 3], [3, 1])).toBe(2);
	});
});
