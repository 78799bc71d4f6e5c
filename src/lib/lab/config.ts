/**
 * What a lesson's lab is set to: the task, the model variant, the seed and the knobs a learner can
 * turn. Plain data, so it round-trips through share links and crosses to the trainer Worker. UI-free.
 *
 * @example
 * const config = defaultConfig('classification');
 * setKnob(config, 'data.noise', '0.3'); // { ok: true, config: { …, data: { …, noise: 0.3 } } }
 * setKnob(config, 'data.noise', 'lots'); // { ok: false, error: 'Noise must be a number' }
 */
import { tasks, type TaskName } from '../tasks/index';
import { resolveGenerationOptions } from '../tasks/video/generation';
import { resolveTrackingOptions } from '../tasks/video/tracking';

export const TASK_NAMES = Object.keys(tasks) as TaskName[];

export interface LabConfig {
	task: TaskName;
	variant: string;
	seed: number;
	/** Overrides of the task's data options (numbers only: the knobs). */
	data: Record<string, number>;
	/** Overrides of the task's model options. */
	model: Record<string, number>;
	train: { lr: number; epochs: number; batchSize: number };
}

export type KnobGroup = 'data' | 'model' | 'train' | 'seed';

/** One knob: `key` is `group.name` (or `seed`), as share links and teacher pins name it. */
export interface KnobSpec {
	key: string;
	label: string;
	min: number;
	max: number;
	step: number;
	integer: boolean;
	/** Shown under the control. */
	help?: string;
}

const seedKnob: KnobSpec = {
	key: 'seed',
	label: 'Seed',
	min: 0,
	max: 2 ** 31 - 1,
	step: 1,
	integer: true,
	help: 'Same seed, same data, weights and curve.'
};
const lrKnob: KnobSpec = { key: 'train.lr', label: 'Learning rate', min: 1e-5, max: 1, step: 1e-4, integer: false };
const epochsKnob: KnobSpec = { key: 'train.epochs', label: 'Epochs', min: 1, max: 100, step: 1, integer: true };
const batchKnob: KnobSpec = { key: 'train.batchSize', label: 'Batch size', min: 1, max: 256, step: 1, integer: true };
const noiseKnob: KnobSpec = { key: 'data.noise', label: 'Noise σ', min: 0, max: 1, step: 0.01, integer: false };

/** The knobs of each task, in the order a panel shows them. */
export const KNOBS: Record<TaskName, KnobSpec[]> = {
	classification: [
		{ key: 'data.frames', label: 'Frames', min: 2, max: 32, step: 1, integer: true },
		noiseKnob,
		{ key: 'data.distractors', label: 'Distractor dots', min: 0, max: 20, step: 1, integer: true },
		{ key: 'model.dim', label: 'Hidden size', min: 2, max: 128, step: 1, integer: true },
		lrKnob,
		epochsKnob,
		batchKnob,
		seedKnob
	],
	tracking: [
		{ key: 'data.frames', label: 'Frames', min: 2, max: 32, step: 1, integer: true },
		noiseKnob,
		{ key: 'data.distractors', label: 'Distractor dots', min: 0, max: 20, step: 1, integer: true },
		{
			key: 'model.channels',
			label: 'Channels',
			min: 1,
			max: 32,
			step: 1,
			integer: true,
			help: "The encoder's feature channels, in both trackers."
		},
		{
			key: 'model.hidden',
			label: 'Hidden size',
			min: 2,
			max: 128,
			step: 1,
			integer: true,
			help: "The baseline's MLP head only: the attention tracker has none."
		},
		lrKnob,
		epochsKnob,
		batchKnob,
		seedKnob
	],
	generation: [
		{ key: 'data.frames', label: 'Frames', min: 3, max: 16, step: 1, integer: true, help: 'Context frames plus the frames to predict.' },
		noiseKnob,
		{ key: 'model.embedDim', label: 'Hidden size', min: 4, max: 128, step: 1, integer: true },
		{ key: 'model.numHeads', label: 'Heads', min: 1, max: 8, step: 1, integer: true, help: 'Must divide the hidden size.' },
		lrKnob,
		epochsKnob,
		batchKnob,
		seedKnob
	]
};

export function knobsOf(task: TaskName): KnobSpec[] {
	return KNOBS[task];
}

export function findKnob(task: TaskName, key: string): KnobSpec | undefined {
	return KNOBS[task].find((k) => k.key === key);
}

/** The task's defaults: the first variant, seed 0, no overrides, the task's training settings. */
export function defaultConfig(task: TaskName, variant?: string): LabConfig {
	const def = tasks[task];
	const { lr, epochs, batchSize, seed } = def.defaults.train;
	return { task, variant: variant ?? def.variants[0], seed, data: {}, model: {}, train: { lr, epochs, batchSize } };
}

/** The knob's current value: the override if set, else the task's default. */
export function knobValue(config: LabConfig, key: string): number {
	if (key === 'seed') return config.seed;
	const [group, name] = key.split('.') as [Exclude<KnobGroup, 'seed'>, string];
	if (group === 'train') return config.train[name as keyof LabConfig['train']];
	const override = config[group][name];
	if (override !== undefined) return override;
	const defaults = tasks[config.task].defaults[group] as unknown as Record<string, unknown>;
	if (group === 'model' || defaults[name] !== undefined) return Number(defaults[name]);
	// Some data options (tracking's frames, noise and dots; generation's noise) are left to the clip generator.
	const data = { ...defaults, ...config.data };
	const resolved: Record<string, unknown> =
		config.task === 'tracking'
			? { ...resolveTrackingOptions(data) }
			: config.task === 'generation'
				? { ...resolveGenerationOptions(data) }
				: {};
	return Number(resolved[name]);
}

export type KnobResult = { ok: true; config: LabConfig } | { ok: false; error: string };

/** A copy of `config` with knob `key` set from `raw` (text from an input), or why it cannot be. */
export function setKnob(config: LabConfig, key: string, raw: string | number): KnobResult {
	const knob = findKnob(config.task, key);
	if (!knob) return { ok: false, error: `${config.task} has no knob "${key}"` };
	const text = String(raw).trim();
	const value = text === '' ? NaN : Number(text);
	if (!Number.isFinite(value)) return { ok: false, error: `${knob.label} must be a number` };
	if (knob.integer && !Number.isInteger(value)) return { ok: false, error: `${knob.label} must be a whole number` };
	if (value < knob.min || value > knob.max) return { ok: false, error: `${knob.label} must be between ${knob.min} and ${knob.max}` };
	const next = structuredClone(config);
	if (key === 'seed') next.seed = value;
	else {
		const [group, name] = key.split('.') as [Exclude<KnobGroup, 'seed'>, string];
		if (group === 'train') next.train[name as keyof LabConfig['train']] = value;
		else next[group][name] = value;
	}
	return { ok: true, config: next };
}
