import { LessonError, loadLesson, type LessonInput } from '$lib/notebook/loader';

/** The problems `loadLesson` throws for `input`, as `file:line: reason` strings; throws if the lesson loads. */
export function problems(input: LessonInput): string[] {
	try {
		loadLesson(input);
	} catch (e) {
		if (!(e instanceof LessonError)) throw e;
		return e.problems.map((p) => `${p.file}:${p.line}: ${p.reason}`);
	}
	throw new Error('expected the lesson to be rejected');
}
