import { describe, expect, it, vi } from 'vitest';
import { Adam, SGD, StepLR, type Optimizer } from '$lib/optim/index';
import { Trainer, type TrainerOptions, type TrainEvent } from '$lib/train/index';
import { Mlp, mse, regression, type Batch } from './toy';

function makeTrainer(opts: Partial<TrainerOptions<Mlp, Batch>> & { optimizer?: Optimizer; model?: Mlp } = {}) {
	const model = opts.model ?? new Mlp(3);
	const optimizer = opts.optimizer ?? new Adam(model.parameters(), { lr: 0.02 });
	return new Trainer<Mlp, Batch>({ model, optimizer, lossFn: mse, data: regression(64, 11), batchSize: 8, epochs: 3, seed: 5, ...opts });
}

const flatParams = (m: Mlp) => m.parameters().flatMap((p) => Array.from(p.data));

describe('Trainer', () => {
	it('fits a seeded regression: the last epoch’s mean loss is under 5% of the first step’s', () => {
		const model = new Mlp(3);
		const events: TrainEvent[] = [];
		const trainer = makeTrainer({ model, epochs: 8, onEvent: (e) => events.push(e) });
		const steps = trainer.trainSteps(trainer.totalSteps);
		const epochs = events.filter((e) => e.type === 'epoch');
		expect(steps).toHaveLength(8 * 8);
		expect(epochs).toHaveLength(8);
		expect(epochs[7].train.loss).toBeLessThan(0.05 * steps[0].loss);
		expect(events.at(-1)).toEqual({ type: 'done', step: 64, epoch: 8, stopped: false });
		expect(trainer.status).toBe('done');
	});

	it('gives bit-identical parameters for the same seed, and different ones for another seed', () => {
		const run = (seed: number) => {
			const model = new Mlp(3);
			makeTrainer({ model, seed }).trainSteps(20);
			return flatParams(model);
		};
		expect(run(5)).toEqual(run(5));
		expect(run(6)).not.toEqual(run(5));
	});

	it('async run with pauses, resumes and yields ends where a synchronous run does', async () => {
		const syncModel = new Mlp(3);
		makeTrainer({ model: syncModel }).trainSteps(24);
		const model = new Mlp(3);
		const trainer = makeTrainer({ model, yieldEvery: 2 });
		let pauses = 0;
		trainer.onEvent((e) => {
			if (e.type === 'step' && e.step % 5 === 0) {
				trainer.pause();
				pauses++;
				setTimeout(() => trainer.resume(), 1);
			}
		});
		await trainer.run();
		expect(pauses).toBe(4);
		expect(trainer.status).toBe('done');
		expect(flatParams(model)).toEqual(flatParams(syncModel));
	});

	it('pausing holds training between steps until resumed', async () => {
		const trainer = makeTrainer();
		trainer.onEvent((e) => e.type === 'step' && e.step === 3 && trainer.pause());
		const running = trainer.run();
		// Wait for the pause itself rather than a fixed time, which a loaded machine can overrun.
		await vi.waitFor(() => expect(trainer.status).toBe('paused'), { timeout: 10_000 });
		await new Promise((r) => setTimeout(r, 20));
		expect(trainer.stepsDone).toBe(3);
		trainer.resume();
		await running;
		expect(trainer.stepsDone).toBe(24);
	});

	it('stop ends after the current step with a done event marked stopped, even while paused', async () => {
		const trainer = makeTrainer();
		const seen: TrainEvent[] = [];
		trainer.onEvent((e) => {
			seen.push(e);
			if (e.type === 'step' && e.step === 10) {
				trainer.pause();
				setTimeout(() => trainer.stop(), 1);
			}
		});
		await trainer.run();
		expect(trainer.status).toBe('stopped');
		expect(seen.at(-1)).toEqual({ type: 'done', step: 10, epoch: 1, stopped: true });
		expect(() => trainer.trainSteps(1)).toThrow('cannot train a trainer that is stopped');
	});

	it('streams events through an async iterator that ends with done', async () => {
		const trainer = makeTrainer({ epochs: 1 });
		const types: string[] = [];
		const consume = (async () => {
			for await (const e of trainer.events()) types.push(e.type);
		})();
		await trainer.run();
		await consume;
		expect(types).toEqual([...Array(8).fill('step'), 'epoch', 'done']);
	});

	it('stops at a non-finite loss without applying the step, naming the step and suggesting a lower rate', () => {
		const model = new Mlp(3);
		const trainer = makeTrainer({ model, optimizer: new SGD(model.parameters(), { lr: 5 }) });
		const events: TrainEvent[] = [];
		trainer.onEvent((e) => events.push(e));
		let before: number[] = [];
		trainer.onEvent((e) => e.type === 'step' && (before = flatParams(model)));
		trainer.trainSteps(100);
		const error = events.at(-1);
		expect(error?.type).toBe('error');
		if (error?.type !== 'error') return;
		const lastStep = events.filter((e) => e.type === 'step').length;
		expect(error.step).toBe(lastStep + 1);
		expect(error.message).toMatch(
			new RegExp(`^Step ${lastStep + 1} \\(epoch \\d\\): the (loss|gradient norm) is (NaN|Infinity|-Infinity)`)
		);
		expect(error.message).toContain(`the parameters are those after step ${lastStep}. Try a lower learning rate (it is 5)`);
		expect(trainer.status).toBe('failed');
		expect(flatParams(model)).toEqual(before);
		expect(flatParams(model).every(Number.isFinite)).toBe(true);
	});

	it('reports a failing loss function as an error event naming the step, and rethrows from trainSteps', () => {
		const events: TrainEvent[] = [];
		const trainer = makeTrainer({ lossFn: (m, b) => ({ loss: m.forward(b.x) }), onEvent: (e) => events.push(e) });
		expect(() => trainer.trainSteps(1)).toThrow(/only one-element tensors have an item/);
		expect(events).toEqual([
			{ type: 'error', step: 1, epoch: 1, message: expect.stringMatching(/^Step 1 \(epoch 1\): item: only one-element/) }
		]);
	});

	it('reports a failing validation as an error after the epoch, with the last applied step', () => {
		const events: TrainEvent[] = [];
		const trainer = makeTrainer({
			evaluate: () => {
				throw new Error('no validation set');
			},
			onEvent: (e) => events.push(e)
		});
		expect(() => trainer.trainSteps(10)).toThrow('no validation set');
		expect(events.at(-1)).toEqual({ type: 'error', step: 8, epoch: 1, message: 'After epoch 1: no validation set' });
		expect(trainer.stepsDone).toBe(8);
	});

	it('applies the schedule per step or per epoch and reports the rate each step used', () => {
		const lrs = (scheduleBy: 'step' | 'epoch') =>
			makeTrainer({ schedule: new StepLR({ lr: 0.1, stepSize: 2, gamma: 0.5 }), scheduleBy })
				.trainSteps(24)
				.map((e) => e.lr);
		expect(lrs('step').slice(0, 5)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
		expect(lrs('epoch')).toEqual([...Array(16).fill(0.1), ...Array(8).fill(0.05)]);
	});

	it('clips the gradient to clipNorm and reports the norm before clipping', () => {
		const steps = makeTrainer({ clipNorm: 1e-3 }).trainSteps(3);
		expect(steps.every((s) => s.gradNorm > 1e-3)).toBe(true);
	});

	it('validates on valData at each epoch end in eval mode, with example-weighted means', () => {
		const modes: boolean[] = [];
		const events: TrainEvent[] = [];
		const trainer = makeTrainer({
			valData: regression(20, 12),
			epochs: 1,
			lossFn: (m, b) => {
				modes.push(m.training);
				return { ...mse(m, b), metrics: { batch: b.x.shape[0] } };
			},
			onEvent: (e) => events.push(e)
		});
		trainer.trainSteps(8);
		const epoch = events.find((e) => e.type === 'epoch');
		if (epoch?.type !== 'epoch') throw new Error('no epoch event');
		expect(modes).toEqual([...Array(8).fill(true), false, false, false]);
		// Validation batches of 8, 8 and 4 examples: the mean of `batch` is weighted by size.
		expect(epoch.val?.batch).toBeCloseTo((8 * 8 + 8 * 8 + 4 * 4) / 20, 12);
		expect(epoch.train.batch).toBe(8);
		expect(events.at(-1)?.type).toBe('done');
	});

	it('visits every example once per epoch, including a final partial batch', () => {
		const seen: number[][] = [];
		const data = regression(10, 1);
		const trainer = makeTrainer({
			data: { size: 10, getBatch: (idx) => (seen.push(idx), data.getBatch(idx)) },
			batchSize: 4,
			epochs: 2
		});
		expect(trainer.stepsPerEpoch).toBe(3);
		trainer.trainSteps(6);
		expect(seen.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2]);
		expect(
			seen
				.slice(0, 3)
				.flat()
				.sort((a, b) => a - b)
		).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(seen.slice(3).flat()).not.toEqual(seen.slice(0, 3).flat());
	});

	it('rejects settings that cannot train', () => {
		expect(() => makeTrainer({ batchSize: 0 })).toThrow('Trainer: batchSize must be an integer ≥ 1, got 0');
		expect(() => makeTrainer({ data: { size: 0, getBatch: () => ({}) as Batch } })).toThrow('the dataset is empty');
	});
});
