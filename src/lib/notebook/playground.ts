/**
 * What the playground suggests for each video task: the dataset and layer helpers worth trying,
 * and a starter cell that uses them. UI-free; the tests run every starter in a real kernel, so a
 * renamed helper breaks a test instead of the playground.
 */
import type { LessonTask } from './types';

export type PlaygroundTask = Exclude<LessonTask, 'none'>;

/** Where the playground's code is saved, as if it were a lesson's: `readProgress(PLAYGROUND_SLUG)`. */
export const PLAYGROUND_SLUG = 'playground';

export interface Helper {
	/** How a cell calls it, e.g. `tasks.video.makeClassificationDataset(options)`. */
	call: string;
	/** What it gives back, in a sentence of plain text. */
	about: string;
}

export interface TaskGuide {
	task: PlaygroundTask;
	label: string;
	/** What the model has to learn, in one sentence. */
	goal: string;
	helpers: Helper[];
	starter: string;
}

export const PLAYGROUND_TASKS: readonly TaskGuide[] = [
	{
		task: 'classification',
		label: 'Classification',
		goal: 'Name the shape that flashes in a few frames of a clip; the other frames carry no clue, so the model must find the key frames.',
		helpers: [
			{
				call: 'tasks.video.makeClassificationDataset({ trainSize, valSize, seed })',
				about: 'Seeded synthetic clips in two splits, train and val.'
			},
			{ call: 'split.getBatch([0, 1, …])', about: 'clips [B, T, H, W], labels [B], keyFrames [B, T] (1 where the shape shows).' },
			{ call: 'new nn.AttentionPooling(dim)', about: 'One learned score per frame, softmaxed over time: pooled [B, dim], weights [B, T].' },
			{ call: 'crossEntropy(logits, labels)', about: 'The classification loss, from logits [B, classes].' }
		],
		starter: `const data = tasks.video.makeClassificationDataset({ trainSize: 8, valSize: 4, seed: 0 });
const { clips, labels, keyFrames } = data.train.getBatch([0, 1, 2, 3]);
const frames = clips.flatten(2); // [B, T, H·W]: one feature vector per frame
const pool = new nn.AttentionPooling(frames.shape[2], { rng: new Rng(0) });
const { weights } = pool.forward(frames);
show(keyFrames, 'key frames');
weights`
	},
	{
		task: 'tracking',
		label: 'Tracking',
		goal: 'Follow a ring through every frame of a clip and predict its box, while distractors move around it.',
		helpers: [
			{ call: 'tasks.video.makeTrackingDataset({ trainSize, valSize, seed })', about: 'Seeded clips of a moving ring and distractors.' },
			{ call: 'split.getBatch([0, 1, …])', about: 'clips [B, T, H, W], boxes [B, T, 4] as [x0, y0, x1, y1] in [0, 1].' },
			{ call: 'new nn.SpatialAttention(channels)', about: "Attention over a frame's positions: pooled [B, C], weights [B, H, W]." },
			{ call: 'smoothL1Loss(predicted, boxes)', about: 'The box regression loss.' }
		],
		starter: `const data = tasks.video.makeTrackingDataset({ trainSize: 8, valSize: 4, seed: 0 });
const { clips, boxes } = data.train.getBatch([0, 1]);
const firstFrames = clips.select(1, 0).unsqueeze(1); // [B, 1, H, W]: one channel per pixel
const where = new nn.SpatialAttention(1, { rng: new Rng(0) });
const { weights } = where.forward(firstFrames);
show(boxes.select(1, 0), 'box in frame 0');
weights.select(0, 0)`
	},
	{
		task: 'generation',
		label: 'Generation',
		goal: 'Watch the first frames of bouncing balls and predict the next ones, attending only to frames that came before.',
		helpers: [
			{ call: 'tasks.video.makeGenerationDataset({ trainSize, valSize, seed })', about: 'Seeded clips of bouncing balls.' },
			{
				call: 'split.getBatch([0, 1, …])',
				about: 'clips [B, T, H, W], context (the first frames), targets and cleanTargets (the frames to predict).'
			},
			{
				call: 'new nn.MultiHeadAttention(dim, heads)',
				about: 'Frame-to-frame attention; forward(q, k, v, { causal: true }) hides future frames.'
			},
			{ call: 'mseLoss(predicted, targets)', about: 'The pixel loss for predicted frames.' }
		],
		starter: `const data = tasks.video.makeGenerationDataset({ trainSize: 8, valSize: 4, seed: 0 });
const { context } = data.train.getBatch([0, 1]);
const frames = context.flatten(2); // [B, T, H·W]
const attention = new nn.MultiHeadAttention(frames.shape[2], 4, { rng: new Rng(0) });
const { weights } = attention.forward(frames, frames, frames, { causal: true });
weights.select(0, 0) // frame-to-frame weights of clip 0: zero above the diagonal`
	}
];

export function taskGuide(task: PlaygroundTask): TaskGuide {
	return PLAYGROUND_TASKS.find((g) => g.task === task) ?? PLAYGROUND_TASKS[0];
}

/** Every cell a learner adds to a task's playground has an id `playground-<task>-cell-<n>`, n = 1, 2, … */
const addedPrefix = (task: PlaygroundTask) => `playground-${task}-cell-`;

/** The id of a task's starter cell; its edits are saved under it like any lesson cell's. */
export const starterCellId = (task: PlaygroundTask) => `playground-${task}`;

/**
 * The ids among `ids` of cells added to a task's playground, oldest first. Given the ids of a
 * page's saved code edits (`Object.keys(progress.code)`), these are the added cells a learner wrote
 * something in: an added cell left empty is not saved, so it is gone after a reload, and nothing with it.
 *
 * @example
 * addedCellIds(['playground-tracking-cell-10', 'playground-tracking', 'playground-tracking-cell-2'], 'tracking');
 * // ['playground-tracking-cell-2', 'playground-tracking-cell-10']
 */
export function addedCellIds(ids: Iterable<string>, task: PlaygroundTask): string[] {
	const prefix = addedPrefix(task);
	const number = (id: string) => Number(id.slice(prefix.length));
	return [...ids].filter((id) => id.startsWith(prefix) && /^[1-9]\d*$/.test(id.slice(prefix.length))).sort((a, b) => number(a) - number(b));
}

/** A fresh id for a cell added to a task's playground: one past the highest in use, so ids are never reused. */
export function nextCellId(ids: readonly string[], task: PlaygroundTask): string {
	const prefix = addedPrefix(task);
	const last = addedCellIds(ids, task).at(-1);
	return prefix + (last === undefined ? 1 : Number(last.slice(prefix.length)) + 1);
}
