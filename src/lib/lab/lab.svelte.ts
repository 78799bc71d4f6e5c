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
 * lab.editWeight('fc.weight', 0, 0.5); // recorded in lab.edits, which share links carry
 */
import { getContext, setContext } from 'svelte';
import type { Module } from '../nn/module';
import type { Dataset } from '../train/trainer';
import { buildModel, buildPreviewData, specConfig } from './build';
import { defaultConfig, knobValue, setKnob, type LabConfig } from './config';
import { flattenParams, loadFlatParams, paramLayout } from './params';
import {
	NO_FLAGS,
	VARIANT_KEY,
	decodeShare,
	encodeShare,
	shareStateOf,
	type LessonTask,
	type TeacherFlags,
	type WeightEdits
} from './share';
import type { WeightsFile } from './weights';

export { NO_FLAGS, type TeacherFlags, type WeightEdits } from './share';

/** Why a control cannot change: the teacher pinned it. */
export const PINNED = 'pinned by your teacher';

/**
 * What moving from `before` to `after` rebuilds: the model when its options or the seed change, the
 * preview clips when theirs or the seed do. A training setting rebuilds neither.
 */
function rebuilds(before: LabConfig, after: LabConfig): { model: boolean; data: boolean } {
	const [was, is] = [specConfig(before), specConfig(after)];
	const seeded = after.seed !== before.seed;
	return {
		model: seeded || JSON.stringify(is.model) !== JSON.stringify(was.model),
		data: seeded || JSON.stringify(is.data) !== JSON.stringify(was.data)
	};
}

/** What a teacher's pin holds fixed: the model variant, or a knob's value. */
function pinnedValue(config: LabConfig, key: string): string | number {
	return key === VARIANT_KEY ? config.variant : knobValue(config, key);
}

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
	/** Single-weight edits since the model was built, name → index → value; replaced (never mutated) on each edit. */
	edits = $state.raw<WeightEdits>({});
	/** Parameters as built from the config, before edits and training. */
	private initial: Float32Array;

	constructor(config: LabConfig, flags: TeacherFlags = NO_FLAGS) {
		this.config = config;
		this.model = buildModel(config);
		this.data = buildPreviewData(config);
		this.initial = flattenParams(this.model);
		this.flags = flags;
	}

	/** Switch to `next`, rebuilding model and clips and dropping edits; on failure keep everything as it was and return why. */
	setConfig(next: LabConfig): string | null {
		try {
			this.adopt(next, buildModel(next), buildPreviewData(next));
			return null;
		} catch (err) {
			return err instanceof Error ? err.message : String(err);
		}
	}

	/**
	 * Set one knob from text; returns the reason when refused (state unchanged), else null. Only what the
	 * knob feeds is rebuilt: a training setting rebuilds nothing; a data option the model does not depend
	 * on keeps the model, with its trained or edited weights; a model size keeps the clips.
	 */
	setKnob(key: string, raw: string | number): string | null {
		if (this.flags.pin.includes(key)) return PINNED;
		const result = setKnob(this.config, key, raw);
		if (!result.ok) return result.error;
		const next = result.config;
		const changed = rebuilds(this.config, next);
		let model: Module | null = null;
		let data: Dataset<unknown> | null = null;
		try {
			if (changed.model) model = buildModel(next);
			if (changed.data) data = buildPreviewData(next);
		} catch (err) {
			return err instanceof Error ? err.message : String(err);
		}
		this.adopt(next, model, data);
		return null;
	}

	/** Switch model variant (a fresh model at the same knobs); returns the reason when refused. */
	setVariant(variant: string): string | null {
		if (this.flags.pin.includes(VARIANT_KEY)) return PINNED;
		if (variant === this.config.variant) return null;
		return this.setConfig({ ...this.config, variant });
	}

	/** Set one weight and record the edit; returns the reason when refused. */
	editWeight(name: string, index: number, value: number): string | null {
		const param = this.model.namedParameters().find(([n]) => n === name)?.[1];
		if (!param) return `the model has no parameter "${name}"`;
		if (!Number.isInteger(index) || index < 0 || index >= param.size)
			return `${name} has ${param.size} values; index ${index} is out of range`;
		if (!Number.isFinite(value)) return 'a weight must be a finite number';
		param.data[index] = value;
		this.edits = { ...this.edits, [name]: { ...this.edits[name], [index]: value } };
		this.version++;
		return null;
	}

	/** Load parameters sent by the trainer (a snapshot, or a rewind to one). */
	setParams(flat: ArrayLike<number>): void {
		loadFlatParams(this.model, flat);
		this.version++;
	}

	/**
	 * Replace the model with weights read from a file (`readWeightsFile`), under the settings the
	 * file carries, or the current ones when it carries none. All or nothing: returns why when
	 * refused (a run holds the model, the file changes a pinned knob, a weight is missing or the
	 * wrong shape), and the lab keeps what it had.
	 */
	loadWeights(file: WeightsFile): string | null {
		if (this.training) return 'stop the training run first: it would overwrite the loaded weights';
		const next = file.config ?? this.config;
		const pinned = this.flags.pin.find((key) => pinnedValue(next, key) !== pinnedValue(this.config, key));
		if (pinned) return `the file sets "${pinned}", which your teacher pinned`;
		const dataChanged = rebuilds(this.config, next).data;
		let model: Module;
		let initial: Float32Array;
		let data: Dataset<unknown> | null = null;
		try {
			model = buildModel(next);
			initial = flattenParams(model);
			model.loadStateDict(file.tensors);
			if (dataChanged) data = buildPreviewData(next);
		} catch (err) {
			return err instanceof Error ? err.message : String(err);
		}
		this.adopt(next, model, data, initial);
		return null;
	}

	/**
	 * Switch to `next` with what was rebuilt for it (null: kept). A new model drops the weight edits
	 * and bumps `version`; its `initial` weights are its own unless given. New clips keep the example
	 * in range and rewind the frame.
	 */
	private adopt(next: LabConfig, model: Module | null, data: Dataset<unknown> | null, initial?: Float32Array): void {
		this.config = next;
		if (model) {
			this.model = model;
			this.initial = initial ?? flattenParams(model);
			this.edits = {};
			this.version++;
		}
		if (data) {
			this.data = data;
			this.example = Math.min(this.example, data.size - 1);
			this.frame = 0;
		}
	}

	/** A weight's value when the model was built (before edits and training), or undefined for an unknown weight. */
	initialWeight(name: string, index: number): number | undefined {
		const info = paramLayout(this.model).find((p) => p.name === name);
		return info && index >= 0 && index < info.size ? this.initial[info.offset + index] : undefined;
	}

	params(): Float32Array {
		return flattenParams(this.model);
	}

	/** The task's defaults and the initial weights, with no edits; pinned knobs keep the values the teacher set. */
	reset(): void {
		let next = defaultConfig(this.config.task, this.flags.pin.includes(VARIANT_KEY) ? this.config.variant : undefined);
		for (const key of this.flags.pin) {
			const result = key === VARIANT_KEY ? null : setKnob(next, key, knobValue(this.config, key));
			if (result?.ok) next = result.config;
		}
		this.setConfig(next);
	}
}

