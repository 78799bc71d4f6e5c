/**
 * A knob's current value for display. `knobValue` reads the task's declared defaults; some data
 * options (tracking's frames, noise and dots; generation's noise) are filled in by the clip generator
 * instead, so those fall back to the generator's resolved options.
 *
 * @example
 * currentKnob(defaultConfig('tracking'), 'data.frames'); // 8
 */
import { knobValue, type LabConfig } from '$lib/lab/config';
import { tasks } from '$lib/tasks/index';
import { resolveGenerationOptions } from '$lib/tasks/video/generation';
import { resolveTrackingOptions } from '$lib/tasks/video/tracking';

export function currentKnob(config: LabConfig, key: string): number {
	const value = knobValue(config, key);
	if (!Number.isNaN(value) || !key.startsWith('data.')) return value;
	const name = key.slice('data.'.length);
	const data = { ...tasks[config.task].defaults.data, ...config.data };
	const resolved: Record<string, unknown> =
		config.task === 'tracking'
			? { ...resolveTrackingOptions(data) }
			: config.task === 'generation'
				? { ...resolveGenerationOptions(data) }
				: {};
	return Number(resolved[name]);
}
