import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { check, resolveConfig } from 'prettier';
import { afterAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../src/cli/args';
import { createLesson, LESSON_TASKS, parseNewLessonArgs, SCAFFOLD_EXERCISE } from '../../src/cli/lesson-scaffold';
import type { CheckResult, LessonChecks } from '$lib/notebook/exercises';
import { TASKS } from '$lib/notebook/frontmatter';
import type { KernelEvent } from '$lib/notebook/kernel/protocol';
import { KernelRuntime } from '$lib/notebook/kernel/runtime';
import { loadLesson } from '$lib/notebook/loader';
import { readSite } from '$lib/notebook/site-files';
import type { LessonTask } from '$lib/notebook/types';

// `npm run lint` runs Prettier on lessons/ with the project's settings.
const PRETTIER_RC = join(process.cwd(), '.prettierrc');
const temps: string[] = [];
/** A throwaway lessons folder holding two lessons and the README, as lessons/ does. */
function lessonsDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glance-lessons-'));
	temps.push(dir);
	for (const folder of ['01-first', '02-second']) mkdirSync(join(dir, folder));
	writeFileSync(join(dir, 'README.md'), '# Writing a lesson\n');
	return dir;
}
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

/** Every path under `dir`, to show that a refusal wrote nothing. */
const tree = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

/** Run `code` in a fresh kernel as an exercise cell does, then the lesson's check of exercise `id`. */
async function runExercise(checks: LessonChecks, id: string, code: string): Promise<CheckResult> {
	const events: KernelEvent[] = [];
	const kernel = new KernelRuntime({ post: (e) => events.push(e), loadChecks: async () => checks });
	await kernel.handle({ type: 'run', runId: 1, cellId: id, code, lang: 'ts', silent: true });
	const error = events.find((e) => e.type === 'error');
	if (error) return { pass: false, message: `the code threw ${error.error.name}: ${error.error.message}` };
	await kernel.handle({ type: 'check', runId: 2, lessonSlug: 'new', exerciseId: id });
	const result = events.find((e) => e.type === 'checkResult');
	if (!result) throw new Error('the kernel answered no checkResult');
	return result.result;
}

describe('parseNewLessonArgs', () => {
	test('reads the slug, the title and the task, in both --task value and --task=value forms', () => {
		expect(parseNewLessonArgs(['spatial-attention', 'Spatial attention', '--task', 'tracking'])).toEqual({
			slug: 'spatial-attention',
			title: 'Spatial attention',
			task: 'tracking',
			dir: 'lessons',
			help: false
		});
		expect(parseNewLessonArgs(['--task=generation', 'a2', ' A title ', '--dir', 'x'])).toMatchObject({
			slug: 'a2',
			title: 'A title',
			task: 'generation',
			dir: 'x'
		});
		expect(parseNewLessonArgs(['intro', 'Intro']).task).toBe('none');
		expect(parseNewLessonArgs(['--help']).help).toBe(true);
	});

	test('its tasks are the ones the lesson loader accepts', () => {
		expect([...LESSON_TASKS].sort()).toEqual([...TASKS].sort());
	});

	test.each([
		[[], 'a slug and a title are required, like: npm run new-lesson -- spatial-attention "Spatial attention"'],
		[
			['Spatial_Attention', 'X'],
			'bad slug "Spatial_Attention" (did you mean "spatial-attention"?): use lowercase letters, digits and single hyphens, like "spatial-attention"'
		],
		[
			['spatial--attention', 'X'],
			'bad slug "spatial--attention" (did you mean "spatial-attention"?): use lowercase letters, digits and single hyphens, like "spatial-attention"'
		],
		[['-', 'X'], 'bad slug "-": use lowercase letters, digits and single hyphens, like "spatial-attention"'],
		[['07-spatial-attention', 'X'], 'leave the number off the slug (use "spatial-attention"): the next free number is added for you'],
		[['playground', 'X'], '"playground" is the playground\'s own name (its saved cells use it); pick another slug'],
		[['intro'], 'a title is required after the slug, like: npm run new-lesson -- intro "Spatial attention"'],
		[['intro', '  '], 'a title is required after the slug, like: npm run new-lesson -- intro "Spatial attention"'],
		[['intro', 'Two\nlines'], 'the title must be one line'],
		[['intro', 'Spatial', 'attention'], 'unexpected argument "attention": put a title that has spaces in quotes'],
		[
			['intro', 'Intro', '--task', 'trackng'],
			'unknown task "trackng" (did you mean "tracking"?); the tasks are classification, tracking, generation, none'
		],
		[['intro', 'Intro', '--task'], '--task needs a value'],
		[['intro', 'Intro', '--force'], 'unknown flag "--force"']
	])('%j is refused: %s', (argv, message) => {
		expect(() => parseNewLessonArgs(argv)).toThrow(new UsageError(message));
	});
});

