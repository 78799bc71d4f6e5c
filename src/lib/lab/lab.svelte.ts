/**
 * One lesson's live lab: the config the knobs edit, the model and clips built from it, the clip and
 * frame every view is linked to, and the teacher's flags. Widgets on a lesson page share it through
 * Svelte context (`setLab` in the page, `getLab` in a widget); each view derives what it draws from
 * `model`, `data`, `example`, `frame` and `version`, so an edit, a knob or a training snapshot
 * redraws every view at once.
 *
 * @example
 * const lab = new Lab(defaultConfig('tracking'));
 * lab.setKnob('data.noise', '0.2'); // null, or the reason it was refused (the last valid state stays)
 * lab.editWeight('fc.weight', 0, 0.5);
 */
import { getContext, setContext } from 'svelte';
import type { Module } from '../nn/module';
import type { Dataset } from '../train/trainer';
import { buildModel, buildPreviewData } from './build';
import { defaultConfig, setKnob, type LabConfig } from './config';
import { flattenParams, loadFlatParams } from './params';

/** Link flags a teacher sets: controls to hide, knobs to pin, whether solutions may be shown. */
export interface TeacherFlags {
	hide: string[];
	pin: string[];
	solutions: boolean;
}

export const NO_FLAGS: TeacherFlags = { hide: [], pin: [], solutions: true };

export class Lab {
	config = $state.raw<LabConfig>() as LabConfig;
	model = $state.raw<Module>() as Module;
	data = $state.raw<Dataset<unknown>>() as Dataset<unknown>;
	/** Which preview clip the views show. */
	example = $state(0);
	/** The frame the linked scrubber is on. */
	frame = $state(0);
	/** Bumped whenever the model's parameters change in place (an edit, a snapshot, a rewind). */
	version = $state(0);
	flags = $state.raw<TeacherFlags>(NO_FLAGS);
	/** Set by the trainer panel while a run holds the model (running, paused or replaying): settings changed now stop it. */
	training = $state(false);
	/** Parameters at initialisation, for Reset. */
	private initial: Float32Array;

	constructor(config: LabConfig, flags: TeacherFlags = NO_FLAGS) {
		this.config = config;
		this.model = buildModel(config);
		this.data = buildPreviewData(config);
		this.initial = flattenParams(this.model);
		this.flags = flags;
	}

	/** Switch to `next`, rebuilding model and clips; on failure keep everything as it was and return why. */
	setConfig(next: LabConfig): string | null {
		try {
			const model = buildModel(next);
			const data = buildPreviewData(next);
			this.config = next;
			this.model = model;
			this.data = data;
			this.initial = flattenParams(model);
			this.example = Math.min(this.example, data.size - 1);
			this.frame = 0;
			this.version++;
			return null;
		} catch (err) {
			return err instanceof Error ? err.message : String(err);
		}
	}

	/** Set one knob from text; returns the reason when refused (state unchanged), else null. */
	setKnob(key: string, raw: string | number): string | null {
		if (this.flags.pin.includes(key)) return 'pinned by your teacher';
		const result = setKnob(this.config, key, raw);
		return result.ok ? this.setConfig(result.config) : result.error;
	}

	/** Set one weight; returns the reason when refused. */
	editWeight(name: string, index: number, value: number): string | null {
		const param = this.model.namedParameters().find(([n]) => n === name)?.[1];
		if (!param) return `the model has no parameter "${name}"`;
		if (!Number.isInteger(index) || index < 0 || index >= param.size)
			return `${name} has ${param.size} values; index ${index} is out of range`;
		if (!Number.isFinite(value)) return 'a weight must be a finite number';
		param.data[index] = value;
		this.version++;
		return null;
	}

	/** Load parameters sent by the trainer (a snapshot, or a rewind to one). */
	setParams(flat: ArrayLike<number>): void {
		loadFlatParams(this.model, flat);
		this.version++;
	}

	params(): Float32Array {
		return flattenParams(this.model);
	}

	/** The task's defaults and the initial weights. */
	reset(): void {
		this.setConfig(defaultConfig(this.config.task, this.config.variant));
		loadFlatParams(this.model, this.initial);
	}
}

const KEY = Symbol('lab');

export function setLab(lab: Lab): Lab {
	return setContext(KEY, lab);
}

/** The page's lab, or undefined on a page without one (a lesson with `task: none`). */
export function getLab(): Lab | undefined {
	return getContext<Lab | undefined>(KEY);
}
