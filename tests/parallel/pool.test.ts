import { beforeAll, describe, expect, it } from 'vitest';
import { DataParallelTrainer } from '$lib/parallel/data-parallel';
import { WorkerFault, createWorkerPool, type WorkerPool, type WorkerPort } from '$lib/parallel/pool';
import type { ToWorker } from '$lib/parallel/protocol';
import { CONFIG, adam, flatParams, toyModel, useToyPools } from './helpers';
import { armFault, toyRegression } from './toy-spec';

const pools = useToyPools();
let pool: WorkerPool;
beforeAll(() => {
	pool = pools.create(2);
});

const handled = async (p: WorkerPool) => Promise.all([0, 1].map(async (k) => (await p.request(k, { type: 'ping' })).handled));

async function train(steps: number, seed: number) {
	const model = toyModel();
	const spec = { name: toyRegression.name, config: CONFIG };
	const trainer = await DataParallelTrainer.create({ pool, spec, model, optimizer: adam(model), batchSize: 16, epochs: 1, seed });
	await trainer.runSteps(steps);
	await trainer.release();
	return flatParams(model);
}

describe('WorkerPool', () => {
	it('starts its workers once and reuses them for every request and every trainer', async () => {
		const before = await handled(pool);
		const instances = [pool.instance(0), pool.instance(1)];
		const a = await train(3, 1);
		const b = await train(3, 2);
		const after = await handled(pool);
		expect(a).not.toEqual(b);
		// Each trainer: init, three computeGrads and a release per worker; plus this ping.
		expect(after).toEqual(before.map((n) => n + 2 * 5 + 1));
		expect([pool.instance(0), pool.instance(1)]).toEqual(instances);
	});

	it('fails a dead worker’s requests with a WorkerFault and starts a fresh worker on the next request', async () => {
		const init: Extract<ToWorker, { type: 'init' }> = {
			type: 'init',
			id: 0,
			session: 99,
			spec: { name: toyRegression.name, config: { ...CONFIG, fault: armFault(0, 'exit') } },
			seed: 1,
			layout: toyModel()
				.namedParameters()
				.map(([name, p]) => ({ name, shape: [...p.shape] })),
			shared: null
		};
		await pool.request(1, init);
		const instance = pool.instance(1);
		const params = { kind: 'copy' as const, data: flatParams(toyModel()) };
		const death = pool.request(1, { type: 'computeGrads', session: 99, step: 1, shard: 0, indices: [0], params });
		await expect(death).rejects.toEqual(new WorkerFault(1, 'died', 'it exited with code 3'));
		expect(pool.instance(1)).not.toBe(instance);
		expect(await pool.request(1, { type: 'ping' })).toMatchObject({ handled: 1, session: null });
	});

	it('fails pending requests when a worker is replaced or the pool terminated', async () => {
		const silent: WorkerPort = { post: () => undefined, listen: () => undefined, terminate: () => undefined };
		const quiet = createWorkerPool(2, () => silent);
		const first = quiet.request(0, { type: 'ping' });
		quiet.replace(0);
		await expect(first).rejects.toThrow('worker 0 died: it was replaced');
		const second = quiet.request(1, { type: 'ping' });
		quiet.terminate();
		await expect(second).rejects.toThrow('worker 1 died: the pool was terminated');
		await expect(quiet.request(0, { type: 'ping' })).rejects.toThrow('the pool was terminated');
	});

	it('rejects a reply of the wrong type instead of handing it to the caller', async () => {
		let deliver: (message: never) => void = () => undefined;
		const port: WorkerPort = {
			post: (message) => queueMicrotask(() => deliver({ type: 'released', id: message.id } as never)),
			listen: (onMessage) => (deliver = onMessage),
			terminate: () => undefined
		};
		const fake = createWorkerPool(1, () => port);
		await expect(fake.request(0, { type: 'ping' })).rejects.toThrow('worker 0 threw: replied released to a request expecting pong');
	});

	it('rejects a request that cannot be sent with the sender’s error, leaving the worker be', async () => {
		let posts = 0;
		const port: WorkerPort = {
			post: () => {
				posts++;
				throw new DOMException('could not be cloned', 'DataCloneError');
			},
			listen: () => undefined,
			terminate: () => undefined
		};
		const fake = createWorkerPool(1, () => port);
		const instance = fake.instance(0);
		await expect(fake.request(0, { type: 'ping' })).rejects.toThrow('could not be cloned');
		expect(posts).toBe(1);
		expect(fake.instance(0)).toBe(instance);
	});
});
