import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SGD } from '../../lib/optim/index';
import { DataParallelTrainer } from '../../lib/parallel/data-parallel';
import { bundleNodeWorker } from '../../lib/parallel/node-bundle';
import { createNodePool } from '../../lib/parallel/node-pool';
import { Trainer, type TrainEvent } from '../../lib/train/index';
import { median } from './measure';
import { MLP_BATCH, makeMlp, mlpSpec, type MlpConfig } from './mlp-spec';
import type { Row } from './report';

/** Steps left out of each run's timing: the workers' JIT and the replicas' first allocations. */
const WARMUP_STEPS = 5;
const SEED = 7;

interface Run {
	onEvent(listener: (e: TrainEvent) => void): () => void;
	run(): Promise<void>;
}

/** Median time between step events after the warm-up: one training step as the trainer takes it, data included. */
async function msPerStep(trainer: Run): Promise<number> {
	const stamps: number[] = [];
	let failure: string | null = null;
	const off = trainer.onEvent((e) => {
		if (e.type === 'step') stamps.push(performance.now());
		else if (e.type === 'error') failure = e.message;
	});
	await trainer.run();
	off();
	if (failure) throw new Error(`benchmark training failed: ${failure}`);
	const gaps = stamps.slice(WARMUP_STEPS).map((t, i) => t - stamps[WARMUP_STEPS + i - 1]);
	return median(gaps.slice(1));
}

/**
 * The benchmark MLP trained for `steps` steps on one thread (`Trainer`) and data-parallel on
 * pools of one and two worker threads (`DataParallelTrainer`), same model, data, batch and
 * optimizer; the speed-up is one thread's step time over two workers'.
 */
export async function parallelRows(steps: number): Promise<Row[]> {
	const config: MlpConfig = { examples: MLP_BATCH * (steps + WARMUP_STEPS + 1), seed: SEED };
	const data = mlpSpec.createData(config).train;
	const single = makeMlp(SEED);
	const oneThread = await msPerStep(
		new Trainer({
			model: single,
			optimizer: new SGD(single.parameters(), { lr: 0.01 }),
			lossFn: mlpSpec.lossFn,
			data,
			batchSize: MLP_BATCH,
			epochs: 1,
			seed: SEED
		})
	);
	const dir = await mkdtemp(join(tmpdir(), 'glance-bench-'));
	const perWorkers = new Map<number, number>();
	try {
		const script = await bundleNodeWorker({
			specsModule: fileURLToPath(new URL('./mlp-spec.ts', import.meta.url)),
			exportName: 'benchSpecs',
			outFile: join(dir, 'worker.mjs')
		});
		for (const workers of [1, 2]) {
			const pool = createNodePool(script, workers);
			try {
				const model = makeMlp(SEED);
				const trainer = await DataParallelTrainer.create({
					pool,
					spec: { name: mlpSpec.name, config },
					model,
					optimizer: new SGD(model.parameters(), { lr: 0.01 }),
					batchSize: MLP_BATCH,
					epochs: 1,
					seed: SEED,
					validate: false
				});
				perWorkers.set(workers, await msPerStep(trainer));
			} finally {
				pool.terminate();
			}
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
	const two = perWorkers.get(2)!;
	const row = (name: string, value: number, note: string): Row => ({
		name,
		unit: 'ms/step',
		higherIsBetter: false,
		glance: value,
		peers: {},
		note
	});
	return [
		row('MLP step via Trainer, 1 thread', oneThread, 'data loading included, as the data-parallel rows'),
		row('MLP step data-parallel, 1 worker', perWorkers.get(1)!, 'coordinator + 1 worker thread'),
		row('MLP step data-parallel, 2 workers', two, 'coordinator + 2 worker threads, shards of 64'),
		{
			name: '2-worker speed-up (1 thread / 2 workers)',
			unit: '×',
			higherIsBetter: true,
			glance: oneThread / two,
			peers: {},
			note: 'ideal 2× needs two idle cores besides the coordinator'
		}
	];
}
