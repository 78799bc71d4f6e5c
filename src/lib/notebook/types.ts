/**
 * The typed form of a lesson: what the loader makes of `lessons/NN-slug/index.md`, and what
 * lesson pages render. Plain data, so it can be prerendered and sent to Workers.
 */

export type LessonTask = 'classification' | 'tracking' | 'generation' | 'none';

export interface LessonMeta {
	/** Folder name without its number: `lessons/02-attention-module` → `attention-module`. */
	slug: string;
	/** Position in the course, from the folder's number. */
	order: number;
	title: string;
	summary: string;
	objectives: string[];
	task: LessonTask;
	/** Path of the markdown file, relative to the project root, for error messages. */
	file: string;
}

interface CellBase {
	/** Stable within a lesson (`code-3`, or the exercise id), used for saved state. */
	id: string;
	/** 1-based line in the lesson file where the cell starts. */
	line: number;
}

/** Markdown with `$…$`/`$$…$$` math, rendered to sanitised HTML by the loader. */
export interface ProseCell extends CellBase {
	kind: 'prose';
	html: string;
}

/** Editable TypeScript or JavaScript run in the notebook's sandboxed Worker kernel. */
export interface CodeCell extends CellBase {
	kind: 'code';
	lang: 'ts' | 'js';
	source: string;
}

/** mathjs expressions, one per line, shown as TeX and evaluated live. */
export interface MathCell extends CellBase {
	kind: 'math';
	source: string;
}

/** A registered visual (step-through, attention views, trainer…) with its JSON props. */
export interface WidgetCell extends CellBase {
	kind: 'widget';
	name: string;
	props: Record<string, unknown>;
}

/** A task for the learner: prompt, starter code, and a check that inspects real tensors. */
export interface ExerciseCell extends CellBase {
	kind: 'exercise';
	/** Rendered prompt HTML. */
	prompt: string;
	starter: string;
	lang: 'ts' | 'js';
	/** From the lesson's `checks.ts`: shown when the check fails. */
	hint: string;
	/** From the lesson's `checks.ts`: code that passes, behind a reveal. */
	solution: string;
}

export type Cell = ProseCell | CodeCell | MathCell | WidgetCell | ExerciseCell;

export interface Lesson {
	meta: LessonMeta;
	cells: Cell[];
}

/** What the lesson index shows of a lesson: its metadata and its exercise ids, to count saved progress. */
export interface LessonSummary extends LessonMeta {
	exercises: string[];
}

/** A neighbouring lesson, for previous/next links. */
export interface LessonLink {
	slug: string;
	title: string;
}
