import { beforeAll, describe, expect, it, vi } from 'vitest';
import { noGrad } from '$lib/engine/index';
import { DataParallelTrainer, type TrainSnapshot } from '$lib/parallel/data-parallel';
import type { WorkerPool } from '$lib/parallel/pool';
import type { TrainEvent } from '$lib/train/index';
import { AFTER_FEW_STEPS, AFTER_WHOLE_RUN, CONFIG, EPOCHS, adam, flatParams, referenceTrainer, toyModel, useToyPools } from './helpers';
import { toyRegression } from './toy-spec';

const pools = useToyPools();
let pool: WorkerPool;
beforeAll(() => {
	pool = pools.create(2);
});

interface Options {
	pool?: WorkerPool;
	batchSize?: number;
	epochs?: number;
	sharedMemory?: boolean;
	snapshot?: { indices: number[]; intervalMs: number };
	onEvent?: (e: TrainEvent) => void;
}

async function parallelTrainer(opts: Options = {}) {
	const model = toyModel();
	const trainer = await DataParallelTrainer.create({
		pool: opts.pool ?? pool,
		spec: { name: toyRegression.name, config: CONFIG },
		model,
		optimizer: adam(model),
		batchSize: opts.batchSize ?? 16,
		epochs: opts.epochs ?? EPOCHS,
		seed: 5,
		sharedMemory: opts.sharedMemory,
		snapshot: opts.snapshot,
		onEvent: opts.onEvent
	});
	return { model, trainer };
}

describe('DataParallelTrainer', () => {
	it('10 steps on 2 workers give the parameters of 10 single-thread steps, to float32 rounding', async () => {
		const ref = referenceTrainer(CONFIG, 8, 5);
		const refSteps = ref.trainer.trainSteps(10);
		const { model, trainer } = await parallelTrainer({ batchSize: 8 });
		expect(trainer.sharedMemory).toBe(true);
		const steps = await trainer.runSteps(10);
		expect(steps.map((s) => s.step)).toEqual(refSteps.map((s) => s.step));
		expect(steps.map((s) => s.loss)).toBeAllclose(
			refSteps.map((s) => s.loss),
			{ rtol: 1e-6 }
		);
		expect(steps.map((s) => s.metrics.meanAbsError)).toBeAllclose(
			refSteps.map((s) => s.metrics.meanAbsError),
			{ rtol: 1e-6 }
		);
		expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_FEW_STEPS);
		expect(trainer.status).toBe('paused');
	});

	it('gives the same parameters without shared memory, moving transferred copies instead', async () => {
		const ref = referenceTrainer(CONFIG, 8, 5);
		ref.trainer.trainSteps(10);
		const { model, trainer } = await parallelTrainer({ batchSize: 8, sharedMemory: false });
		expect(trainer.sharedMemory).toBe(false);
		await trainer.runSteps(10);
		expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_FEW_STEPS);
	});

	it('falls back to copies by itself on a page that is not cross-origin isolated', async () => {
		vi.stubGlobal('crossOriginIsolated', false);
		try {
			const { trainer } = await parallelTrainer();
			expect(trainer.sharedMemory).toBe(false);
			await expect(parallelTrainer({ sharedMemory: true })).rejects.toThrow('sharedMemory needs cross-origin isolation');
		} finally {
			vi.unstubAllGlobals();
		}
	});

	it('matches a single thread bit for bit on one worker', async () => {
		const ref = referenceTrainer(CONFIG, 16, 5);
		ref.trainer.trainSteps(8);
		const { model, trainer } = await parallelTrainer({ pool: pools.create(1) });
		await trainer.runSteps(8);
		expect(flatParams(model)).toEqual(flatParams(ref.model));
	});

	it('trains to the end with Trainer’s events, with uneven shards and a last batch smaller than the pool', async () => {
		const epochs = 4;
		const ref = referenceTrainer(CONFIG, 7, 5, epochs);
		const refEvents: TrainEvent[] = [];
		ref.trainer.onEvent((e) => refEvents.push(e));
		ref.trainer.trainSteps(ref.trainer.totalSteps);
		const events: TrainEvent[] = [];
		const { model, trainer } = await parallelTrainer({ batchSize: 7, epochs, onEvent: (e) => events.push(e) });
		expect(trainer.totalSteps).toBe(ref.trainer.totalSteps);
		await trainer.run();
		expect(events.map((e) => `${e.type} ${e.step}`)).toEqual(refEvents.map((e) => `${e.type} ${e.step}`));
		// 64 examples in batches of 7: nine split 4 + 3 and a last one of 1, which only worker 0 gets.
		expect(events.at(-1)).toEqual({ type: 'done', step: epochs * 10, epoch: epochs, stopped: false });
		const epochEvents = events.filter((e) => e.type === 'epoch');
		const refEpochs = refEvents.filter((e) => e.type === 'epoch');
		expect(epochEvents.map((e) => e.val!.loss)).toBeAllclose(
			refEpochs.map((e) => e.val!.loss),
			{ rtol: 1e-4 }
		);
		const first = events.find((e) => e.type === 'step');
		expect(epochEvents[epochs - 1].train.loss).toBeLessThan(0.1 * (first?.type === 'step' ? first.loss : 0));
		expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_WHOLE_RUN);
	});

	it('pauses between steps and resumes where a run without pauses ends', async () => {
		const ref = referenceTrainer(CONFIG, 16, 5);
		ref.trainer.trainSteps(ref.trainer.totalSteps);
		const { model, trainer } = await parallelTrainer();
		trainer.onEvent((e) => {
			if (e.type === 'step' && e.step === 3) {
				trainer.pause();
				setTimeout(() => {
					expect(trainer.status).toBe('paused');
					expect(trainer.stepsDone).toBe(3);
					void trainer.resume();
				}, 20);
			}
		});
		await trainer.run();
		expect(trainer.status).toBe('done');
		expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_WHOLE_RUN);
	});

	it('sends parameter edits made between steps to every replica', async () => {
		const ref = referenceTrainer(CONFIG, 16, 5);
		ref.trainer.trainSteps(2);
		ref.model.fc2.weight.data.fill(0.25);
		ref.trainer.trainSteps(3);
		const { model, trainer } = await parallelTrainer();
		await trainer.runSteps(2);
		model.fc2.weight.data.fill(0.25);
		await trainer.runSteps(3);
		expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_FEW_STEPS);
	});

	it('posts throttled snapshots as typed arrays computed at the parameters of their step', async () => {
		const indices = [0, 1];
		const { model, trainer } = await parallelTrainer({ snapshot: { indices, intervalMs: 0 } });
		const batch = toyRegression.createData(CONFIG).train.getBatch(indices);
		const seen: { snapshot: TrainSnapshot; expected: Float32Array }[] = [];
		trainer.onSnapshot((snapshot) => seen.push({ snapshot, expected: Float32Array.from(noGrad(() => model.forward(batch.x)).data) }));
		await trainer.runSteps(3);
		expect(seen.map((s) => s.snapshot.step)).toEqual([1, 2, 3]);
		for (const { snapshot, expected } of seen) {
			expect(snapshot.tensors.map((t) => [t.name, t.shape, t.data.constructor.name])).toEqual([
				['hidden', [2, 16], 'Float32Array'],
				['prediction', [2, 1], 'Float32Array']
			]);
			expect(snapshot.tensors[1].data).toEqual(expected);
		}
	});
});
