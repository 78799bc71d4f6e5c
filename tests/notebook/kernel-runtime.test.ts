import { describe, expect, test } from 'vitest';
import { Tensor } from '$lib/engine';
import { fail, pass, type LessonChecks } from '$lib/notebook/exercises';
import type { CellOutput, KernelEvent, Lang } from '$lib/notebook/kernel/protocol';
import { KernelRuntime } from '$lib/notebook/kernel/runtime';

const checks: LessonChecks = {
	checks: {
		'make-w': {
			check: (scope) =>
				scope.w instanceof Tensor && scope.w.shape.join() === '2,3' ? pass('w has shape [2, 3].') : fail('Make w a [2, 3] tensor.'),
			hint: 'randn([2, 3])',
			solution: 'const w = randn([2, 3])'
		},
		broken: {
			check: () => {
				throw new Error('oops');
			},
			hint: '',
			solution: ''
		}
	}
};

/** A kernel whose posted events are collected, as the page would receive them. */
function kernel() {
	const events: KernelEvent[] = [];
	const runtime = new KernelRuntime({ post: (e) => events.push(e), loadChecks: async (slug) => (slug === 'lesson' ? checks : null) });
	let runId = 0;
	async function run(code: string, lang: Lang = 'ts', silent = false) {
		const id = ++runId;
		await runtime.handle({ type: 'run', runId: id, cellId: `c${id}`, code, lang, silent });
		const mine = events.filter((e) => 'runId' in e && e.runId === id);
		const outputs = mine.flatMap((e) => (e.type === 'output' ? [e.output] : []));
		const end = mine.at(-1)!;
		return { outputs, end, error: end.type === 'error' ? end.error : null };
	}
	async function check(exerciseId: string, lessonSlug = 'lesson') {
		await runtime.handle({ type: 'check', runId: ++runId, lessonSlug, exerciseId });
		const e = events.at(-1)!;
		if (e.type !== 'checkResult') throw new Error(`expected a checkResult, got ${e.type}`);
		return e.result;
	}
	return { runtime, run, check, events };
}

const texts = (outputs: CellOutput[]) => outputs.flatMap((o) => (o.kind === 'text' ? [o.text] : []));

