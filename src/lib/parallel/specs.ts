import { Rng, type Tensor } from '../engine/index';
import { defineModelSpec, specTable } from '../train/model-spec';
import { classificationTask } from '../tasks/classification/index';
import { trackingTask } from '../tasks/tracking/index';
import { generationTask } from '../tasks/generation/index';
import type { TaskDefinition } from '../tasks/task';

/** What a worker needs to rebuild a task's model and data: plain values that survive structuredClone. */
export interface TaskSpecConfig<D, M> {
	variant: string;
	data?: Partial<D>;
	model?: Partial<M>;
	dataSeed: number;
}

/** A task as a model spec: the worker builds the same model and data from the config alone. */
function taskSpec<B, D, M>(task: TaskDefinition<B, D, M>) {
	return defineModelSpec({
		name: task.name,
		createModel: (c: TaskSpecConfig<D, M>, seed: number) =>
			task.makeModel(c.variant, { ...c.model, rng: new Rng(seed) } as Partial<M> & { rng: Rng }),
		createData: (c: TaskSpecConfig<D, M>) => task.makeData({ ...c.data, seed: c.dataSeed } as Partial<D> & { seed: number }),
		lossFn: (m, b: B) => task.loss(m, b),
		snapshot: (m, b: B): Record<string, Tensor> => {
			const maps = task.attention(m, b);
			return maps ? { attention: maps.weights } : {};
		}
	});
}

/**
 * The model specs the app's workers can build: the three video tasks. Node tools bundle
 * their workers with the table they need.
 */
export const appSpecs = specTable(taskSpec(classificationTask), taskSpec(trackingTask), taskSpec(generationTask));
