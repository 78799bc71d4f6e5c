/**
 * Turns `lessons/NN-slug/index.md` into a typed `Lesson`, or throws a `LessonError` listing every
 * problem in it with its file and line. UI-free: it runs at prerender (a bad lesson fails the
 * build) and in the tests. The lesson format is described for teachers in `lessons/README.md`.
 *
 * @example
 * const lesson = loadLesson({ file: 'lessons/01-intro/index.md', source, checks });
 * lesson.cells[0].kind; // 'prose'
 */
import type { Env, Token } from 'markdown-it';
import { knobsOf } from '../lab/config';
import { VARIANT_KEY } from '../lab/share';
import { parseFrontmatter, splitFrontmatter, type Problem } from './frontmatter';
import { lessonPath, projectFile } from './lesson-path';
import { brokenLinks, mathProblems, suggest, type LinkTargets } from './lint';
import { markdown, renderMarkdown } from './markdown';
import { PLAYGROUND_SLUG } from './playground';
import type { SiteMap } from './site';
import type { Cell, ExerciseCell, Lesson, LessonTask } from './types';
import { LAB_WIDGETS, WIDGET_NAMES, isWidgetName, validateWidgetProps, type WidgetName } from './widgets';

export interface LessonProblem {
	file: string;
	line: number;
	reason: string;
}