describe('KernelRuntime', () => {
	test('cells share variables in order and the engine is in scope', async () => {
		const k = kernel();
		expect((await k.run('const w = tensor([[1, 2], [3, 4]])')).end.type).toBe('result');
		const { outputs } = await k.run('w.sum().item()');
		expect(outputs).toEqual([{ kind: 'text', stream: 'result', text: '10' }]);
		expect(k.runtime.variables.w).toBeInstanceOf(Tensor);
	});

	test('nn, optim, train and tasks are namespaces in scope', async () => {
		const k = kernel();
		const { outputs, error } = await k.run(
			'const lin = new nn.Linear(4, 2)\nconst opt = new optim.SGD(lin.parameters(), { lr: 0.1 });\n[typeof train.Trainer, typeof tasks.video.makeClassificationDataset, typeof tasks.article.VideoClassifier]'
		);
		expect(error).toBeNull();
		expect(texts(outputs)).toEqual(["['function', 'function', 'function']"]);
	});

	test('a trailing tensor becomes a tensor output named after the expression', async () => {
		const k = kernel();
		const { outputs } = await k.run('const x = arange(6).reshape(2, 3)\nx');
		expect(outputs).toHaveLength(1);
		const [out] = outputs;
		expect(out).toMatchObject({ kind: 'tensor', name: 'x', shape: [2, 3], truncated: false, dtype: 'float32' });
		expect(out.kind === 'tensor' && Array.from(out.values)).toEqual([0, 1, 2, 3, 4, 5]);
	});

	test('console.log, show and plot stream outputs in order', async () => {
		const k = kernel();
		const { outputs } = await k.run(
			"console.log('step', 1, { loss: 0.5 })\nconsole.warn('careful')\nshow(ones([2]), 'o')\nplot([3, 1, 2], { title: 'loss' })"
		);
		expect(outputs.map((o) => o.kind)).toEqual(['text', 'text', 'tensor', 'plot']);
		expect(outputs[0]).toEqual({ kind: 'text', stream: 'stdout', text: 'step 1 { loss: 0.5 }' });
		expect(outputs[1]).toMatchObject({ stream: 'stderr', text: 'careful' });
		expect(outputs[3]).toEqual({ kind: 'plot', plot: 'line', title: 'loss', series: [{ name: '', x: [0, 1, 2], y: [3, 1, 2] }] });
	});

	test('a runtime error reports the line of the cell it happened on', async () => {
		const k = kernel();
		const { error } = await k.run('const a = randn([2, 3])\nconst b = randn([4, 5])\n\nconst c = a.mul(b)');
		expect(error).toMatchObject({ kind: 'error', name: 'ShapeError', line: 4 });
		expect(error?.message).toMatch(/mul/);
	});

	test('an error in the trailing expression, or on the first line, reports that line', async () => {
		const k = kernel();
		expect((await k.run('const q = 1\nundefinedThing + q')).error).toMatchObject({ name: 'ReferenceError', line: 2, column: 1 });
		expect((await k.run('null.x')).error).toMatchObject({ line: 1 });
	});

	test('an undefined name suggests running the earlier cell', async () => {
		const { error } = await kernel().run('weights.shape');
		expect(error?.message).toMatch(/weights is not defined.*run that cell first/);
	});

	test('a syntax error reports line and column and leaves the variables alone', async () => {
		const k = kernel();
		await k.run('const keep = 1');
		const { error } = await k.run('const a: number = 1\nconst b = (', 'ts');
		expect(error).toMatchObject({ name: 'SyntaxError', line: 2 });
		expect(k.runtime.variables).toEqual({ keep: 1 });
	});

	test('a failed cell does not change the variables', async () => {
		const k = kernel();
		await k.run('let n = 1');
		await k.run('n = 2\nconst m = 3\nthrow new Error("no")');
		expect(k.runtime.variables).toEqual({ n: 1 });
	});

	test('network and storage APIs are stubs that say they are unavailable', async () => {
		const k = kernel();
		for (const code of ["fetch('/x')", 'new XMLHttpRequest()', 'indexedDB.open("db")', "importScripts('a.js')", 'postMessage(1)']) {
			expect((await k.run(code)).error?.message).toMatch(/not available in a notebook cell/);
		}
	});

	test('thrown non-errors are reported too', async () => {
		expect((await kernel().run("throw 'plain string'")).error).toMatchObject({ name: 'Error', message: "'plain string'" });
	});

	test('a silent run posts no outputs but still updates the variables', async () => {
		const k = kernel();
		const { outputs, end } = await k.run('console.log("hi")\nconst s = 5\ns', 'ts', true);
		expect(outputs).toEqual([]);
		expect(end.type).toBe('result');
		expect(k.runtime.variables.s).toBe(5);
	});

	test('outputs stop with a notice after 500 in one run', async () => {
		const { outputs } = await kernel().run('for (let i = 0; i < 2000; i++) console.log(i)');
		expect(outputs).toHaveLength(501);
		expect(outputs.at(-1)).toMatchObject({ stream: 'stderr', text: expect.stringMatching(/stopped after 500/) });
	});

	test('unseeded random tensors repeat after a reset, so a replayed kernel gets the same values', async () => {
		const k = kernel();
		const first = await k.run('randn([3]).toArray()');
		await k.runtime.handle({ type: 'reset' });
		expect(k.runtime.variables).toEqual({});
		expect(await k.run('randn([3]).toArray()')).toEqual({ ...first, end: expect.anything() });
	});

	test('checks see the variables the cells defined', async () => {
		const k = kernel();
		expect(await k.check('make-w')).toEqual({ pass: false, message: 'Make w a [2, 3] tensor.' });
		await k.run('const w = randn([2, 3])');
		expect(await k.check('make-w')).toEqual({ pass: true, message: 'w has shape [2, 3].' });
	});

	test('a missing lesson, a missing exercise and a throwing check all fail with a reason', async () => {
		const k = kernel();
		expect((await k.check('make-w', 'nope')).message).toMatch(/"nope" has no checks\.ts/);
		expect((await k.check('missing')).message).toMatch(/no check for exercise "missing"/);
		expect(await k.check('broken')).toEqual({ pass: false, message: 'The check could not run: oops' });
	});

	test('requests are handled one at a time, even when a cell awaits', async () => {
		const k = kernel();
		const slow = k.run('await new Promise((r) => setTimeout(r, 30))\nconst late = 1');
		const next = k.run('typeof late');
		await slow;
		expect(texts((await next).outputs)).toEqual(["'number'"]);
	});
});
