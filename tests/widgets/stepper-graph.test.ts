import { describe, expect, test } from 'vitest';
import { ShapeError, ValueError, tensor, trace, withScope, zeros } from '$lib/engine';
import { buildStepGraph, errorTitle, pathPrefixes, shapesIn, type OpNode } from '$lib/widgets/stepper/graph';
import { traceSource } from '$lib/widgets/stepper/sources';
import { STEPPER_SOURCES } from '$lib/notebook/widgets';
import { buildModel, buildPreviewData } from '$lib/lab/build';
import { defaultConfig } from '$lib/lab/config';
import { fitView } from '$lib/widgets/stepper/layout';

describe('traceSource on a model with no weights', () => {
	test.each(['copy-last', 'linear'])('the %s generator traces forward to its loss, with no error and no backward pass', (variant) => {
		const config = defaultConfig('generation', variant);
		const model = buildModel(config);
		expect(model.parameters()).toEqual([]);
		const batch = buildPreviewData(config).getBatch([0]);
		const traced = traceSource('generation', { task: 'generation', model, batch });
		expect(traced.trace.error).toBeNull();
		expect(Number.isFinite(traced.trace.result)).toBe(true);
		const g = buildStepGraph(traced.trace, traced.names);
		expect(g.error).toBeNull();
		expect(g.steps.length).toBeGreaterThan(0);
		expect(g.steps.every((s) => s.phase === 'forward')).toBe(true);
		expect(traced.caption).toMatch(/no weights, so there is no backward pass/);
	});
});

describe('buildStepGraph', () => {
	test('has one node per forward op, a leaf per outside tensor, and edges along the data flow', () => {
		const w = tensor(
			[
				[1, 2],
				[3, 4]
			],
			{ requiresGrad: true }
		);
		const x = tensor([[1], [-1]]);
		const t = trace(() =>
			withScope('layer', () => w.matmul(x).relu())
				.sum()
				.backward()
		);
		const g = buildStepGraph(
			t,
			new Map([
				[w.id, 'w'],
				[x.id, 'x']
			])
		);
		const ops = g.nodes.filter((n): n is OpNode => n.kind === 'op');
		expect(ops.map((n) => `${n.path}:${n.op}`)).toEqual(['layer:matmul', 'layer:relu', ':sum']);
		expect(g.nodes.filter((n) => n.kind === 'leaf').map((n) => (n.kind === 'leaf' ? n.name : ''))).toEqual(['w', 'x']);
		const [matmul, relu, sum] = ops.map((n) => n.id);
		expect(g.edges.map((e) => `${e.from}>${e.to}`)).toEqual([
			`t${w.id}>${matmul}`,
			`t${x.id}>${matmul}`,
			`${matmul}>${relu}`,
			`${relu}>${sum}`
		]);
		expect(g.clusters).toEqual(['layer']);
	});

	test('steps through every forward op in order, then every backward op from the loss back', () => {
		const a = tensor([0.5, -2], { requiresGrad: true });
		const t = trace(() => a.mul(3).exp().sum().backward());
		const g = buildStepGraph(t);
		expect(g.steps.map((s) => s.phase)).toEqual(['forward', 'forward', 'forward', 'backward', 'backward', 'backward']);
		const nodeOf = (id: string) => g.nodes.find((n) => n.id === id) as OpNode;
		expect(g.steps.map((s) => nodeOf(s.nodeId).op)).toEqual(['mul', 'exp', 'sum', 'sum', 'exp', 'mul']);
		// Each backward step points at the node whose output its gradient belongs to.
		for (const s of g.steps) if (s.phase === 'backward') expect(t.steps[nodeOf(s.nodeId).traceIndex].op).toBe(t.steps[s.traceIndex].op);
	});

	test('a failing op becomes an error node fed by the ops whose output shapes its message names, and the last step', () => {
		const t = trace(() => {
			const x = zeros([2, 3, 8]).relu();
			const w = zeros([2, 3, 4]).exp();
			return withScope('attention', () => x.mul(w));
		});
		const g = buildStepGraph(t);
		expect(g.error?.op).toBe('mul');
		expect(g.error?.path).toBe('attention');
		expect(g.steps.at(-1)).toEqual({ phase: 'error', nodeId: 'error' });
		expect(g.edges.filter((e) => e.to === 'error').map((e) => e.from)).toEqual(['op0', 'op1']);
		expect(errorTitle(g.error!)).toBe('mul in attention failed with a shape error');
	});

	test('an error of another kind is titled by its class and message, not as a shape error', () => {
		const t = trace(() => {
			zeros([2]).relu();
			throw new ValueError('the learning rate must be positive, got -1');
		});
		const g = buildStepGraph(t);
		expect(g.error).toMatchObject({ op: 'ValueError', shape: false });
		expect(errorTitle(g.error!)).toBe('ValueError: the learning rate must be positive, got -1');
	});

	test('reads shapes out of an error message and lists a path with its ancestors', () => {
		expect(shapesIn('mul: cannot broadcast [2,16,512] with [2,16,256] at dim 2; [] too')).toEqual([[2, 16, 512], [2, 16, 256], []]);
		expect(pathPrefixes('blocks.0.attn')).toEqual(['blocks', 'blocks.0', 'blocks.0.attn']);
		expect(pathPrefixes('')).toEqual([]);
	});
});

