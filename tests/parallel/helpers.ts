import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { Adam, type Optimizer } from '$lib/optim/index';
import { bundleNodeWorker } from '$lib/parallel/node-bundle';
import { createNodePool } from '$lib/parallel/node-pool';
import type { WorkerPool } from '$lib/parallel/pool';
import { Trainer } from '$lib/train/index';
import { Mlp } from '../train/toy';
import { toyRegression, type ToyConfig } from './toy-spec';

/**
 * Node worker pools over the toy specs for one test file: the worker script is bundled into a
 * temporary directory before the file's tests and removed, with the pools, after them.
 *
 * @example
 * const pools = useToyPools();
 * it('…', async () => { const pool = await pools.get(2); … });
 */
export function useToyPools() {
	let dir = '';
	let script: URL | null = null;
	const pools: WorkerPool[] = [];
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'glance-parallel-'));
		script = await bundleNodeWorker({
			specsModule: resolve('tests/parallel/toy-spec.ts'),
			outFile: join(dir, 'worker.mjs')
		});
	});
	afterAll(async () => {
		for (const pool of pools) pool.terminate();
		await rm(dir, { recursive: true, force: true });
	});
	return {
		/** A new pool of `size` workers, terminated after the file's tests. */
		create(size: number): WorkerPool {
			if (!script) throw new Error('useToyPools: the worker script is built in beforeAll');
			const pool = createNodePool(script, size);
			pools.push(pool);
			return pool;
		}
	};
}

export const CONFIG: ToyConfig = { hidden: 16, trainSize: 64, valSize: 20, dataSeed: 11 };
export const MODEL_SEED = 3;
export const EPOCHS = 2;

export function toyModel(config: ToyConfig = CONFIG): Mlp {
	return toyRegression.createModel(config, MODEL_SEED);
}

export const adam = (model: Mlp): Optimizer => new Adam(model.parameters(), { lr: 0.02 });

/** A single-thread run of the same spec: the reference data-parallel runs must match. */
export function referenceTrainer(config: ToyConfig, batchSize: number, seed: number, epochs = EPOCHS) {
	const model = toyModel(config);
	const data = toyRegression.createData(config);
	const trainer = new Trainer({
		model,
		optimizer: adam(model),
		lossFn: toyRegression.lossFn,
		data: data.train,
		valData: data.val,
		batchSize,
		epochs,
		seed
	});
	return { model, trainer };
}

/**
 * How far data-parallel parameters may sit from a single thread's: the shards' gradients are
 * summed in another order, so each step differs by float32 rounding (~1e-7), compounded by
 * every later step. Ten steps stay within a few ulps; whole runs drift further.
 */
export const AFTER_FEW_STEPS = { rtol: 1e-6, atol: 1e-6 };
export const AFTER_WHOLE_RUN = { rtol: 1e-4, atol: 1e-5 };

export const flatParams = (m: Mlp) => Float32Array.from(m.parameters().flatMap((p) => Array.from(p.data)));