describe('createLesson', () => {
	test.each(LESSON_TASKS.map((t) => [t]))(
		'a %s lesson gets the next number, loads with the real loader, is formatted, and its check fails the starter and passes the solution',
		async (task: LessonTask) => {
			const dir = lessonsDir();
			const created = await createLesson({ slug: 'new', title: 'Attention: how "sharp"? #1', task, dir, help: false });
			expect(created.folder).toBe(join(dir, '03-new'));
			expect(tree(dir)).toEqual(['01-first', '02-second', '03-new', '03-new/checks.ts', '03-new/index.md', 'README.md']);

			const [index, checksFile] = created.files;
			const source = readFileSync(index, 'utf8');
			const checksSource = readFileSync(checksFile, 'utf8');
			for (const [path, text] of [
				[index, source],
				[checksFile, checksSource]
			])
				expect(
					await check(text, { ...(await resolveConfig(PRETTIER_RC, { config: PRETTIER_RC })), filepath: path }),
					`${path} is formatted`
				).toBe(true);

			const checks = (await import(/* @vite-ignore */ pathToFileURL(checksFile).href)) as LessonChecks;
			const file = `lessons/${relative(dir, index)}`;
			const lesson = loadLesson({ file, source, checks, checksSource, lessons: new Set(['first', 'second', 'new']), site: readSite() });
			expect(lesson.meta).toMatchObject({ slug: 'new', order: 3, title: 'Attention: how "sharp"? #1', task });
			const kinds = lesson.cells.map((c) => c.kind);
			expect(kinds).toEqual(
				task === 'none'
					? ['prose', 'math', 'prose', 'code', 'prose', 'exercise']
					: ['prose', 'math', 'prose', 'code', 'prose', 'widget', 'prose', 'exercise']
			);

			const exercise = lesson.cells.find((c) => c.kind === 'exercise')!;
			expect(exercise.kind === 'exercise' && [exercise.id, exercise.starter, exercise.solution]).toEqual([
				SCAFFOLD_EXERCISE.id,
				SCAFFOLD_EXERCISE.starter,
				SCAFFOLD_EXERCISE.solution
			]);
			const starter = await runExercise(checks, SCAFFOLD_EXERCISE.id, SCAFFOLD_EXERCISE.starter);
			expect(starter).toEqual({
				pass: false,
				message: '`weights` is [2.00, 0.00, 1.00, -1.00]; the softmax of `scores` is [0.64, 0.09, 0.24, 0.03], positive and summing to one.'
			});
			const solution = await runExercise(checks, SCAFFOLD_EXERCISE.id, SCAFFOLD_EXERCISE.solution);
			expect(solution).toEqual({ pass: true, message: '`weights` is the softmax of `scores`: positive, and summing to one.' });
		},
		// The first run loads the lesson parser and the kernel, which takes seconds on a busy machine.
		30_000
	);

	test('refuses a slug that a lesson already has, or a folder that is not there, and writes nothing', async () => {
		const dir = lessonsDir();
		const before = tree(dir);
		await expect(createLesson({ slug: 'second', title: 'Again', task: 'none', dir, help: false })).rejects.toThrow(
			new UsageError(`a lesson "second" already exists: ${join(dir, '02-second')}; pick another slug, or edit that lesson`)
		);
		expect(tree(dir)).toEqual(before);
		const missing = join(dir, 'nope');
		await expect(createLesson({ slug: 'x', title: 'X', task: 'none', dir: missing, help: false })).rejects.toThrow(
			new UsageError(`there is no lessons folder at "${missing}"`)
		);
		expect(tree(dir)).toEqual(before);
	});
});

describe('npm run new-lesson', () => {
	const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
	const run = (...argv: string[]) => spawnSync(tsx, ['src/cli/new-lesson.ts', ...argv], { encoding: 'utf8' });

	test('creates the lesson and says what to do next; a refusal exits 2 with the reason and the usage, and writes nothing', () => {
		const dir = lessonsDir();
		const made = run('spatial-attention', 'Spatial attention', '--task', 'classification', '--dir', dir);
		expect(made.status, made.stderr).toBe(0);
		expect(made.stdout).toContain(
			`Created ${join(dir, '03-spatial-attention', 'index.md')} and ${join(dir, '03-spatial-attention', 'checks.ts')}.`
		);
		expect(made.stdout).toContain('open /lessons/spatial-attention');

		const before = tree(dir);
		const refused = run('spatial-attention', 'Again', '--dir', dir);
		expect(refused.status).toBe(2);
		expect(refused.stderr).toContain(`error: a lesson "spatial-attention" already exists: ${join(dir, '03-spatial-attention')}`);
		expect(refused.stderr).toContain('Usage: npm run new-lesson -- <slug> "<Title>"');
		const unknown = run('other', 'Other', '--task', 'segmentation', '--dir', dir);
		expect(unknown.status).toBe(2);
		expect(unknown.stderr).toContain('error: unknown task "segmentation"; the tasks are classification, tracking, generation, none');
		expect(tree(dir)).toEqual(before);
	}, 60_000);
});