describe('traceSource', () => {
	test('the MLP runs forward then backward with named parameters and a readable number of ops', () => {
		const { trace: t, names } = traceSource('mlp');
		expect(t.error).toBeNull();
		const g = buildStepGraph(t, names);
		const leafNames = g.nodes.flatMap((n) => (n.kind === 'leaf' ? [n.name] : []));
		expect(leafNames).toEqual(expect.arrayContaining(['x', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'target']));
		const forward = g.steps.filter((s) => s.phase === 'forward').length;
		expect(forward).toBeLessThan(20);
		expect(g.steps.filter((s) => s.phase === 'backward').length).toBeGreaterThan(0);
		expect(g.steps.findIndex((s) => s.phase === 'backward')).toBe(forward);
	});

	test('the attention module runs and its multiply is in the attention path', () => {
		const { trace: t } = traceSource('attention-module');
		expect(t.error).toBeNull();
		expect(t.steps.some((s) => s.phase === 'forward' && s.op === 'softmax' && s.path === 'softmax')).toBe(true);
	});

	test.each(['article-classifier', 'article-tracker', 'article-generator'] as const)(
		'%s stops at the failing op with a ShapeError and its hint, after the steps before it',
		(source) => {
			const { trace: t, names } = traceSource(source);
			expect(t.error).toBeInstanceOf(ShapeError);
			const g = buildStepGraph(t, names);
			expect(g.steps.at(-1)?.phase).toBe('error');
			expect(g.steps.filter((s) => s.phase === 'backward')).toEqual([]);
			expect(g.error?.hint.length).toBeGreaterThan(10);
			expect(g.error?.message).not.toMatch(/Hint:/);
			expect(g.edges.some((e) => e.to === 'error')).toBe(true);
		}
	);

	test('a task source traces the lab model on one clip and leaves the model gradients untouched', () => {
		const config = defaultConfig('classification');
		const model = buildModel(config);
		const batch = buildPreviewData(config).getBatch([0]);
		const { trace: t, names } = traceSource('classification', { task: 'classification', model, batch });
		expect(t.error).toBeNull();
		expect(model.parameters().every((p) => p.grad === null)).toBe(true);
		expect([...names.values()]).toEqual(expect.arrayContaining(['batch.clips', 'batch.labels']));
	});

	test('a task source without a model says what it needs', () => {
		expect(() => traceSource('tracking')).toThrow('the tracking source needs a tracking model and batch');
	});

	test('every registered source except the task ones traces without a page', () => {
		for (const s of STEPPER_SOURCES)
			if (!['classification', 'tracking', 'generation'].includes(s)) expect(traceSource(s).trace.steps.length).toBeGreaterThan(0);
	});
});

describe('layoutStepGraph', () => {
	test('places every node, routes every edge and boxes every module path, with data flowing down', async () => {
		const { layoutStepGraph } = await import('$lib/widgets/stepper/layout');
		const { trace: t, names } = traceSource('attention-module');
		const g = buildStepGraph(t, names);
		const l = layoutStepGraph(g);
		expect(l.nodes.length).toBe(g.nodes.length);
		expect(l.nodes.every((n) => Number.isFinite(n.x) && Number.isFinite(n.y) && n.x >= 0 && n.y >= 0)).toBe(true);
		expect(l.edges.every((e) => e.points.length >= 2)).toBe(true);
		for (const e of g.edges) expect(l.byId.get(e.to)!.y).toBeGreaterThan(l.byId.get(e.from)!.y);
		expect(l.clusters.map((c) => c.path)).toEqual(g.clusters);
		for (const n of l.nodes) {
			if (n.node.kind !== 'op' || !n.node.path) continue;
			const box = l.clusters.find((c) => c.path === (n.node as OpNode).path)!;
			expect(n.x).toBeGreaterThan(box.x);
			expect(n.x).toBeLessThan(box.x + box.width);
		}
	});
});

describe('fitView', () => {
	// The box under the zoom buttons of a 487 × 340 graph view.
	const box = { left: 8, top: 40, right: 479, bottom: 332 };

	test.each([
		['a tall graph', { width: 381, height: 938 }],
		['a wide one', { width: 2000, height: 300 }],
		['a huge one', { width: 2350, height: 5630 }]
	])('puts %s wholly inside the box, centred, touching it on the side that limits it', (_, size) => {
		const v = fitView(size, box)!;
		const [x0, x1, y0, y1] = [v.x, v.x + size.width * v.k, v.y, v.y + size.height * v.k];
		expect(x0).toBeGreaterThanOrEqual(box.left - 1e-9);
		expect(x1).toBeLessThanOrEqual(box.right + 1e-9);
		expect(y0).toBeGreaterThanOrEqual(box.top - 1e-9);
		expect(y1).toBeLessThanOrEqual(box.bottom + 1e-9);
		expect(x0 - box.left).toBeCloseTo(box.right - x1, 9);
		expect(y0 - box.top).toBeCloseTo(box.bottom - y1, 9);
		expect(Math.min(x0 - box.left, y0 - box.top)).toBeCloseTo(0, 9);
	});

	test('never enlarges a small graph, and gives no view while the box has no room (not measured, or hidden)', () => {
		expect(fitView({ width: 100, height: 50 }, box)!.k).toBe(1);
		expect(fitView({ width: 100, height: 50 }, { ...box, right: -8 })).toBeNull();
		expect(fitView({ width: 100, height: 50 }, { ...box, bottom: 30 })).toBeNull();
	});
});
