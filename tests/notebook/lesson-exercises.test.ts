import { describe, expect, test } from 'vitest';
import type { CheckResult, LessonChecks } from '$lib/notebook/exercises';
import { KernelRuntime } from '$lib/notebook/kernel/runtime';
import type { KernelEvent } from '$lib/notebook/kernel/protocol';
import { lessonPath } from '$lib/notebook/lesson-path';
import { lessons } from '$lib/notebook/lessons';

const modules = import.meta.glob<LessonChecks>('/lessons/*/checks.ts', { eager: true });
const checksBySlug = new Map(Object.entries(modules).map(([path, mod]) => [lessonPath(path)?.slug, mod]));

/** The error each check threw in the last run, by exercise id: the kernel shows it to the learner as a failure. */
const thrown = new Map<string, unknown>();

/** A lesson's checks, each recording what it throws before the kernel turns it into a failed check. */
function recording(mod: LessonChecks | undefined): LessonChecks | null {
	if (!mod) return null;
	const entries = Object.entries(mod.checks).map(([id, c]) => {
		const check = async (scope: Parameters<typeof c.check>[0]) => {
			try {
				return await c.check(scope);
			} catch (err) {
				thrown.set(id, err);
				throw err;
			}
		};
		return [id, { ...c, check }];
	});
	return { checks: Object.fromEntries(entries) };
}

/**
 * Run `code` in a fresh kernel, as an exercise cell does, then ask the kernel to check it. A cell that throws fails;
 * a check that throws is a bug in the check (the learner would read "The check could not run"), so the test fails.
 */
async function runExercise(slug: string, exerciseId: string, code: string, lang: 'ts' | 'js'): Promise<CheckResult> {
	const events: KernelEvent[] = [];
	thrown.delete(exerciseId);
	const kernel = new KernelRuntime({ post: (e) => events.push(e), loadChecks: async (s) => recording(checksBySlug.get(s)) });
	await kernel.handle({ type: 'run', runId: 1, cellId: exerciseId, code, lang, silent: true });
	const error = events.find((e) => e.type === 'error');
	if (error) return { pass: false, message: `the code threw ${error.error.name}: ${error.error.message}` };
	await kernel.handle({ type: 'check', runId: 2, lessonSlug: slug, exerciseId });
	const result = events.find((e) => e.type === 'checkResult');
	if (!result) throw new Error(`the kernel answered no checkResult for ${slug} › ${exerciseId}`);
	if (thrown.has(exerciseId)) {
		const err = thrown.get(exerciseId);
		throw new Error(
			`the check of ${slug} › ${exerciseId} threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}; ` +
				'a check should return fail(…) with a message for the learner, not throw'
		);
	}
	return result.result;
}

const exercises = lessons.flatMap(({ meta, cells }) =>
	cells.flatMap((c) => (c.kind === 'exercise' ? [{ slug: meta.slug, cell: c, at: `${meta.file}:${c.line}` }] : []))
);

describe('every exercise of every lesson', () => {
	test('every lesson with a checks.ts has exercises to check', () => {
		expect(exercises.length).toBeGreaterThanOrEqual(checksBySlug.size);
		for (const slug of checksBySlug.keys())
			expect(
				exercises.some((e) => e.slug === slug),
				`${slug} has no exercises`
			).toBe(true);
	});

	test.each(exercises.map((e) => [`${e.slug} › ${e.cell.id}`, e] as const))(
		'%s fails with its starter code and passes with its solution',
		async (_, { slug, cell, at }) => {
			const starter = await runExercise(slug, cell.id, cell.starter, cell.lang);
			expect(starter.pass, `${at}: the starter code should fail the check, but: ${starter.message}`).toBe(false);
			expect(starter.message.length).toBeGreaterThan(0);
			const solution = await runExercise(slug, cell.id, cell.solution, cell.lang);
			expect(solution.pass, `${at}: the solution in checks.ts should pass the check, but: ${solution.message}`).toBe(true);
		}
	);
});
