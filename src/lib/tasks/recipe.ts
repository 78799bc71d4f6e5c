import type { Module } from '../nn/module';
import { AdamW, warmupCosine, type LrSchedule } from '../optim/index';
import { Trainer, type Dataset, type TrainEvent } from '../train/index';
import type { TaskDefinition, TrainSettings } from './task';

/**
 * The recipe's learning rate over `totalSteps`: a linear warm-up over a twentieth of training (at
 * least one step), which keeps Adam's first, noisy steps small, then cosine decay. None for a
 * single step.
 */
export function recipeSchedule(lr: number, totalSteps: number): LrSchedule | undefined {
	return totalSteps > 1 ? warmupCosine({ lr, warmupSteps: Math.max(1, Math.round(totalSteps / 20)), totalSteps }) : undefined;
}

/**
 * The one training recipe every front end uses (`npm run train`, the page's Worker, the tests):
 * AdamW with a short linear warm-up then cosine decay, the task's loss and evaluation.
 *
 * @example
 * const trainer = makeTrainer(classificationTask, model, data, classificationTask.defaults.train);
 * await trainer.run();
 */
export function makeTrainer<B, D, M>(
	task: TaskDefinition<B, D, M>,
	model: Module,
	data: { train: Dataset<B>; val: Dataset<B> },
	settings: TrainSettings,
	onEvent?: (e: TrainEvent) => void
): Trainer<Module, B> {
	const optimizer = new AdamW(model.parameters(), { lr: settings.lr, weightDecay: settings.weightDecay });
	const stepsPerEpoch = Math.ceil(data.train.size / settings.batchSize);
	const total = stepsPerEpoch * settings.epochs;
	return new Trainer({
		model,
		optimizer,
		lossFn: (m, b) => task.loss(m, b),
		data: data.train,
		valData: data.val,
		evaluate: (m, val) => (val ? task.evaluate(m, val) : {}),
		batchSize: settings.batchSize,
		epochs: settings.epochs,
		seed: settings.seed,
		schedule: recipeSchedule(settings.lr, total),
		clipNorm: settings.clipNorm,
		onEvent
	});
}
