import { describe, expect, it } from 'vitest';
import { buildModel } from '$lib/lab/build';
import { flattenParams } from '$lib/lab/params';
import type { FromSession } from '$lib/parallel/train-protocol';
import { SLOW, SMALL, recorder } from './train-session-helpers';

const noPool = () => {
	throw new Error('a one-worker run needs no pool');
};
type Of<T extends FromSession['type']> = Extract<FromSession, { type: T }>;
const is =
	<T extends FromSession['type']>(type: T) =>
	(m: FromSession): m is Of<T> =>
		m.type === type;

describe('TrainSession on one worker', { timeout: SLOW }, () => {
	it('trains every step of the config to the end, reporting steps, epochs and parameters', async () => {
		const r = recorder(noPool);
		const ended = r.ended();
		await r.send({ type: 'start', config: SMALL, workers: 1, params: null });
		const started = r.messages.find(is('started'))!;
		expect(started).toMatchObject({ totalSteps: 6, stepsPerEpoch: 3, workers: 1, sharedMemory: false, from: 0 });
		expect(await ended).toMatchObject({ status: 'done', step: 6 });
		const points = r.points();
		expect(points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(points.every((p) => Number.isFinite(p.loss) && p.loss > 0)).toBe(true);
		expect(r.messages.filter(is('epoch')).map((m) => [m.epoch, m.step, typeof m.val?.accuracy])).toEqual([
			[1, 3, 'number'],
			[2, 6, 'number']
		]);
		const initial = flattenParams(buildModel(SMALL));
		expect(r.lastParams().length).toBe(initial.length);
		expect(r.lastParams()).not.toEqual(initial);
	});

	it('gives identical losses and parameters for the same seed, and different ones for another seed', async () => {
		const runs = [];
		for (const seed of [SMALL.seed, SMALL.seed, SMALL.seed + 1]) {
			const r = recorder(noPool);
			const ended = r.ended();
			await r.send({ type: 'start', config: { ...SMALL, seed }, workers: 1, params: null });
			await ended;
			runs.push({ losses: r.points().map((p) => p.loss), params: r.lastParams() });
		}
		expect(runs[1].losses).toEqual(runs[0].losses);
		expect(runs[1].params).toEqual(runs[0].params);
		expect(runs[2].losses).not.toEqual(runs[0].losses);
	});

	it('replays from step 3 silently to 3, then repeats steps 4–6 of the original value for value', async () => {
		const r = recorder(noPool);
		let ended = r.ended();
		await r.send({ type: 'start', config: SMALL, workers: 1, params: null });
		await ended;
		const original = r.points();
		const finalParams = r.lastParams();
		const seek = r.next(is('params'));
		await r.send({ type: 'seek', step: 3 });
		const atThree = (await seek).params;
		const from = r.messages.length;
		ended = r.ended();
		await r.send({ type: 'replay', step: 3 });
		await ended;
		const replayed = r.messages.slice(from);
		expect(replayed.find(is('started'))).toMatchObject({ from: 3, totalSteps: 6 });
		const points = r.points(from);
		expect(points.map((p) => p.step)).toEqual([4, 5, 6]);
		expect(points).toEqual(original.slice(3));
		expect(r.lastParams()).toEqual(finalParams);
		// The replay's first report, at step 3, carries the snapshot's parameters.
		const firstProgress = replayed.find(is('progress'))!;
		expect(firstProgress.step).toBe(3);
		expect(firstProgress.params).toEqual(atThree);
		// Epoch 1 ended at step 3, before the replay reports again; epoch 2 is reported.
		expect(replayed.filter(is('epoch')).map((m) => m.epoch)).toEqual([2]);
		expect(replayed.filter(is('catchup')).every((m) => m.target === 3 && m.step < 3)).toBe(true);
	});

	it('starts from the parameters the page sends, so an edit before training is trained from', async () => {
		const edited = flattenParams(buildModel(SMALL)).map((v, i) => (i < 10 ? 0.5 : v));
		const r = recorder(noPool);
		const ended = r.ended();
		await r.send({ type: 'start', config: SMALL, workers: 1, params: edited });
		await ended;
		const plain = recorder(noPool);
		const plainEnded = plain.ended();
		await plain.send({ type: 'start', config: SMALL, workers: 1, params: null });
		await plainEnded;
		expect(r.points()[0].loss).not.toBe(plain.points()[0].loss);
		const seek = r.next(is('params'));
		await r.send({ type: 'seek', step: 0 });
		expect((await seek).params).toEqual(edited);
	});

	it('pauses between steps, resumes to the same end, and stops early on request', async () => {
		const r = recorder(noPool);
		const firstStep = r.next((m): m is Of<'progress'> => m.type === 'progress' && m.points.length > 0);
		const reference = recorder(noPool);
		const refEnded = reference.ended();
		await reference.send({ type: 'start', config: SMALL, workers: 1, params: null });
		await refEnded;
		await r.send({ type: 'start', config: SMALL, workers: 1, params: null });
		await firstStep;
		await r.send({ type: 'pause' });
		const paused = r.messages.findLast(is('status'))!;
		expect(paused.status).toBe('paused');
		expect(r.session.status).toBe('paused');
		const seen = r.points().length;
		for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
		expect(r.points().length).toBe(seen);
		expect(r.points().at(-1)!.step).toBe(paused.step);
		const ended = r.ended();
		await r.send({ type: 'resume' });
		await ended;
		expect(r.points()).toEqual(reference.points());

		const s = recorder(noPool);
		const stopped = s.ended();
		const one = s.next((m): m is Of<'progress'> => m.type === 'progress' && m.points.length > 0);
		await s.send({ type: 'start', config: SMALL, workers: 1, params: null });
		await one;
		await s.send({ type: 'stop' });
		const end = await stopped;
		expect(end.status).toBe('stopped');
		expect(end.step).toBeLessThan(6);
	});

	it('sends progress at most once per interval, with every step in order', async () => {
		// A clock that moves 40 ms each time it is read: a few reads a step, so far less than a message a step.
		let t = 0;
		const r = recorder(noPool, { progressMs: 250, now: () => (t += 40) });
		const ended = r.ended();
		await r.send({ type: 'start', config: { ...SMALL, train: { ...SMALL.train, epochs: 4 } }, workers: 1, params: null });
		await ended;
		expect(r.points().map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
		const progress = r.messages.filter(is('progress'));
		// One at each epoch's end and at the end, plus the throttled ones in between.
		expect(progress.length).toBeLessThanOrEqual(8);
		expect(progress.at(-1)!.step).toBe(12);
	});

	it('refuses bad commands with a reason and keeps what it had', async () => {
		const r = recorder(noPool);
		await r.send({ type: 'resume' });
		await r.send({ type: 'replay', step: 2 });
		await r.send({ type: 'start', config: SMALL, workers: 1, params: new Float32Array(3) });
		await r.send({ type: 'start', config: SMALL, workers: 0, params: null });
		const refusals = r.messages.filter(is('refused')).map((m) => `${m.command}: ${m.message}`);
		expect(refusals).toEqual([
			'resume: cannot resume: training is idle',
			'replay: there is no run to replay',
			expect.stringMatching(/^start: loadFlatParams: the model has \d+ parameters, got 3 values$/),
			'start: workers must be a whole number ≥ 1, got 0'
		]);
		const ended = r.ended();
		await r.send({ type: 'start', config: SMALL, workers: 1, params: null });
		await ended;
		await r.send({ type: 'replay', step: 99 });
		expect(r.messages.at(-1)).toEqual({ type: 'refused', command: 'replay', message: 'can replay from steps 0 to 6 of this run, not 99' });
	});

	it('times a benchmark after a warm-up and reports its steps per second', async () => {
		const r = recorder(noPool);
		const result = r.next(is('bench'));
		const config = { ...SMALL, train: { ...SMALL.train, epochs: 50 } };
		await r.send({ type: 'bench', config, workers: 1, ms: 100 });
		const bench = await result;
		expect(bench.workers).toBe(1);
		expect(bench.steps).toBeGreaterThanOrEqual(4);
		expect(bench.ms).toBeGreaterThanOrEqual(100);
		expect(bench.stepsPerSecond).toBeCloseTo((bench.steps * 1000) / bench.ms, 6);
	});
});
