/**
 * Every lesson in `lessons/`, loaded once when this module is first imported. Adding a folder
 * `lessons/NN-slug/` adds a page. A malformed lesson throws `LessonError` here, which fails the
 * prerender (so the build) and any test that imports this module.
 *
 * Imported only from `+page.server.ts` files: the markdown, YAML and lesson sources stay out of
 * the browser bundle, and pages receive the loaded lessons as prerendered data.
 */
import { loadLessons } from './loader';
import { readSite } from './site-files';
import type { Lesson, LessonLink, LessonSummary } from './types';

const sources = import.meta.glob<string>('/lessons/*/index.md', { query: '?raw', import: 'default', eager: true });
const checks = import.meta.glob('/lessons/*/checks.ts', { eager: true });
const checkSources = import.meta.glob<string>('/lessons/*/checks.ts', { query: '?raw', import: 'default', eager: true });

// Links in lessons are checked against the site's routes and static/ files as they are on disk now.
export const lessons: readonly Lesson[] = loadLessons(sources, checks, checkSources, readSite());

export function findLesson(slug: string): Lesson | undefined {
	return lessons.find((l) => l.meta.slug === slug);
}

/** The lessons before and after `slug` in course order. */
export function neighbours(slug: string): { prev: LessonLink | null; next: LessonLink | null } {
	const i = lessons.findIndex((l) => l.meta.slug === slug);
	const link = (l: Lesson | undefined) => (l ? { slug: l.meta.slug, title: l.meta.title } : null);
	return { prev: i > 0 ? link(lessons[i - 1]) : null, next: i >= 0 ? link(lessons[i + 1]) : null };
}

export function lessonSummaries(): LessonSummary[] {
	return lessons.map(({ meta, cells }) => ({ ...meta, exercises: cells.flatMap((c) => (c.kind === 'exercise' ? [c.id] : [])) }));
}
