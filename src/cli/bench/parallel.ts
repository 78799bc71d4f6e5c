import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../lib/nn/module';
import { SGD } from '../../lib/optim/index';
import { DataParallelTrainer } from '../../lib/parallel/data-parallel';
import { bundleNodeWorker } from '../../lib/parallel/node-bundle';
import { createNodePool } from '../../lib/parallel/node-pool';
import { appSpecs, type TaskSpecConfig } from '../../lib/parallel/specs';
import { Trainer, type TrainEvent } from '../../lib/train/index';
import type { AnyModelSpec } from '../../lib/train/model-spec';
import { median } from './measure';
import { MLP_BATCH, mlpSpec, type MlpConfig } from './mlp-spec';
import type { Row } from './report';

/** Steps left out of each run's timing: the workers' JIT and the replicas' first allocations. */
const WARMUP_STEPS = 5;
const SEED = 7;
/** Plain SGD on both sides, so the coordinator's own update costs what the single thread's does. */
const LR = 0.01;

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

/** One model trained single-threaded and data-parallel: which spec (and the module exporting its table) and at what batch. */
interface ParallelCase {
	label: string;
	spec: AnyModelSpec;
	config: unknown;
	batch: number;
	/** The module whose `exportName` is a spec table holding `spec`; the workers are bundled from it. */
	specsModule: string;
	exportName: string;
}

/**
 * The task's classification model (the app's worker spec, default configuration) at batch 64,
 * as the speed-up target is stated for, and the benchmark MLP at its batch of 128.
 */
function cases(steps: number): ParallelCase[] {
	const classification: TaskSpecConfig<unknown, unknown> = { variant: 'attention', dataSeed: SEED };
	const mlp: MlpConfig = { examples: MLP_BATCH * (steps + WARMUP_STEPS + 1), seed: SEED };
	return [
		{
			label: 'classification (attention, batch 64)',
			spec: appSpecs.classification,
			config: classification,
			batch: 64,
			specsModule: fileURLToPath(new URL('../../lib/parallel/specs.ts', import.meta.url)),
			exportName: 'appSpecs'
		},
		{
			label: `MLP (batch ${MLP_BATCH})`,
			spec: mlpSpec,
			config: mlp,
			batch: MLP_BATCH,
			specsModule: fileURLToPath(new URL('./mlp-spec.ts', import.meta.url)),
			exportName: 'benchSpecs'
		}
	];
}

/** Enough epochs of the spec's training split for `steps` timed steps after the warm-up. */
function epochsFor(trainSize: number, batch: number, steps: number): number {
	return Math.ceil(((steps + WARMUP_STEPS + 1) * batch) / trainSize);
}

/** Step times of one case: a single-thread `Trainer`, then `DataParallelTrainer` on pools of 1 and 2 worker threads. */
async function measureCase(c: ParallelCase, steps: number, dir: string): Promise<{ one: number; workers: Map<number, number> }> {
	const data = c.spec.createData(c.config);
	const epochs = epochsFor(data.train.size, c.batch, steps);
	const single: Module = c.spec.createModel(c.config, SEED);
	single.train();
	const one = await msPerStep(
		new Trainer({
			model: single,
			optimizer: new SGD(single.parameters(), { lr: LR }),
			lossFn: c.spec.lossFn,
			data: data.train,
			batchSize: c.batch,
			epochs,
			seed: SEED
		})
	);
	const script = await bundleNodeWorker({ specsModule: c.specsModule, exportName: c.exportName, outFile: join(dir, `${c.spec.name}.mjs`) });
	const workers = new Map<number, number>();
	for (const n of [1, 2]) {
		const pool = createNodePool(script, n);
		try {
			const model: Module = c.spec.createModel(c.config, SEED);
			const trainer = await DataParallelTrainer.create({
				pool,
				spec: { name: c.spec.name, config: c.config },
				model,
				optimizer: new SGD(model.parameters(), { lr: LR }),
				batchSize: c.batch,
				epochs,
				seed: SEED,
				validate: false
			});
			workers.set(n, await msPerStep(trainer));
		} finally {
			pool.terminate();
		}
	}
	return { one, workers };
}

const stepRow = (name: string, value: number, note: string): Row => ({
	name,
	unit: 'ms/step',
	higherIsBetter: false,
	glance: value,
	peers: {},
	note
});

/**
 * For each case: `steps` timed steps on one thread (`Trainer`) and data-parallel on pools of one
 * and two worker threads (`DataParallelTrainer`), same model, data, batch and optimizer; the
 * speed-up is one thread's step time over two workers'. Wall clock, so other load on the
 * machine shows here first.
 */
export async function parallelRows(steps: number): Promise<Row[]> {
	const dir = await mkdtemp(join(tmpdir(), 'glance-bench-'));
	const rows: Row[] = [];
	try {
		for (const c of cases(steps)) {
			const { one, workers } = await measureCase(c, steps, dir);
			const two = workers.get(2)!;
			rows.push(
				stepRow(`${c.label} via Trainer, 1 thread`, one, 'data loading included, as the data-parallel rows'),
				stepRow(`${c.label} data-parallel, 1 worker`, workers.get(1)!, 'coordinator + 1 worker thread'),
				stepRow(`${c.label} data-parallel, 2 workers`, two, `coordinator + 2 worker threads, shards of ${c.batch / 2}`),
				{
					name: `${c.label}: 2-worker speed-up`,
					unit: '×',
					higherIsBetter: true,
					glance: one / two,
					peers: {},
					note: '1 thread / 2 workers; ideal 2× needs two idle cores'
				}
			);
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
	return rows;
}