/** What became of the share link the page was opened with. */
export type LinkStatus =
	{ kind: 'none' } | { kind: 'loaded'; knobs: number; edits: number; flags: TeacherFlags } | { kind: 'refused'; error: string };

/**
 * A lesson page's classroom state: its lab (none for `task: none`), the teacher's flags, and the share
 * link it was opened with. Flags live here rather than only on the Lab so lessons without a model
 * still hide widgets and solutions.
 */
export class Classroom {
	readonly task: LessonTask;
	readonly lab: Lab | undefined;
	flags = $state.raw<TeacherFlags>(NO_FLAGS);
	link = $state.raw<LinkStatus>({ kind: 'none' });
	/** Counts `open` calls, so a slow decode of an older link cannot overwrite a newer one. */
	private opening = 0;

	constructor(task: LessonTask) {
		this.task = task;
		this.lab = task === 'none' ? undefined : new Lab(defaultConfig(task));
	}

	setFlags(flags: TeacherFlags): void {
		this.flags = flags;
		if (this.lab) this.lab.flags = flags;
	}

	/** Load a share link's code; a link that cannot be read loads the lesson's defaults and says why. */
	async open(code: string): Promise<void> {
		const ticket = ++this.opening;
		const result = await decodeShare(code, this.task);
		if (ticket !== this.opening) return;
		if (!result.ok) return this.refuse(result.error);
		const { config, edits, flags } = result.shared;
		const lab = this.lab;
		let edited = 0;
		if (lab && config) {
			// The previous link's pins must not block this link's values.
			lab.flags = NO_FLAGS;
			const error = lab.setConfig(config);
			if (error) return this.refuse(error);
			for (const [name, byIndex] of Object.entries(edits))
				for (const [index, value] of Object.entries(byIndex)) if (lab.editWeight(name, Number(index), value) === null) edited++;
		}
		this.setFlags(flags);
		const knobs = Object.keys(shareStateOf(config, {}, NO_FLAGS).knobs ?? {}).length;
		this.link = { kind: 'loaded', knobs, edits: edited, flags };
	}

	/** The share link code for the lab as it is now, carrying `flags`. */
	code(flags: TeacherFlags): Promise<string> {
		return encodeShare(shareStateOf(this.lab?.config ?? null, this.lab?.edits ?? {}, flags, this.task));
	}

	private refuse(error: string): void {
		this.setFlags(NO_FLAGS);
		const lab = this.lab;
		if (lab && this.task !== 'none') {
			const defaults = defaultConfig(this.task);
			if (JSON.stringify(lab.config) !== JSON.stringify(defaults) || Object.keys(lab.edits).length) lab.setConfig(defaults);
		}
		this.link = { kind: 'refused', error };
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

const CLASSROOM = Symbol('classroom');

export function setClassroom(classroom: Classroom): Classroom {
	for (const [key, value] of classroomContext(classroom)) setContext(key, value);
	return classroom;
}

/** The context entries a classroom provides (its lab too), for `mount`/`render(…, { context })` outside a lesson page. */
export function classroomContext(classroom: Classroom): Map<symbol, unknown> {
	const entries: [symbol, unknown][] = [[CLASSROOM, classroom]];
	if (classroom.lab) entries.push([KEY, classroom.lab]);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a context map handed to mount/render once, not state
	return new Map(entries);
}

/** The lesson page's classroom, or undefined outside a lesson page (the playground). */
export function getClassroom(): Classroom | undefined {
	return getContext<Classroom | undefined>(CLASSROOM);
}

/** The teacher's flags, read through `.current` so a view follows a link loaded after it mounted; no flags outside a lesson. */
export function getFlags(): { readonly current: TeacherFlags } {
	const classroom = getClassroom();
	return {
		get current() {
			return classroom?.flags ?? NO_FLAGS;
		}
	};
}
