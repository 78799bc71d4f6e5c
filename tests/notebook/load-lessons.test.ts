import { describe, expect, test } from 'vitest';
import { LessonError, loadLessons } from '$lib/notebook/loader';

const FRONT = ['---', 'title: Demo', 'summary: A demo lesson.', 'objectives:', '  - Learn a thing', 'task: tracking', '---'];

describe('loadLessons', () => {
	const source = (title: string) => [...FRONT.map((l) => (l.startsWith('title:') ? `title: ${title}` : l)), 'Hi.'].join('\n');

	test('orders lessons by their folder number', () => {
		const lessons = loadLessons({ '/lessons/10-b/index.md': source('B'), '/lessons/02-a/index.md': source('A') });
		expect(lessons.map((l) => [l.meta.order, l.meta.slug, l.meta.title])).toEqual([
			[2, 'a', 'A'],
			[10, 'b', 'B']
		]);
	});

	test('rejects two lessons with the same slug or the same number, and collects problems across lessons', () => {
		const run = () =>
			loadLessons({
				'/lessons/01-a/index.md': source('A'),
				'/lessons/02-a/index.md': source('A again'),
				'/lessons/02-c/index.md': source('C'),
				'/lessons/03-d/index.md': 'broken'
			});
		expect(run).toThrow(LessonError);
		expect(() => run()).toThrow(/lessons\/02-a\/index\.md:1: lesson slug "a" is also used by lessons\/01-a\/index\.md/);
		expect(() => run()).toThrow(/lessons\/02-c\/index\.md:1: lesson number 02 is also used by lessons\/02-a\/index\.md/);
		expect(() => run()).toThrow(/lessons\/03-d\/index\.md:1: a lesson must start with frontmatter/);
	});
});
