import { classificationTask } from './classification/index';
import { trackingTask } from './tracking/index';
import { generationTask } from './generation/index';

export type { TaskDefinition, TaskName, TrainSettings, AttentionMaps } from './task';
export { makeTrainer, recipeSchedule } from './recipe';
export * as video from './video/index';
export * as classification from './classification/index';
export * as tracking from './tracking/index';
export * as generation from './generation/index';
export * as article from './article/index';

/** The three video tasks by name, for `npm run train`, the trainer Worker and the lessons. */
export const tasks = {
	classification: classificationTask,
	tracking: trackingTask,
	generation: generationTask
} as const;
