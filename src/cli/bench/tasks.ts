import { Rng } from '../../lib/engine/index';
import { AdamW } from '../../lib/optim/index';
import { tasks, type TaskDefinition } from '../../lib/tasks/index';
import { time, type Budget } from './measure';
import type { Row } from './report';

/**
 * One training step of a task's default model at its default batch size, as the training
 * recipe takes it (the task's loss, AdamW), on one fixed batch.
 */
function taskRow<B, D, M>(task: TaskDefinition<B, D, M>, budget: Budget): Row {
	const { batchSize, lr, weightDecay, seed } = task.defaults.train;
	const variant = task.variants[0];
	const data = task.makeData({ seed } as Partial<D> & { seed: number });
	const model = task.makeModel(variant, { rng: new Rng(seed) } as Partial<M> & { rng: Rng });
	model.train();
	const optimizer = new AdamW(model.parameters(), { lr, weightDecay });
	const size = Math.min(batchSize, data.train.size);
	const batch = data.train.getBatch(Array.from({ length: size }, (_, i) => i));
	const t = time(() => {
		const out = task.loss(model, batch);
		optimizer.zeroGrad();
		out.loss.backward();
		optimizer.step();
	}, budget);
	return {
		name: `${task.name} train step (${variant}, batch ${size})`,
		unit: 'ms/step',
		higherIsBetter: false,
		glance: t.median,
		peers: {},
		note: 'Glance only: the task models are not ported to TensorFlow.js',
		timings: { glance: t }
	};
}

/** A row per task in the registry. */
export function taskRows(budget: Budget): Row[] {
	return Object.values(tasks).map((task) => taskRow(task as TaskDefinition<unknown, unknown, unknown>, budget));
}
