/**
 * One training run of a lab's config, with one worker (a plain `Trainer` in this thread) or N ≥ 2
 * (a `DataParallelTrainer` over a pool), behind one interface. Both follow the tasks' recipe
 * (`tasks/recipe.ts`): AdamW, a linear warm-up over a twentieth of the steps then cosine decay,
 * the task's loss, the config's seed for initialisation and shuffling. UI-free.
 */
import { ValueError } from '../engine/index';
import { buildModel, specConfig } from '../lab/build';
import type { LabConfig } from '../lab/config';
import { flattenParams, loadFlatParams } from '../lab/params';
import type { Module } from '../nn/module';
import { AdamW, type LrSchedule } from '../optim/index';
import { makeTrainer, recipeSchedule, tasks, type TaskDefinition, type TrainSettings } from '../tasks/index';
import type { TrainEvent } from '../train/events';
import type { TrainerStatus } from '../train/trainer';
import { DataParallelTrainer } from './data-parallel';
import type { WorkerPool } from './pool';

/** What the session needs of either trainer. */
export interface TrainRun {
	readonly model: Module;
	readonly totalSteps: number;
	readonly stepsPerEpoch: number;
	readonly workers: number;
	readonly sharedMemory: boolean;
	/** Whether a failed step can be retried (a worker fault); a single thread's failure is final. */
	readonly resumable: boolean;
	readonly status: TrainerStatus;
	onEvent(listener: (event: TrainEvent) => void): () => void;
	/** Resolves when the run ends, pauses for good or fails. */
	run(): Promise<void>;
	pause(): void;
	/** Resolves once no step is in flight, so a pause has really taken hold. */
	idle(): Promise<void>;
	/** Continue a paused run, or retry a failed step when `resumable`. */
	resume(): Promise<void>;
	stop(): void;
	/** Stop and free the replicas in the pool's workers. */
	release(): Promise<void>;
}

// The tasks differ in batch and option types; a run only passes them through.
type AnyTask = TaskDefinition<unknown, Record<string, unknown>, Record<string, unknown>>;

/** The recipe's training settings for a lab config. */
export function settingsOf(config: LabConfig): TrainSettings {
	const { lr, epochs, batchSize } = config.train;
	return { ...tasks[config.task].defaults.train, lr, epochs, batchSize, seed: config.seed };
}

/** Throws unless `workers` is a whole number ≥ 1. */
export function checkWorkers(workers: number): void {
	if (!Number.isInteger(workers) || workers < 1) throw new ValueError(`workers must be a whole number ≥ 1, got ${workers}`);
}

/** The config's model, with `params` loaded when given; a length that does not fit throws. */
function modelFrom(config: LabConfig, params: Float32Array | null): Module {
	const model = buildModel(config);
	if (params) loadFlatParams(model, params);
	return model;
}

/**
 * Build a run of `config` from `params` (null: the seeded initialisation). With `workers` ≥ 2,
 * `pool` must have that many workers.
 */
export async function createRun(
	config: LabConfig,
	workers: number,
	params: Float32Array | null,
	pool: WorkerPool | null
): Promise<TrainRun> {
	checkWorkers(workers);
	const model = modelFrom(config, params);
	const settings = settingsOf(config);
	if (workers === 1) return singleRun(config, model, settings);
	if (!pool || pool.size !== workers) throw new ValueError(`a run on ${workers} workers needs a pool of ${workers}`);
	return parallelRun(config, model, settings, pool);
}

function singleRun(config: LabConfig, model: Module, settings: TrainSettings): TrainRun {
	const task = tasks[config.task] as unknown as AnyTask;
	const spec = specConfig(config);
	const data = task.makeData({ ...spec.data, seed: spec.dataSeed });
	const trainer = makeTrainer(task, model, data, settings);
	let loop: Promise<void> | null = null;
	return {
		model,
		totalSteps: trainer.totalSteps,
		stepsPerEpoch: trainer.stepsPerEpoch,
		workers: 1,
		sharedMemory: false,
		resumable: false,
		get status() {
			return trainer.status;
		},
		onEvent: (l) => trainer.onEvent(l),
		run: () => (loop ??= trainer.run()),
		pause: () => trainer.pause(),
		// Steps run synchronously between messages: none is ever in flight when a pause arrives.
		idle: () => Promise.resolve(),
		resume() {
			trainer.resume();
			return loop ?? Promise.resolve();
		},
		stop: () => trainer.stop(),
		async release() {
			trainer.stop();
		}
	};
}

async function parallelRun(config: LabConfig, model: Module, settings: TrainSettings, pool: WorkerPool): Promise<TrainRun> {
	// The schedule needs the step count, which the workers report once they have built the data.
	const later: { schedule?: LrSchedule } = {};
	const trainer = await DataParallelTrainer.create({
		pool,
		spec: { name: config.task, config: specConfig(config) },
		model,
		optimizer: new AdamW(model.parameters(), { lr: settings.lr, weightDecay: settings.weightDecay }),
		batchSize: settings.batchSize,
		epochs: settings.epochs,
		seed: settings.seed,
		schedule: { get: (t) => later.schedule?.get(t) ?? settings.lr },
		clipNorm: settings.clipNorm
	});
	later.schedule = recipeSchedule(settings.lr, trainer.totalSteps);
	return {
		model,
		totalSteps: trainer.totalSteps,
		stepsPerEpoch: trainer.stepsPerEpoch,
		workers: pool.size,
		sharedMemory: trainer.sharedMemory,
		resumable: true,
		get status() {
			return trainer.status;
		},
		onEvent: (l) => trainer.onEvent(l),
		run: () => trainer.run(),
		pause: () => trainer.pause(),
		idle: () => trainer.idle(),
		resume: () => trainer.resume(),
		stop: () => trainer.stop(),
		release: () => trainer.release()
	};
}

/** The parameters of a run's model, flat. */
export const paramsOf = (run: TrainRun): Float32Array => flattenParams(run.model);
