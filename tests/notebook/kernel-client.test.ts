import { describe, expect, test } from 'vitest';
import { pass, type LessonChecks } from '$lib/notebook/exercises';
import { Kernel, type KernelState, type WorkerLike } from '$lib/notebook/kernel/client';
import type { KernelEvent, KernelRequest } from '$lib/notebook/kernel/protocol';
import { KernelRuntime } from '$lib/notebook/kernel/runtime';

const checks: LessonChecks = { checks: { 'has-a': { check: (s) => pass(`a is ${String(s.a)}`), hint: '', solution: '' } } };

/**
 * A Worker stand-in that runs the real kernel runtime asynchronously. Code containing HANG never
 * answers, like `while (true) {}` in a real Worker; HANG_ON_REPLAY hangs only when replayed.
 */
class FakeWorker implements WorkerLike {
	onmessage: ((e: MessageEvent<KernelEvent>) => void) | null = null;
	onerror: ((e: Event) => void) | null = null;
	terminated = false;
	readonly runtime = new KernelRuntime({ post: (e) => this.#deliver(e), loadChecks: async () => checks });

	constructor(readonly broken = false) {
		setTimeout(() => (broken ? this.onerror?.(new Event('error')) : this.#deliver({ type: 'ready' })), 1);
	}

	postMessage(msg: KernelRequest): void {
		if (msg.type === 'run' && (msg.code.includes('HANG_ON_REPLAY') ? msg.silent : msg.code.includes('HANG'))) return;
		setTimeout(() => !this.terminated && void this.runtime.handle(msg), 1);
	}

	terminate(): void {
		this.terminated = true;
	}

	#deliver(data: KernelEvent): void {
		setTimeout(() => !this.terminated && this.onmessage?.({ data } as MessageEvent<KernelEvent>), 1);
	}
}

function setup(options: { broken?: boolean; defaultTimeoutMs?: number } = {}) {
	const workers: FakeWorker[] = [];
	const kernel = new Kernel({
		lessonSlug: 'lesson',
		// Generous, so a loaded CI machine never times out a cell that should finish; tests that hang set a short limit.
		defaultTimeoutMs: options.defaultTimeoutMs ?? 5000,
		createWorker: () => {
			const w = new FakeWorker(options.broken);
			workers.push(w);
			return w;
		}
	});
	const states: KernelState[] = [];
	kernel.subscribe((s) => states.push(s));
	const run = (cellId: string, code: string, timeoutMs?: number) => kernel.run({ cellId, code, lang: 'ts', timeoutMs });
	const idle = () => new Promise<void>((resolve) => kernel.subscribe((s) => s.phase === 'idle' && resolve()));
	return { kernel, workers, states, run, idle };
}

const textOf = (r: { outputs: { kind: string; text?: string }[] }) => r.outputs.map((o) => o.text).join('|');

describe('Kernel', () => {
	test('starts its Worker on the first run and shares state between cells', async () => {
		const { run, workers } = setup();
		expect(workers).toHaveLength(0);
		expect((await run('a', 'const x = 20')).status).toBe('ok');
		expect(textOf(await run('b', 'x + 1'))).toBe('21');
		expect(workers).toHaveLength(1);
	});

	test('cells queue and run one at a time in the order asked', async () => {
		const { run, states } = setup();
		const results = await Promise.all([run('a', 'let order = ["a"]'), run('b', 'order.push("b")'), run('c', 'order.join()')]);
		expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
		expect(textOf(results[2])).toBe("'a,b'");
		expect(states.some((s) => s.queued.join() === 'b,c')).toBe(true);
	});

	test('a runaway cell times out, and the earlier cells keep their state in a fresh Worker', async () => {
		const { run, workers, states, idle } = setup();
		await run('a', 'const keep = 42');
		const runaway = await run('loop', 'HANG', 100);
		expect(runaway.status).toBe('timeout');
		expect(runaway.durationMs).toBeGreaterThanOrEqual(99);
		expect(workers[0].terminated).toBe(true);
		await idle();
		expect(textOf(await run('b', 'keep'))).toBe('42');
		expect(workers).toHaveLength(2);
		expect(states.at(-1)?.restore).toEqual({ by: 'loop', total: 1, done: 1, failed: [], active: false });
	});

	test('stop ends the running cell at once and cancels the queued ones', async () => {
		const { kernel, run } = setup();
		await run('a', 'const v = 1');
		const looping = run('loop', 'HANG');
		const queued = run('after', 'v');
		await new Promise((r) => setTimeout(r, 30));
		const before = performance.now();
		kernel.stop();
		expect((await looping).status).toBe('stopped');
		// Terminating is synchronous: the run settles without waiting for any timer.
		expect(performance.now() - before).toBeLessThan(100);
		expect((await queued).status).toBe('cancelled');
		expect(textOf(await run('again', 'v'))).toBe('1');
	});

	test('a // @timeout comment gives a cell longer than the default', async () => {
		const { run } = setup({ defaultTimeoutMs: 50 });
		const r = await run('slow', '// @timeout 200ms\nHANG');
		expect(r.status).toBe('timeout');
		expect(r.timeoutMs).toBe(200);
		expect(r.durationMs).toBeGreaterThanOrEqual(190);
	});

	test('restart replays every successful run in order, reruns included, and skips failed ones', async () => {
		const { kernel, run, workers } = setup();
		await run('a', 'let log: string[] = []; log.push("a1")');
		await run('b', 'log.push("b")');
		await run('a', 'log.push("a2")');
		await run('bad', 'throw new Error("never replayed")');
		expect(kernel.restorable).toEqual(['a', 'b', 'a']);
		await kernel.restart();
		expect(workers).toHaveLength(2);
		expect(kernel.state.restore).toEqual({ by: null, total: 3, done: 3, failed: [], active: false });
		expect(textOf(await run('c', 'log.join()'))).toBe("'a1,b,a2'");
	});

	test('restart keeps variables; reset forgets them', async () => {
		const { kernel, run } = setup();
		await run('a', 'const kept = "yes"');
		await kernel.restart();
		expect(textOf(await run('b', 'kept'))).toBe("'yes'");
		await kernel.reset();
		expect((await run('c', 'kept')).error?.name).toBe('ReferenceError');
	});

	test('a replayed cell that hangs is dropped and the restore starts over without it', async () => {
		const { kernel, run, workers } = setup();
		await run('a', 'const a = 1');
		await run('b', '// @timeout 100ms\n// HANG_ON_REPLAY\nconst b = 2');
		await run('c', 'const c = a + 1');
		await kernel.restart();
		expect(workers).toHaveLength(3);
		expect(kernel.state.restore).toMatchObject({ total: 3, failed: ['b'], active: false });
		expect(textOf(await run('d', '[a, c, typeof b]'))).toBe("[1, 2, 'undefined']");
	});

	test('checks run against the kernel variables', async () => {
		const { kernel, run } = setup();
		await run('a', 'const a = 7');
		expect(await kernel.check('has-a')).toEqual({ pass: true, message: 'a is 7' });
	});

	test('a Worker that fails to load fails the run with a kernel error', async () => {
		const { run, kernel } = setup({ broken: true });
		const r = await run('a', '1');
		expect(r.status).toBe('error');
		expect(r.error?.name).toBe('KernelError');
		expect(kernel.state.phase).toBe('failed');
	});

	test('outputs stream to onOutput while the cell runs', async () => {
		const { kernel } = setup();
		const seen: string[] = [];
		await kernel.run({
			cellId: 'a',
			code: 'console.log(1); console.log(2)',
			lang: 'js',
			onOutput: (o) => o.kind === 'text' && seen.push(o.text)
		});
		expect(seen).toEqual(['1', '2']);
	});
});
