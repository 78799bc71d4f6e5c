import { describe, expect, test } from 'vitest';
import { findLesson, lessonSummaries, lessons, neighbours } from '$lib/notebook/lessons';
import { lessonPath } from '$lib/notebook/lesson-path';
import { evaluateMathCell, parseMathCell } from '$lib/notebook/math/math-cell';

describe('the lessons in lessons/', () => {
	test('all load, in folder order, each with a unique slug', () => {
		expect(lessons.length).toBeGreaterThanOrEqual(2);
		expect(lessons.map((l) => l.meta.slug).slice(0, 2)).toEqual(['tensors-and-gradients', 'attention-module']);
		expect(new Set(lessons.map((l) => l.meta.slug)).size).toBe(lessons.length);
		const orders = lessons.map((l) => l.meta.order);
		expect(orders).toEqual([...orders].sort((a, b) => a - b));
	});

	test('every starter lesson has prose, a code cell, a math cell and an exercise', () => {
		for (const { meta, cells } of lessons.slice(0, 2)) {
			const kinds = new Set(cells.map((c) => c.kind));
			for (const kind of ['prose', 'code', 'math', 'exercise'])
				expect(kinds.has(kind as never), `${meta.file} has a ${kind} cell`).toBe(true);
		}
		expect(findLesson('tensors-and-gradients')?.cells.some((c) => c.kind === 'widget' && c.name === 'softmax-demo')).toBe(true);
	});

	test('the course is the six lessons of the issue, each on its task', () => {
		expect(lessons.map((l) => [l.meta.slug, l.meta.task])).toEqual([
			['tensors-and-gradients', 'none'],
			['attention-module', 'classification'],
			['video-classification', 'classification'],
			['object-tracking', 'tracking'],
			['video-generation', 'generation'],
			['training-in-parallel', 'classification']
		]);
	});

	test('every lesson has at least three exercises, and lab widgets only where there is a lab', () => {
		const labWidgets = ['frames', 'attention', 'knobs', 'trainer', 'speedup', 'export-model'];
		for (const { meta, cells } of lessons) {
			expect(cells.filter((c) => c.kind === 'exercise').length, `${meta.file} has ≥ 3 exercises`).toBeGreaterThanOrEqual(3);
			const widgets = cells.flatMap((c) => (c.kind === 'widget' ? [c.name] : []));
			if (meta.task === 'none')
				expect(
					widgets.filter((w) => labWidgets.includes(w)),
					`${meta.file} has no lab`
				).toEqual([]);
		}
	});

	test("each lesson on one of the article's models steps through that model as written", () => {
		const steppers = (slug: string) =>
			findLesson(slug)?.cells.flatMap((c) => (c.kind === 'widget' && c.name === 'stepper' ? [c.props.source] : [])) ?? [];
		expect(steppers('attention-module')).toContain('article-classifier');
		expect(steppers('object-tracking')).toContain('article-tracker');
		expect(steppers('video-generation')).toContain('article-generator');
	});

	test('neighbours link each lesson to the ones before and after it', () => {
		const [first, second] = lessons;
		expect(neighbours(first.meta.slug).prev).toBeNull();
		expect(neighbours(first.meta.slug).next).toEqual({ slug: second.meta.slug, title: second.meta.title });
		expect(neighbours(second.meta.slug).prev).toEqual({ slug: first.meta.slug, title: first.meta.title });
		expect(neighbours(lessons.at(-1)!.meta.slug).next).toBeNull();
	});

	test('every math cell evaluates without an error on any line', () => {
		for (const { meta, cells } of lessons) {
			for (const cell of cells) {
				if (cell.kind !== 'math') continue;
				const errors = evaluateMathCell(parseMathCell(cell.source)).filter((r) => r.error !== null);
				expect(errors, `${meta.file}:${cell.line}`).toEqual([]);
			}
		}
	});

	test('summaries list each lesson with its exercise ids', () => {
		const summary = lessonSummaries().find((s) => s.slug === 'attention-module');
		expect(summary?.exercises).toEqual(['fix-sizes', 'softmax-axis', 'peak-frame']);
	});
});

describe('lessonPath', () => {
	test('reads the order and slug from an NN-slug folder', () => {
		expect(lessonPath('/lessons/02-attention-module/checks.ts')).toEqual({
			folder: '02-attention-module',
			slug: 'attention-module',
			order: 2
		});
		expect(lessonPath('lessons/110-late/index.md')).toEqual({ folder: '110-late', slug: 'late', order: 110 });
	});

	test('rejects folders without a number or with characters a URL would need to escape', () => {
		expect(lessonPath('/lessons/intro/index.md')).toBeNull();
		expect(lessonPath('/lessons/01-Intro/index.md')).toBeNull();
		expect(lessonPath('/lessons/01-a b/index.md')).toBeNull();
	});
});
