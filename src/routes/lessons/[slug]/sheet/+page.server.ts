import { error } from '@sveltejs/kit';
import { findLesson, lessons } from '$lib/notebook/lessons';
import type { EntryGenerator, PageServerLoad } from './$types';

// One printable sheet per lesson, prerendered like the lesson pages.
export const entries: EntryGenerator = () => lessons.map((l) => ({ slug: l.meta.slug }));

/** The sheet's data: the lesson's title, summary and objectives, and each exercise's prompt and starter code, without solutions. */
export const load: PageServerLoad = ({ params }) => {
	const lesson = findLesson(params.slug);
	if (!lesson) error(404, `There is no lesson called "${params.slug}".`);
	const exercises = lesson.cells.flatMap((c) =>
		c.kind === 'exercise' ? [{ id: c.id, prompt: c.prompt, starter: c.starter, lang: c.lang }] : []
	);
	return { meta: lesson.meta, exercises, position: lessons.indexOf(lesson) + 1 };
};
