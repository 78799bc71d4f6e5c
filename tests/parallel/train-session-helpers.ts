import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { defaultConfig, type LabConfig } from '$lib/lab/config';
import { bundleNodeWorker } from '$lib/parallel/node-bundle';
import { createNodePool } from '$lib/parallel/node-pool';
import type { WorkerPool } from '$lib/parallel/pool';
import type { FromSession, StepPoint, ToSession } from '$lib/parallel/train-protocol';
import { TrainSession, type SessionOptions } from '$lib/parallel/train-session';

/** Real training, if small: seconds on a busy 2-core machine, where the default 5 s is not enough. */
export const SLOW = 60_000;

/** A small classification run: 48 clips of 6 frames in batches of 16, 2 epochs, so 6 steps. */
export const SMALL: LabConfig = {
	...defaultConfig('classification'),
	seed: 4,
	data: { trainSize: 48, valSize: 8, frames: 6 },
	model: { dim: 8 },
	train: { lr: 6e-3, epochs: 2, batchSize: 16 }
};

/** Node pools of the app's specs (the three tasks), bundled once per test file. */
export function useAppPools() {
	let dir = '';
	let script: URL | null = null;
	const pools: WorkerPool[] = [];
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'glance-train-session-'));
		script = await bundleNodeWorker({
			specsModule: resolve('src/lib/parallel/specs.ts'),
			exportName: 'appSpecs',
			outFile: join(dir, 'w.mjs')
		});
	});
	afterAll(async () => {
		for (const pool of pools) pool.terminate();
		await rm(dir, { recursive: true, force: true });
	});
	return (size: number): WorkerPool => {
		if (!script) throw new Error('useAppPools: the worker script is built in beforeAll');
		const pool = createNodePool(script, size);
		pools.push(pool);
		return pool;
	};
}

/** A session whose messages are recorded, with a way to wait for one. */
export function recorder(createPool: (size: number) => WorkerPool, opts: Partial<SessionOptions> = {}) {
	const messages: FromSession[] = [];
	const waiters: { test: (m: FromSession) => boolean; resolve: (m: FromSession) => void }[] = [];
	const session = new TrainSession({
		createPool,
		progressMs: 0,
		rewindEvery: 1,
		...opts,
		post(m) {
			messages.push(structuredClone(m));
			for (const w of [...waiters]) {
				if (w.test(m)) {
					waiters.splice(waiters.indexOf(w), 1);
					w.resolve(m);
				}
			}
		}
	});
	const send = (cmd: ToSession) => session.handle(cmd);
	/** The next message (from now) that passes `test`. */
	const next = <T extends FromSession>(test: (m: FromSession) => m is T): Promise<T> =>
		new Promise((resolve) => waiters.push({ test, resolve: (m) => resolve(m as T) }));
	const ended = () => next((m): m is FromSession & { type: 'status' } => m.type === 'status' && ['done', 'stopped'].includes(m.status));
	/** Every step point reported since message `from`, in order. */
	const points = (from = 0): StepPoint[] => messages.slice(from).flatMap((m) => (m.type === 'progress' ? m.points : []));
	const lastParams = () => messages.findLast((m) => m.type === 'progress')!.params as Float32Array;
	return { session, messages, send, next, ended, points, lastParams };
}
