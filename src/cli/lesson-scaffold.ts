/**
 * `npm run new-lesson`: the arguments, and the files of a new lesson. A new lesson is `lessons/NN-slug/` with the next
 * free number, an index.md with a prose, a math and a code cell and one exercise, and a checks.ts with that exercise's
 * check (its starter fails the check, its solution passes). Everything is checked before anything is written, so a
 * refusal leaves the lessons folder as it was.
 *
 * @example
 * const args = parseNewLessonArgs(['spatial-attention', 'Spatial attention', '--task', 'classification']);
 * createLesson(args); // { folder: 'lessons/07-spatial-attention', files: ['lessons/07-spatial-attention/index.md', …] }
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';
import { LESSON_FOLDER } from '../lib/notebook/lesson-path';
import { PLAYGROUND_SLUG } from '../lib/notebook/playground';
import { suggest } from '../lib/notebook/suggest';
import type { LessonTask } from '../lib/notebook/types';
import { TASK_NAMES, UsageError, readArgs } from './args';

/** The `task` values a lesson may have (the loader's list, which the tests compare with this one). */
export const LESSON_TASKS: readonly LessonTask[] = [...TASK_NAMES, 'none'];

export interface NewLessonArgs {
	slug: string;
	title: string;
	task: LessonTask;
	/** The lessons folder to create the lesson in. */
	dir: string;
	help: boolean;
}

export const NEW_LESSON_USAGE = `Usage: npm run new-lesson -- <slug> "<Title>" [--task classification|tracking|generation|none]

Creates lessons/NN-<slug>/ with the next free number: an index.md with a prose, a math and a code cell and one
exercise, and a checks.ts with the exercise's check. The lesson's address is /lessons/<slug>.

  <slug>        lowercase letters, digits and single hyphens, like spatial-attention
  <Title>       the lesson's title, in quotes when it has spaces

Options:
  --task NAME   the lesson's lab: classification, tracking, generation or none (default: none)
  --dir DIR     the lessons folder (default: lessons)
  --help        show this message`;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Why `slug` cannot name a lesson, or null. */
function slugProblem(slug: string): string | null {
	if (slug === PLAYGROUND_SLUG) return `"${slug}" is the playground's own name (its saved cells use it); pick another slug`;
	if (SLUG.test(slug) && LESSON_FOLDER.test(`01-${slug}`)) {
		const numbered = /^\d{2,3}-(.+)$/.exec(slug);
		return numbered ? `leave the number off the slug (use "${numbered[1]}"): the next free number is added for you` : null;
	}
	const fixed = slug
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
	const meant = fixed && fixed !== slug ? ` (did you mean "${fixed}"?)` : '';
	return `bad slug "${slug}"${meant}: use lowercase letters, digits and single hyphens, like "spatial-attention"`;
}

/**
 * Parse and check `argv` (without node and script). Throws `UsageError` with one line on a missing or bad argument.
 *
 * @example
 * parseNewLessonArgs(['tracking-intro', 'Tracking, in brief', '--task=tracking']).task; // 'tracking'
 */
export function parseNewLessonArgs(argv: readonly string[]): NewLessonArgs {
	const positional: string[] = [];
	let task: string = 'none';
	let dir = 'lessons';
	let help = false;
	for (const { arg, flag, value } of readArgs(argv)) {
		if (flag === '--task') task = value();
		else if (flag === '--dir') dir = value();
		else if (flag === '--help' || flag === '-h') help = true;
		else if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown flag "${arg}"`);
		else positional.push(arg);
	}
	if (help) return { slug: positional[0] ?? '', title: positional[1] ?? '', task: 'none', dir, help };
	const [slug, title, extra] = positional;
	if (slug === undefined)
		throw new UsageError('a slug and a title are required, like: npm run new-lesson -- spatial-attention "Spatial attention"');
	const bad = slugProblem(slug);
	if (bad) throw new UsageError(bad);
	if (title === undefined || !title.trim())
		throw new UsageError(`a title is required after the slug, like: npm run new-lesson -- ${slug} "Spatial attention"`);
	if (/[\r\n]/.test(title)) throw new UsageError('the title must be one line');
	if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}": put a title that has spaces in quotes`);
	if (!(LESSON_TASKS as readonly string[]).includes(task)) {
		throw new UsageError(`unknown task "${task}"${suggest(task, LESSON_TASKS)}; the tasks are ${LESSON_TASKS.join(', ')}`);
	}
	return { slug, title: title.trim(), task: task as LessonTask, dir, help };
}

/** `text` as a YAML value on one line: as written when YAML reads it back unchanged, else double-quoted. */
function yamlText(text: string): string {
	try {
		const read: unknown = parse(`k: ${text}`);
		if (typeof read === 'object' && read !== null && (read as { k?: unknown }).k === text) return text;
	} catch {
		// Not valid YAML as written: quoted below.
	}
	return JSON.stringify(text);
}

/** The exercise the scaffold writes: its id, and the hint and solution its check carries. */
export const SCAFFOLD_EXERCISE = {
	id: 'attention-weights',
	starter: 'const scores = tensor([2, 0, 1, -1]);\nconst weights = scores;',
	solution: 'const scores = tensor([2, 0, 1, -1]);\nconst weights = scores.softmax(-1);',
	hint: 'A tensor has a `softmax(dim)` method, and the scores lie along its last dimension, -1.'
} as const;

const FENCE = '```';

