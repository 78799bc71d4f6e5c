import { error, json } from '@sveltejs/kit';
import { findLesson, lessons } from '$lib/notebook/lessons';
import type { EntryGenerator, RequestHandler } from './$types';

// The teacher's variant of the sheet (`?solutions=1`) fetches these; kept out of the sheet's own page so a learner's copy has none.
export const prerender = true;
export const entries: EntryGenerator = () => lessons.map((l) => ({ slug: l.meta.slug }));

/** Each exercise's solution by id, read from the lesson's checks.ts at build time. */
export const GET: RequestHandler = ({ params }) => {
	const lesson = findLesson(params.slug);
	if (!lesson) error(404, `There is no lesson called "${params.slug}".`);
	return json(Object.fromEntries(lesson.cells.flatMap((c) => (c.kind === 'exercise' ? [[c.id, c.solution]] : []))));
};
