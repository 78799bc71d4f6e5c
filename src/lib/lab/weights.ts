/**
 * A lab's trained weights as a file and back. The file is the safetensors that `export-model`
 * gives PyTorch, with the lab's settings (task, variant and knobs, as a share link holds them)
 * in its metadata, so the same file loads back into a lesson: a learner keeps a model trained
 * for minutes, and a teacher hands out one trained before class. UI-free.
 */
import { ValueError } from '../engine/index';
import type { StateDict } from '../nn/index';
import type { TaskName } from '../tasks/index';
import { fromSafetensors } from '../train/safetensors';
import type { LabConfig } from './config';
import { NO_FLAGS, readSharePayload, shareStateOf } from './share';

/** The safetensors metadata key that holds the lab's settings. PyTorch's readers ignore it. */
export const LAB_METADATA_KEY = 'glance.lab';

/** What a weights file brings: its tensors by state-dict key, and the settings they were trained with (null if it has none). */
export interface WeightsFile {
	config: LabConfig | null;
	tensors: StateDict;
}

/** The metadata that makes an exported weights file load back into a lab with `config`. */
export function labMetadata(config: LabConfig): Record<string, string> {
	return { [LAB_METADATA_KEY]: JSON.stringify(shareStateOf(config, {}, NO_FLAGS)) };
}

/**
 * Read a weights file for a lesson whose task is `task`. Throws, with what is wrong, when the
 * bytes are not safetensors or the settings it carries are for another task or out of range
 * (`Lab.loadWeights` then checks every weight's name, shape and value against the model). A
 * file without settings (saved from PyTorch, say) is read with `config: null`: it then has to
 * fit the lab's current model.
 *
 * @example
 * const file = readWeightsFile(new Uint8Array(await picked.arrayBuffer()), 'classification');
 * const refused = lab.loadWeights(file); // null, or why the lab kept what it had
 */
export function readWeightsFile(bytes: Uint8Array, task: TaskName): WeightsFile {
	const { tensors, metadata } = fromSafetensors(bytes);
	if (tensors.size === 0) throw new ValueError('the file holds no weights');
	const raw = metadata[LAB_METADATA_KEY];
	if (raw === undefined) return { config: null, tensors };
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch {
		throw new ValueError(`its "${LAB_METADATA_KEY}" settings are not JSON`);
	}
	const read = readSharePayload(json, task);
	if (!read.ok) throw new ValueError(`its settings do not fit this lesson: ${read.error}`);
	return { config: read.shared.config, tensors };
}
