import { error } from '@sveltejs/kit';
import { findLesson, lessons, neighbours } from '$lib/notebook/lessons';
import type { EntryGenerator, PageServerLoad } from './$types';

// Every lesson is prerendered: importing `lessons` loads them all, so a malformed one fails the build with its file and line.
export const entries: EntryGenerator = () => lessons.map((l) => ({ slug: l.meta.slug }));

export const load: PageServerLoad = ({ params }) => {
	const lesson = findLesson(params.slug);
	if (!lesson) error(404, `There is no lesson called "${params.slug}".`);
	return { lesson, ...neighbours(params.slug), position: lessons.indexOf(lesson) + 1, count: lessons.length };
};
