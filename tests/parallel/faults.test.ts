import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '$lib/engine/index';
import { DataParallelTrainer } from '$lib/parallel/data-parallel';
import type { WorkerPool } from '$lib/parallel/pool';
import type { TrainEvent } from '$lib/train/index';
import { AFTER_FEW_STEPS, AFTER_WHOLE_RUN, CONFIG, EPOCHS, adam, flatParams, referenceTrainer, toyModel, useToyPools } from './helpers';
import { armFault, closedGate, openGate, toyRegression, type ToyConfig } from './toy-spec';

const pools = useToyPools();
let pool: WorkerPool;
beforeAll(() => {
	pool = pools.create(2);
});

const SEED = 5;
const BATCH = 16;

/** An example that step 3 gives to worker 1 (the second half of its batch). */
function exampleOfStep3Worker1(): number {
	const order = new Rng(SEED).shuffle(Array.from({ length: CONFIG.trainSize }, (_, i) => i));
	return order[2 * BATCH + BATCH / 2 + 1];
}

async function parallelTrainer(config: ToyConfig, events: TrainEvent[]) {
	const model = toyModel();
	const spec = { name: toyRegression.name, config };
	const optimizer = adam(model);
	const trainer = await DataParallelTrainer.create({ pool, spec, model, optimizer, batchSize: BATCH, epochs: EPOCHS, seed: SEED });
	trainer.onEvent((e) => events.push(e));
	return { model, trainer, optimizer };
}

describe('DataParallelTrainer faults', () => {
	for (const [kind, reason] of [
		['throw', `threw: example ${exampleOfStep3Worker1()} is cursed`],
		['exit', 'died: it exited with code 3']
	] as const) {
		it(`a worker that ${kind === 'throw' ? 'throws' : 'dies'} fails the step by name; the pool replaces it and resume() ends where an unbroken run does`, async () => {
			const ref = referenceTrainer(CONFIG, BATCH, SEED);
			ref.trainer.trainSteps(2);
			const afterTwo = flatParams(ref.model);
			ref.trainer.trainSteps(ref.trainer.totalSteps - 2);
			const events: TrainEvent[] = [];
			const fault = armFault(exampleOfStep3Worker1(), kind);
			const { model, trainer } = await parallelTrainer({ ...CONFIG, fault }, events);
			const instance = pool.instance(1);
			await trainer.run();
			expect(trainer.status).toBe('failed');
			expect(events.at(-1)).toEqual({
				type: 'error',
				step: 3,
				epoch: 1,
				message: `Step 3 (epoch 1): worker 1 ${reason}; the parameters are those after step 2, and resume() retries from there.`
			});
			expect(pool.instance(1)).not.toBe(instance);
			expect(flatParams(model)).toBeAllclose(afterTwo, AFTER_FEW_STEPS);
			await trainer.resume();
			expect(trainer.status).toBe('done');
			expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual(
				Array.from({ length: ref.trainer.totalSteps }, (_, i) => i + 1)
			);
			expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_WHOLE_RUN);
		});
	}

	it('stopping mid-step abandons the step: the model keeps the last applied one and the pool stays usable', async () => {
		const ref = referenceTrainer(CONFIG, BATCH, SEED);
		ref.trainer.trainSteps(2);
		const gate = closedGate(exampleOfStep3Worker1());
		const events: TrainEvent[] = [];
		const { model, trainer, optimizer } = await parallelTrainer({ ...CONFIG, gate }, events);
		let atStep2: Float32Array | null = null;
		trainer.onEvent((e) => {
			if (e.type === 'step' && e.step === 2) atStep2 = flatParams(model);
		});
		const running = trainer.run();
		while (Atomics.load(gate.state, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 1));
		// Worker 1 is inside step 3 and cannot leave it until the gate opens.
		trainer.stop();
		await running;
		expect(Atomics.load(gate.state, 1)).toBe(1);
		expect(events.at(-1)).toEqual({ type: 'done', step: 2, epoch: 0, stopped: true });
		expect(trainer.status).toBe('stopped');
		expect(optimizer.stepCount).toBe(2);
		expect(flatParams(model)).toEqual(atStep2);
		expect(flatParams(model)).toBeAllclose(flatParams(ref.model), AFTER_FEW_STEPS);
		openGate(gate);
		const next = await parallelTrainer(CONFIG, []);
		expect(await next.trainer.runSteps(1)).toHaveLength(1);
		expect(flatParams(model)).toEqual(atStep2);
	});
});
