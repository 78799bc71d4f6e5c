/**
 * A lesson's YAML frontmatter: split from the body, parsed, and checked key by key, with the
 * line of every problem so a teacher can find it.
 */
import { LineCounter, isMap, isScalar, parseDocument } from 'yaml';
import { suggest } from './lint';
import type { LessonTask } from './types';

export const TASKS: readonly LessonTask[] = ['classification', 'tracking', 'generation', 'none'];
const KEYS = ['title', 'summary', 'objectives', 'task'] as const;

export interface Frontmatter {
	title: string;
	summary: string;
	objectives: string[];
	task: LessonTask;
}

/** A problem at a 1-based line of the lesson file. */
export interface Problem {
	line: number;
	reason: string;
}

export interface SplitSource {
	/** The YAML between the `---` lines, or null when there is no complete frontmatter. */
	yaml: string | null;
	/** Index of the first body line in the file (0-based). */
	bodyStart: number;
	body: string;
}

const DELIMITER = /^---\s*$/;

/** Separate `---`-delimited frontmatter from the body; problems go to `problems`. */
export function splitFrontmatter(source: string, problems: Problem[]): SplitSource {
	const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
	if (!DELIMITER.test(lines[0])) {
		problems.push({
			line: 1,
			reason: 'a lesson must start with frontmatter: a line "---", then title, summary, objectives and task, then "---"'
		});
		return { yaml: null, bodyStart: 0, body: lines.join('\n') };
	}
	const close = lines.findIndex((l, i) => i > 0 && DELIMITER.test(l));
	if (close === -1) {
		problems.push({ line: 1, reason: 'the frontmatter that starts here is never closed by a "---" line' });
		return { yaml: null, bodyStart: lines.length, body: '' };
	}
	return { yaml: lines.slice(1, close).join('\n'), bodyStart: close + 1, body: lines.slice(close + 1).join('\n') };
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
/** What a YAML syntax error in a lesson's frontmatter almost always needs. */
const YAML_HINT = 'put text that contains ": " or starts with a quote or bracket in "double quotes", and indent list items as "  - item"';

/**
 * Parse and validate frontmatter YAML whose first line is line `firstLine` of the file.
 * Returns null (with problems recorded) unless every key is present and valid.
 */
export function parseFrontmatter(yaml: string, firstLine: number, problems: Problem[]): Frontmatter | null {
	const lineCounter = new LineCounter();
	const doc = parseDocument(yaml, { lineCounter, prettyErrors: true, uniqueKeys: true });
	const at = (offset: number | undefined) => firstLine + (offset === undefined ? 0 : lineCounter.linePos(offset).line - 1);
	const before = problems.length;
	// YAML often reports one mistake several times on its line: keep the first, with what usually causes it.
	const seen = new Set<number>();
	for (const err of doc.errors) {
		const line = firstLine + (err.linePos?.[0].line ?? 1) - 1;
		if (seen.has(line)) continue;
		seen.add(line);
		const reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
		problems.push({ line, reason: `frontmatter: ${reason} (${YAML_HINT})` });
	}
	if (doc.errors.length > 0) return null;
	if (!isMap(doc.contents)) {
		problems.push({ line: firstLine, reason: 'frontmatter must be a YAML mapping of title, summary, objectives and task' });
		return null;
	}
	const lines = new Map<string, number>();
	for (const pair of doc.contents.items) {
		const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
		const line = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
		lines.set(key, line);
		if (!(KEYS as readonly string[]).includes(key)) {
			problems.push({ line, reason: `frontmatter: unknown key "${key}"; the keys are ${KEYS.join(', ')}` });
		}
	}
	const data = doc.toJS() as Record<string, unknown>;
	const need = (key: (typeof KEYS)[number], ok: boolean, expect: string) => {
		if (!lines.has(key)) problems.push({ line: firstLine - 1, reason: `frontmatter: missing "${key}" (${expect})` });
		else if (!ok) problems.push({ line: lines.get(key)!, reason: `frontmatter: "${key}" must be ${expect}` });
	};
	const { title, summary, objectives, task } = data;
	need('title', isText(title), 'a non-empty string');
	need('summary', isText(summary), 'a non-empty string');
	need('objectives', Array.isArray(objectives) && objectives.length > 0 && objectives.every(isText), 'a non-empty list of strings');
	const taskTypo = typeof task === 'string' ? suggest(task, TASKS) : '';
	need('task', TASKS.includes(task as LessonTask), `one of ${TASKS.join(', ')}${taskTypo}`);
	if (problems.length > before) return null;
	return { title: title as string, summary: summary as string, objectives: objectives as string[], task: task as LessonTask };
}
