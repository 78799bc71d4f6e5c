/**
 * Build a lab's model and its preview clips from a `LabConfig`, the same way the trainer Worker's
 * spec does (`parallel/specs.ts`), so parameters from the Worker load into the page's model. UI-free.
 */
import { Rng } from '../engine/index';
import type { Module } from '../nn/module';
import { tasks } from '../tasks/index';
import type { TaskSpecConfig } from '../parallel/specs';
import type { Dataset } from '../train/trainer';
import type { LabConfig } from './config';

/** Clips the page keeps for its views: the first few of the validation split. */
export const PREVIEW_CLIPS = 8;

/** Model options that follow from the data (a generator's frame size and length). */
function derivedModelOptions(config: LabConfig): Record<string, number> {
	if (config.task !== 'generation') return {};
	const data = { ...tasks.generation.defaults.data, ...config.data };
	return { maxFrames: Number(data.frames), height: Number(data.height), width: Number(data.width) };
}

/** What the trainer Worker builds its replicas and data from. */
export function specConfig(config: LabConfig): TaskSpecConfig<Record<string, unknown>, Record<string, unknown>> {
	return {
		variant: config.variant,
		data: { ...config.data },
		model: { ...config.model, ...derivedModelOptions(config) },
		dataSeed: config.seed
	};
}

export function buildModel(config: LabConfig): Module {
	const spec = specConfig(config);
	return tasks[config.task].makeModel(config.variant, { ...spec.model, rng: new Rng(config.seed) } as never);
}

/** The validation clips the views show, made without the training split. */
export function buildPreviewData(config: LabConfig): Dataset<unknown> {
	const spec = specConfig(config);
	const { val } = tasks[config.task].makeData({ ...spec.data, trainSize: 1, valSize: PREVIEW_CLIPS, seed: config.seed } as never);
	return val as Dataset<unknown>;
}