/** A malformed lesson: `file`, `line` and `reason` of its first problem, and `problems` with all of them. */
export class LessonError extends Error {
	readonly file: string;
	readonly line: number;
	readonly reason: string;
	readonly problems: readonly LessonProblem[];
	constructor(problems: readonly LessonProblem[]) {
		const sorted = [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
		const count = sorted.length === 1 ? 'a problem' : `${sorted.length} problems`;
		super(`Lesson content has ${count}:\n${sorted.map((p) => `${p.file}:${p.line}: ${p.reason}`).join('\n')}`);
		this.name = 'LessonError';
		({ file: this.file, line: this.line, reason: this.reason } = sorted[0]);
		this.problems = sorted;
	}
}

/** What the loader needs of an exercise's check; the function itself runs in the kernel, not here. */
export interface CheckInfo {
	hint: string;
	solution: string;
}

export interface LessonInput {
	/** Project-relative path, `lessons/01-intro/index.md`; gives the slug and order too. */
	file: string;
	source: string;
	/** The lesson's `checks.ts` module as imported, or undefined when the folder has none. */
	checks?: unknown;
	/** The text of `checks.ts`, to point problems with a check at its line. */
	checksSource?: string;
	/** The slugs of every lesson, to check links to `/lessons/SLUG`; without it no link is checked. */
	lessons?: ReadonlySet<string>;
	/** The site's pages and static files (`readSite()`), to check links to the rest of the site too. */
	site?: SiteMap;
}

const CELL_KINDS = ['code', 'math', 'widget', 'exercise'] as const;
const EXERCISE_ID = /^[a-z0-9][a-z0-9_-]*$/i;
/** The line between an exercise's prompt and its starter code. */
const SEPARATOR = /^---\s*$/;
const LANGS = ['ts', 'js'] as const;

type Lang = (typeof LANGS)[number];
const isLang = (s: string | undefined): s is Lang => (LANGS as readonly string[]).includes(s ?? '');

/** The checks a lesson's checks.ts declares: the complete ones, and the line of every id (complete or not). */
interface ReadChecks {
	found: Map<string, CheckInfo>;
	lines: Map<string, number>;
}

/** Validate a checks module's `checks` export into hint and solution per exercise id. */
function readChecks(input: LessonInput, checksFile: string, problems: LessonProblem[]): ReadChecks {
	const found = new Map<string, CheckInfo>();
	const lines = new Map<string, number>();
	if (input.checks === undefined) return { found, lines };
	const lineOf = (id: string) => {
		const i = input.checksSource?.split('\n').findIndex((l) => l.includes(`'${id}'`) || l.includes(`"${id}"`) || l.includes(`${id}:`));
		return i === undefined || i < 0 ? 1 : i + 1;
	};
	const checks = (input.checks as { checks?: unknown }).checks;
	if (typeof checks !== 'object' || checks === null) {
		problems.push({ file: checksFile, line: 1, reason: 'checks.ts must export `checks`, an object of exercise checks by id' });
		return { found, lines };
	}
	for (const [id, value] of Object.entries(checks)) {
		lines.set(id, lineOf(id));
		const c = (value ?? {}) as Record<string, unknown>;
		const missing = [
			typeof c.check === 'function' ? null : '`check(scope)` function',
			typeof c.hint === 'string' && c.hint.trim() ? null : '`hint` string',
			typeof c.solution === 'string' && c.solution.trim() ? null : '`solution` string'
		].filter((m) => m !== null);
		if (missing.length) problems.push({ file: checksFile, line: lines.get(id)!, reason: `check "${id}" needs a ${missing.join(', a ')}` });
		else found.set(id, { hint: c.hint as string, solution: c.solution as string });
	}
	return { found, lines };
}

/** Whether a fence token has its closing fence (markdown-it runs an unclosed one to the end of its container). */
function isClosed(token: Token, lines: string[]): boolean {
	const [start, end] = token.map!;
	const last = lines[end - 1]?.trim() ?? '';
	const char = token.markup[0];
	return end - 1 > start && last.length >= token.markup.length && [...last].every((c) => c === char);
}

const cellKindOf = (word: string) => CELL_KINDS.find((k) => k === word);
const looksLikeCell = (word: string) => CELL_KINDS.some((k) => word.toLowerCase().replace(/s$/, '') === k);

/** Parse and validate one lesson. Throws `LessonError` with every problem found. */
export function loadLesson(input: LessonInput): Lesson {
	const file = projectFile(input.file);
	const problems: LessonProblem[] = [];
	const local: Problem[] = [];
	const where = lessonPath(file);
	if (!where) problems.push({ file, line: 1, reason: 'a lesson lives in lessons/NN-slug/index.md, e.g. lessons/03-spatial-attention' });
	else if (where.slug === PLAYGROUND_SLUG) {
		problems.push({
			file,
			line: 1,
			reason: `"${PLAYGROUND_SLUG}" is the playground's own name (its saved cells use it); give the lesson another slug`
		});
	}
	const checksFile = file.replace(/index\.md$/, 'checks.ts');
	const { found: checks, lines: checkLines } = readChecks(input, checksFile, problems);

	const split = splitFrontmatter(input.source, local);
	const meta = split.yaml === null ? null : parseFrontmatter(split.yaml, 2, local);
	const task = meta?.task;
	const lines = split.body.split('\n');
	const lineAt = (bodyLine: number) => split.bodyStart + bodyLine + 1;
	const report = (bodyLine: number, reason: string) => local.push({ line: lineAt(bodyLine), reason });

	const env: Env = {};
	const tokens = markdown.parse(split.body, env);
	const cells: Cell[] = [];
	const counts = new Map<string, number>();
	const nextId = (kind: string) => `${kind}-${counts.set(kind, (counts.get(kind) ?? 0) + 1).get(kind)}`;
	const exerciseLines = new Map<string, number>();
	const targets: LinkTargets | null = input.lessons ? { slugs: input.lessons, site: input.site } : null;
	let proseFrom = 0;

	const addProse = (to: number) => {
		const text = lines.slice(proseFrom, to).join('\n');
		const first = lines.slice(proseFrom, to).findIndex((l) => l.trim() !== '');
		if (first >= 0) cells.push({ kind: 'prose', id: nextId('prose'), line: lineAt(proseFrom + first), html: renderMarkdown(text, env) });
	};

	for (const token of tokens) {
		if (token.type === 'heading_open' && token.tag === 'h1') {
			report(token.map![0], "use ## for sections: the lesson title (from the frontmatter) is the page's only # heading");
		}
		if (token.type !== 'fence') continue;
		const [start, end] = token.map!;
		const [word = '', ...rest] = token.info.trim().split(/\s+/);
		const kind = cellKindOf(word);
		const fence = `${token.markup}${token.info.trim()}`;
		if (!isClosed(token, lines)) report(start, `the ${fence} fence is never closed: end it with a line ${token.markup}`);
		else {
			const swallowed = swallowedCells(token, lines);
			if (swallowed.line >= 0) {
				const next = lineAt(swallowed.line);
				report(
					start,
					`the ${fence} fence is not closed before line ${next}, which starts another cell: end it with a line ${token.markup}`
				);
				swallowed.exercises.forEach((id) => exerciseLines.set(id, next));
			}
		}
		if (!kind) {
			if (looksLikeCell(word)) report(start, `unknown fence "${word}"; cell fences are ${CELL_KINDS.join(', ')} (lowercase)`);
			continue;
		}
		if (token.level > 0) {
			report(start, `a \`\`\`${kind} cell must start at the left margin, not inside a list or quote`);
			continue;
		}
		addProse(start);
		proseFrom = end;
		const line = lineAt(start);
		const body = token.content;
		if (kind === 'code') {
			if (rest.length > 1 || (rest.length === 1 && !isLang(rest[0]))) {
				report(start, `unknown fence info "${token.info.trim()}"; a code cell is \`\`\`code, \`\`\`code ts or \`\`\`code js`);
			}
			cells.push({ kind: 'code', id: nextId('code'), line, lang: isLang(rest[0]) ? rest[0] : 'ts', source: body.replace(/\n$/, '') });
		} else if (kind === 'math') {
			if (rest.length) report(start, `unknown fence info "${token.info.trim()}"; a math cell is just \`\`\`math`);
			if (!body.trim()) report(start, 'the math cell is empty');
			for (const p of mathProblems(body)) report(start + p.line, `math cell: ${p.reason}`);
			cells.push({ kind: 'math', id: nextId('math'), line, source: body.replace(/\n$/, '') });
		} else if (kind === 'widget') {
			const widget = parseWidget(token.info.trim(), body, task, (reason) => report(start, reason));
			if (widget) cells.push({ kind: 'widget', id: nextId('widget'), line, ...widget });
		} else {
			const id = rest[0] ?? '';
			if (!EXERCISE_ID.test(id) || rest.length > 2 || (rest.length === 2 && !isLang(rest[1]))) {
				report(
					start,
					`unknown fence info "${token.info.trim()}"; an exercise is \`\`\`exercise ID (letters, digits, - and _), optionally followed by ts or js`
				);
				continue;
			}
			if (exerciseLines.has(id)) report(start, `duplicate exercise id "${id}" (first used at line ${exerciseLines.get(id)})`);
			exerciseLines.set(id, line);
			const check = checks.get(id);
			// A check that is there but incomplete has been reported at its line in checks.ts.
			if (!checkLines.has(id)) {
				const to = input.checks === undefined ? `a new ${checksFile} (see lessons/README.md)` : checksFile;
				report(start, `exercise "${id}" has no check: add checks["${id}"] to ${to}${suggest(id, [...checkLines.keys()])}`);
			}
			const exercise = parseExercise(id, body, env, (offset, reason) => report(start + 1 + offset, reason));
			if (exercise && check) cells.push({ ...exercise, line, lang: isLang(rest[1]) ? rest[1] : 'ts', ...check });
			if (exercise && targets && where) {
				const bodyLines = body.split('\n');
				const prompt = bodyLines.slice(
					0,
					bodyLines.findIndex((l) => SEPARATOR.test(l))
				);
				const links = brokenLinks(markdown.parse(prompt.join('\n'), {}), prompt, where.slug, targets, true);
				for (const p of links) report(start + 1 + p.line, p.reason);
			}
		}
	}
	addProse(lines.length);
	for (const [id, line] of checkLines) {
		if (!exerciseLines.has(id)) {
			const reason = `check "${id}" has no \`\`\`exercise ${id} cell in ${file}${suggest(id, [...exerciseLines.keys()])}`;
			problems.push({ file: checksFile, line, reason });
		}
	}
	if (targets && where) for (const p of brokenLinks(tokens, lines, where.slug, targets)) report(p.line, p.reason);
	if (split.yaml !== null && split.body.trim() === '')
		local.push({ line: split.bodyStart + 1, reason: 'the lesson has no content after its frontmatter' });

	problems.push(...local.map((p) => ({ file, ...p })));
	if (problems.length > 0 || !meta || !where) throw new LessonError(problems);
	return { meta: { ...meta, slug: where.slug, order: where.order, file }, cells };
}

/**
 * The first line inside fence `token` that opens a cell at the margin with at least its fence (so the fence was
 * left open by mistake and ran on into the next cell), or -1; and the exercise ids of the cells it ran into.
 */
function swallowedCells(token: Token, lines: string[]): { line: number; exercises: string[] } {
	const [start, end] = token.map!;
	const opener = new RegExp(`^${token.markup[0] === '~' ? '~' : '`'}{${token.markup.length},}\\s*(${CELL_KINDS.join('|')})\\b\\s*(\\S*)`);
	const inside = lines.slice(start + 1, end - 1).map((l) => opener.exec(l));
	const i = inside.findIndex((m) => m !== null);
	const exercises = inside.flatMap((m) => (m?.[1] === 'exercise' && m[2] ? [m[2]] : []));
	return { line: i < 0 ? -1 : start + 1 + i, exercises };
}

/** Problems with a widget that depend on the lesson's task (unknown while the frontmatter is broken). */
function taskProblems(name: WidgetName, props: Record<string, unknown>, task: LessonTask): string[] {
	if (task === 'none') {
		return LAB_WIDGETS.includes(name)
			? [`it shows the lesson's lab, and this lesson has "task: none": set the task in the frontmatter, or remove the widget`]
			: [];
	}
	if (name !== 'knobs' || !Array.isArray(props.keys)) return [];
	const keys = [VARIANT_KEY, ...knobsOf(task).map((k) => k.key)];
	return (props.keys as string[])
		.filter((k) => !keys.includes(k))
		.map((k) => `the ${task} task has no knob "${k}"${suggest(k, keys)}; its knobs are ${keys.join(', ')}`);
}

/** `widget NAME {json}`: the name must be registered and the props valid for it (and for the lesson's task, when known). */
function parseWidget(info: string, body: string, task: LessonTask | undefined, report: (reason: string) => void) {
	const match = /^widget(?:\s+([a-z0-9-]+))?\s*(.*)$/.exec(info);
	const [name = '', json = ''] = match ? [match[1], match[2]] : [];
	if (!name) {
		report('a widget needs a name: ```widget NAME {json props}');
		return null;
	}
	if (body.trim()) report(`widget props go on the fence line (\`\`\`widget ${name} {…}); the block must be empty`);
	if (!isWidgetName(name)) {
		report(`unknown widget "${name}"${suggest(name, WIDGET_NAMES)}; the widgets are ${WIDGET_NAMES.join(', ')}`);
		return null;
	}
	let props: unknown = {};
	try {
		props = json.trim() ? JSON.parse(json) : {};
	} catch (e) {
		const why = e instanceof Error ? e.message : String(e);
		report(`invalid props JSON for widget ${name}: ${why}; JSON puts keys and text in "double quotes", like {"keys": ["data.noise"]}`);
		return null;
	}
	if (typeof props !== 'object' || props === null || Array.isArray(props)) {
		report(`props for widget ${name} must be a JSON object, like {"key": 1}`);
		return null;
	}
	const problems = validateWidgetProps(name, props as Record<string, unknown>);
	if (task !== undefined && !problems.length) problems.push(...taskProblems(name, props as Record<string, unknown>, task));
	problems.forEach((p) => report(`widget ${name}: ${p}`));
	return problems.length ? null : { name, props: props as Record<string, unknown> };
}

/** An exercise body: prompt markdown, a `---` line, then starter code. `offset` is relative to the body's first line. */
function parseExercise(id: string, body: string, env: Env, report: (offset: number, reason: string) => void) {
	const lines = body.replace(/\n$/, '').split('\n');
	const sep = lines.findIndex((l) => SEPARATOR.test(l));
	if (sep === -1) {
		report(-1, `exercise "${id}" needs its prompt, then a line "---", then the starter code`);
		return null;
	}
	const prompt = lines.slice(0, sep).join('\n');
	if (!prompt.trim()) {
		report(sep, `exercise "${id}" has no prompt before its "---" line`);
		return null;
	}
	const cell: Omit<ExerciseCell, 'line' | 'lang' | 'hint' | 'solution'> = {
		kind: 'exercise',
		id,
		prompt: renderMarkdown(prompt, env),
		starter: lines.slice(sep + 1).join('\n')
	};
	return cell;
}

/**
 * Load every lesson found by the globs in `lessons.ts`, keyed by path (`/lessons/01-x/index.md`,
 * `/lessons/01-x/checks.ts`), sorted by folder number. Links are checked against the lessons and,
 * given `site`, the site's other pages and files. Problems in all lessons, and slugs or numbers
 * used twice, are reported together in one `LessonError`.
 */
export function loadLessons(
	sources: Record<string, string>,
	checks: Record<string, unknown> = {},
	checkSources: Record<string, string> = {},
	site?: SiteMap
): Lesson[] {
	const problems: LessonProblem[] = [];
	const lessons: Lesson[] = [];
	const slugs = new Set(Object.keys(sources).flatMap((path) => lessonPath(path)?.slug ?? []));
	for (const [path, source] of Object.entries(sources)) {
		const checksPath = path.replace(/index\.md$/, 'checks.ts');
		try {
			const checksSource = checkSources[checksPath];
			lessons.push(loadLesson({ file: path, source, checks: checks[checksPath], checksSource, lessons: slugs, site }));
		} catch (e) {
			if (!(e instanceof LessonError)) throw e;
			problems.push(...e.problems);
		}
	}
	const seen = new Map<string, string>();
	for (const { meta } of lessons.sort((a, b) => a.meta.order - b.meta.order)) {
		for (const key of [`slug "${meta.slug}"`, `number ${String(meta.order).padStart(2, '0')}`]) {
			const other = seen.get(key);
			if (other) problems.push({ file: meta.file, line: 1, reason: `lesson ${key} is also used by ${other}` });
			seen.set(key, meta.file);
		}
	}
	if (problems.length > 0) throw new LessonError(problems);
	return lessons;
}
