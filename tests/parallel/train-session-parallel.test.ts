import { describe, expect, it } from 'vitest';
import { WorkerFault, type WorkerPool } from '$lib/parallel/pool';
import type { FromSession } from '$lib/parallel/train-protocol';
import { SLOW, SMALL, recorder, useAppPools } from './train-session-helpers';

const createPool = useAppPools();
type Of<T extends FromSession['type']> = Extract<FromSession, { type: T }>;
const is =
	<T extends FromSession['type']>(type: T) =>
	(m: FromSession): m is Of<T> =>
		m.type === type;

/** `pool`, except that worker 1's first gradient request of step `step` fails as if the worker had died. */
function faultyAt(pool: WorkerPool, step: number): WorkerPool {
	let armed = true;
	return {
		...pool,
		size: pool.size,
		instance: (i) => pool.instance(i),
		replace: (i) => pool.replace(i),
		terminate: () => pool.terminate(),
		request(index, body, transfer) {
			if (armed && index === 1 && body.type === 'computeGrads' && body.step === step) {
				armed = false;
				return Promise.reject(new WorkerFault(1, 'died', 'it ran out of memory'));
			}
			return pool.request(index, body, transfer);
		}
	};
}

async function trainToEnd(workers: number, make: (size: number) => WorkerPool = createPool) {
	const r = recorder(make);
	const ended = r.ended();
	await r.send({ type: 'start', config: SMALL, workers, params: null });
	await ended;
	return r;
}

describe('TrainSession on a nested pool', () => {
	it(
		'trains on 2 workers to the losses of 1, to float32 rounding, sharing memory in Node',
		async () => {
			const one = await trainToEnd(1);
			const two = await trainToEnd(2);
			expect(two.messages.find(is('started'))).toMatchObject({ workers: 2, sharedMemory: true, totalSteps: 6 });
			expect(two.points().map((p) => p.loss)).toBeAllclose(
				one.points().map((p) => p.loss),
				{ rtol: 1e-4 }
			);
			expect(two.lastParams()).toBeAllclose(one.lastParams(), { rtol: 1e-3, atol: 1e-5 });
		},
		SLOW
	);

	it(
		'pauses on 2 workers only once the step in flight has reported: no step arrives after "paused"',
		async () => {
			// Step 3's gradients take a while, and the pause comes while they are being computed.
			let inFlight!: () => void;
			const stepStarted = new Promise<void>((resolve) => (inFlight = resolve));
			const slowAt = (pool: WorkerPool): WorkerPool => ({
				...pool,
				size: pool.size,
				instance: (i) => pool.instance(i),
				replace: (i) => pool.replace(i),
				terminate: () => pool.terminate(),
				async request(index, body, transfer) {
					if (body.type === 'computeGrads' && body.step === 3 && index === 0) {
						inFlight();
						await new Promise((resolve) => setTimeout(resolve, 200));
					}
					return pool.request(index, body, transfer);
				}
			});
			const r = recorder((size) => slowAt(createPool(size)));
			await r.send({ type: 'start', config: SMALL, workers: 2, params: null });
			await stepStarted;
			await r.send({ type: 'pause' });
			const paused = r.messages.findLast(is('status'))!;
			expect(paused.status).toBe('paused');
			expect(paused.step).toBe(3);
			const seen = r.points().length;
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(r.points().length).toBe(seen);
			expect(r.points().at(-1)!.step).toBe(paused.step);
			const ended = r.ended();
			await r.send({ type: 'resume' });
			expect((await ended).status).toBe('done');
		},
		SLOW
	);

	it(
		'replays from step 2 on 2 workers and repeats steps 3–6 value for value',
		async () => {
			const r = await trainToEnd(2);
			const original = r.points();
			const finalParams = r.lastParams();
			const from = r.messages.length;
			const ended = r.ended();
			await r.send({ type: 'replay', step: 2 });
			await ended;
			expect(r.points(from)).toEqual(original.slice(2));
			expect(r.lastParams()).toEqual(finalParams);
		},
		SLOW
	);

	it(
		'reports a dead worker with the step it failed, and resume ends where an unbroken run does',
		async () => {
			const unbroken = await trainToEnd(2);
			const r = recorder((size) => faultyAt(createPool(size), 3));
			const failed = r.next(is('failed'));
			await r.send({ type: 'start', config: SMALL, workers: 2, params: null });
			const fault = await failed;
			expect(fault).toMatchObject({ step: 3, resumable: true });
			expect(fault.message).toBe(
				'Step 3 (epoch 1): worker 1 died: it ran out of memory; the parameters are those after step 2, and resume() retries from there.'
			);
			expect(r.session.status).toBe('failed');
			expect(r.points().at(-1)!.step).toBe(2);
			const ended = r.ended();
			await r.send({ type: 'resume' });
			expect(await ended).toMatchObject({ status: 'done', step: 6 });
			expect(r.points()).toEqual(unbroken.points());
			expect(r.lastParams()).toEqual(unbroken.lastParams());
		},
		SLOW
	);

	it(
		'measures steps per second on 2 workers',
		async () => {
			const r = recorder(createPool);
			const result = r.next(is('bench'));
			await r.send({ type: 'bench', config: { ...SMALL, train: { ...SMALL.train, epochs: 50 } }, workers: 2, ms: 100 });
			const bench = await result;
			expect(bench).toMatchObject({ workers: 2 });
			expect(bench.steps).toBeGreaterThan(0);
			expect(bench.stepsPerSecond).toBeGreaterThan(0);
		},
		SLOW
	);
});