/** The new lesson's index.md. */
export function lessonMarkdown(title: string, task: LessonTask): string {
	const lab =
		task === 'none'
			? []
			: [
					'## The lab',
					'',
					`This lesson's lab is the ${task} task. Lab widgets such as this one share its model and clips:`,
					'',
					`${FENCE}widget frames`,
					FENCE,
					''
				];
	return [
		'---',
		`title: ${yamlText(title)}`,
		'summary: One or two sentences for the lesson list, about what the learner will do.',
		'objectives:',
		'  - Turn a list of scores into attention weights with softmax',
		`task: ${task}`,
		'---',
		'',
		"Replace this paragraph with the lesson's introduction. Prose is Markdown, with math such as",
		'$a_i = e^{s_i} / \\sum_j e^{s_j}$ and links to the pages of the site, like the [playground](/playground).',
		'',
		'## Softmax by hand',
		'',
		'A math cell shows each line as TeX with its value. Drag the slider:',
		'',
		`${FENCE}math`,
		's1 = 2  # slider -4..4 step 0.5',
		's2 = 0',
		'a1 = e^s1 / (e^s1 + e^s2)',
		FENCE,
		'',
		'## Softmax in code',
		'',
		'A code cell runs in the browser, and shows the value of its last line:',
		'',
		`${FENCE}code`,
		'const s = tensor([2, 0, 1]);',
		's.softmax(-1);',
		FENCE,
		'',
		...lab,
		'## Exercise',
		'',
		`${FENCE}exercise ${SCAFFOLD_EXERCISE.id}`,
		'`scores` holds one attention score per frame. Make `weights`, the attention weights: the softmax of the scores,',
		'so that they are positive and sum to one.',
		'---',
		SCAFFOLD_EXERCISE.starter,
		FENCE,
		''
	].join('\n');
}

/** `text` as a single-quoted TypeScript string. */
const tsString = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

/** The new lesson's checks.ts, with the check of its one exercise. */
export function lessonChecks(): string {
	const { id, hint, solution } = SCAFFOLD_EXERCISE;
	return `import { allClose, expectTensor, fail, pass, type ExerciseCheck } from '$lib/notebook/exercises';

// One check per \`\`\`exercise cell in index.md. The starter code must fail its check and the solution pass it:
// npx vitest run tests/notebook/lesson-exercises.test.ts runs both for every lesson.
export const checks: Record<string, ExerciseCheck> = {
	'${id}': {
		check(scope) {
			const scores = expectTensor(scope, 'scores', { shape: [4] });
			if (!scores.ok) return scores.result;
			const weights = expectTensor(scope, 'weights', { shape: [4] });
			if (!weights.ok) return weights.result;
			const exps = Array.from(scores.tensor.data, (s) => Math.exp(s));
			const total = exps.reduce((a, b) => a + b, 0);
			const softmax = exps.map((e) => e / total);
			if (allClose(weights.tensor.data, softmax)) return pass('\`weights\` is the softmax of \`scores\`: positive, and summing to one.');
			const list = (values: ArrayLike<number>) => Array.from(values, (v) => v.toFixed(2)).join(', ');
			return fail(\`\\\`weights\\\` is [\${list(weights.tensor.data)}]; the softmax of \\\`scores\\\` is [\${list(softmax)}], positive and summing to one.\`);
		},
		hint: ${tsString(hint)},
		solution: ${tsString(solution)}
	}
};
`;
}

/** What `createLesson` made: the folder and its files, relative to the working directory as given in `dir`. */
export interface CreatedLesson {
	folder: string;
	slug: string;
	files: string[];
}

/**
 * The folder name for `slug` in `dir`: the next number after the highest one used. Throws `UsageError` when
 * `dir` is not a folder, or a lesson there already has the slug.
 */
export function nextFolder(dir: string, slug: string): string {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`there is no lessons folder at "${dir}"`);
	const lessons = readdirSync(dir).flatMap((name) => {
		const m = LESSON_FOLDER.exec(name);
		return m && statSync(join(dir, name)).isDirectory() ? [{ name, order: Number(m[1]), slug: m[2] }] : [];
	});
	const same = lessons.find((l) => l.slug === slug);
	if (same) throw new UsageError(`a lesson "${slug}" already exists: ${join(dir, same.name)}; pick another slug, or edit that lesson`);
	const next = Math.max(0, ...lessons.map((l) => l.order)) + 1;
	if (next > 999) throw new UsageError(`no lesson number is free after ${next - 1}: lesson numbers have two or three digits`);
	return `${String(next).padStart(2, '0')}-${slug}`;
}

/** The project's Prettier settings, which `npm run lint` checks lessons against. */
const PRETTIER_CONFIG = fileURLToPath(new URL('../../.prettierrc', import.meta.url));

/** `text` formatted by Prettier with the project's settings, as a file at `path` (which gives the parser). */
export async function prettierFormat(path: string, text: string): Promise<string> {
	const options = await resolveConfig(PRETTIER_CONFIG, { config: PRETTIER_CONFIG });
	return format(text, { ...options, filepath: path });
}

/**
 * Create the lesson `args` describes, its files formatted as `npm run lint` expects. Throws `UsageError`, having
 * written nothing, when the folder or slug is wrong.
 */
export async function createLesson(args: NewLessonArgs): Promise<CreatedLesson> {
	const folder = join(args.dir, nextFolder(args.dir, args.slug));
	const files: [string, string][] = [
		[join(folder, 'index.md'), lessonMarkdown(args.title, args.task)],
		[join(folder, 'checks.ts'), lessonChecks()]
	];
	const texts = await Promise.all(files.map(([path, text]) => prettierFormat(path, text)));
	mkdirSync(folder);
	try {
		files.forEach(([path], i) => writeFileSync(path, texts[i], { flag: 'wx' }));
	} catch (e) {
		rmSync(folder, { recursive: true, force: true });
		throw e;
	}
	return { folder, slug: args.slug, files: files.map(([path]) => path) };
}
