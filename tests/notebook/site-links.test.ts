import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { problems } from '../helpers/lesson-problems';
import { loadLesson, loadLessons, type LessonInput } from '$lib/notebook/loader';
import { describeHttpError } from '$lib/notebook/prerender-errors.js';
import { linkProblem, type SiteMap } from '$lib/notebook/site';
import { readSite } from '$lib/notebook/site-files';

// Links from a lesson to the rest of the site (pages, endpoints, static/ files), checked at their line like links between lessons.

const FILE = 'lessons/07-demo/index.md';
const FRONT = ['---', 'title: Demo', 'summary: A demo lesson.', 'objectives:', '  - Learn a thing', 'task: none', '---'];
// The body starts on line 8 of every lesson built with `lesson()`.
const BODY_LINE = FRONT.length + 1;
const slugs = new Set(['demo', 'tensors-and-gradients', 'foo']);
const site = readSite();
const PAGES = 'its pages are /, /lessons/SLUG, /lessons/SLUG/sheet and /playground';

function lesson(body: string[], extra: Partial<LessonInput> = {}): LessonInput {
	return { file: FILE, source: [...FRONT, ...body].join('\n'), lessons: slugs, site, ...extra };
}

const temps: string[] = [];
/** A throwaway project root holding `files` (path → text). */
function project(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'glance-site-'));
	temps.push(root);
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	return root;
}
afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

describe('readSite', () => {
	test("reads this site's pages, endpoints and static files", () => {
		expect(site.pages).toEqual(['/', '/lessons/[slug]', '/lessons/[slug]/sheet', '/playground']);
		expect(site.endpoints).toEqual(['/lessons/[slug]/sheet/solutions.json']);
		expect(site.files).toContain('favicon.svg');
	});

	test('leaves (group) folders out of routes, reads nested static files, and refuses a root without src/routes', () => {
		const root = project({
			'src/routes/+page.svelte': '',
			'src/routes/(docs)/about/+page.ts': '',
			'src/routes/api/[id]/+server.ts': '',
			'src/routes/lib-only/helper.ts': '',
			'static/figures/clip one.png': ''
		});
		expect(readSite(root)).toEqual({ pages: ['/', '/about'], endpoints: ['/api/[id]'], files: ['figures/clip one.png'] });
		expect(() => readSite(join(root, 'static'))).toThrow(/there is no src\/routes in .*static \(run from the project's root\)/);
	});
});

describe('loadLesson: links to the rest of the site', () => {
	test('accepts every address the site answers, and leaves external links and anchors alone', () => {
		const body = [
			'[home](/), [the playground](/playground), [up one](../playground), [with a slash](/playground/),',
			'[a section](/playground#matrix), [a sheet](/lessons/foo/sheet?solutions=1), [answers](/lessons/foo/sheet/solutions.json),',
			'![the logo](/favicon.svg), [mail](mailto:a@b.org), [web](https://example.org/x), [other host](//example.org/y), [top](#top).'
		];
		expect(loadLesson(lesson(body)).cells).toHaveLength(1);
	});

	test('a typo in a page of the site names the page it meant and lists the pages', () => {
		expect(problems(lesson(['Try [the playground](/playgrond).', '', 'Or [relative](../playgrond).']))).toEqual([
			`${FILE}:${BODY_LINE}: the link "/playgrond" goes nowhere: the site has no page "/playgrond" (did you mean "/playground"?); ${PAGES}`,
			`${FILE}:${BODY_LINE + 2}: the link "../playgrond" goes nowhere: the site has no page "/playgrond" (did you mean "/playground"?); ${PAGES}`
		]);
	});

	test('a page a lesson does not have suggests the one it has; a numbered folder name suggests the slug', () => {
		expect(problems(lesson(['[sheet](/lessons/tensors-and-gradients/sheeet) and [that](/lessons/03-foo/sheet)']))).toEqual([
			`${FILE}:${BODY_LINE}: the link "/lessons/tensors-and-gradients/sheeet" goes nowhere: a lesson has no page "sheeet" (did you mean "/lessons/tensors-and-gradients/sheet"?); its pages are /lessons/tensors-and-gradients and /lessons/tensors-and-gradients/sheet`,
			`${FILE}:${BODY_LINE}: the link "/lessons/03-foo/sheet" goes nowhere: there is no lesson "03-foo" (did you mean "foo"?); a lesson's address is its folder name without the number`
		]);
	});

	test('a missing static file says where static/ files are served, and a /static/ prefix suggests the right address', () => {
		const body = ['![a figure](/static-file-that-is-missing.png)', '', 'The [logo](/static/favicon.svg).'];
		const served = "files in static/ are served from the site's root, so static/favicon.svg is /favicon.svg";
		expect(problems(lesson(body))).toEqual([
			`${FILE}:${BODY_LINE}: the image "/static-file-that-is-missing.png" goes nowhere: there is no file "static/static-file-that-is-missing.png"; ${served}`,
			`${FILE}:${BODY_LINE + 2}: the link "/static/favicon.svg" goes nowhere: there is no file "static/static/favicon.svg" (did you mean "/favicon.svg"?); ${served}`
		]);
	});

	test('"/lessons" alone is not a page, only the start of some', () => {
		expect(problems(lesson(['All [lessons](/lessons).']))).toEqual([
			`${FILE}:${BODY_LINE}: the link "/lessons" goes nowhere: the site has no page "/lessons", only pages under it: /lessons/SLUG and /lessons/SLUG/sheet`
		]);
	});

	test("a link in an exercise's prompt is checked at its line", () => {
		const check = { check: () => ({ pass: true, message: 'ok' }), hint: 'Hint.', solution: 'const x = 1;' };
		const body = ['```exercise peek', 'Plot it in the [playground](/playgroud).', '---', 'x', '```'];
		expect(problems(lesson(body, { checks: { checks: { peek: check } } }))).toEqual([
			`${FILE}:${BODY_LINE + 1}: the link "/playgroud" goes nowhere: the site has no page "/playgroud" (did you mean "/playground"?); ${PAGES}`
		]);
	});

	test("a relative link in an exercise's prompt must also work on the exercise sheet, which shows the prompt", () => {
		const check = { check: () => ({ pass: true, message: 'ok' }), hint: 'Hint.', solution: 'const x = 1;' };
		const prompt = (link: string) => ['```exercise peek', `Plot it in the [playground](${link}).`, '---', 'x', '```'];
		expect(problems(lesson(prompt('../playground'), { checks: { checks: { peek: check } } }))).toEqual([
			`${FILE}:${BODY_LINE + 1}: the link "../playground" goes nowhere: on the exercise sheet /lessons/demo/sheet, which shows this prompt too, it leads to "/lessons/playground": write it from the site's root, "/playground"`
		]);
		expect(loadLesson(lesson(prompt('/playground'), { checks: { checks: { peek: check } } })).cells).toHaveLength(1);
		expect(loadLesson(lesson(['Prose may use [it](../playground).'])).cells).toHaveLength(1);
	});

	test('without the site, only links under /lessons/ are checked', () => {
		expect(loadLesson(lesson(['[x](/playgrond)'], { site: undefined })).cells).toHaveLength(1);
	});

	test('loadLessons checks every lesson against the site it is given', () => {
		const source = [...FRONT, 'See [it](/playgrond).'].join('\n');
		expect(() => loadLessons({ '/lessons/01-a/index.md': source })).not.toThrow();
		expect(() => loadLessons({ '/lessons/01-a/index.md': source }, {}, {}, site)).toThrow(
			`lessons/01-a/index.md:8: the link "/playgrond" goes nowhere: the site has no page "/playgrond" (did you mean "/playground"?)`
		);
	});
});

describe('linkProblem: route patterns', () => {
	const other: SiteMap = {
		pages: ['/', '/docs/[...path]', '/blog/[[page]]', '/clips/clip-[n].png', '/lessons/[slug]'],
		endpoints: [],
		files: ['figures/my clip.png']
	};
	test.each([
		['/docs/a/b/c', null],
		['/docs', null],
		['/blog', null],
		['/blog/2', null],
		['/blog/2/3', 'the site has no page "/blog/2/3"; its pages are /, /docs/PATH..., /blog/[PAGE], /clips/clip-N.png and /lessons/SLUG'],
		['/clips/clip-7.png', null],
		['/figures/my clip.png', null],
		['/lessons/foo', null],
		['/lessons/bar', 'there is no lesson "bar"; a lesson\'s address is its folder name without the number']
	])('%s', (path, expected) => {
		expect(linkProblem(path, new Set(['foo']), other)).toBe(expected);
	});
});

describe('describeHttpError: what the build says when a link still fails at prerender', () => {
	const root = project({
		'lessons/07-demo/index.md': [...FRONT, 'Intro.', '', 'See [the playground](/playgrond).'].join('\n'),
		'lessons/08-relative/index.md': [...FRONT, 'Up: [there](../playgrond).'].join('\n')
	});
	const details = { status: 404, referenceType: 'linked' as const, message: '404 /playgrond (linked from /lessons/demo)' };

	test("names the lesson file and line that hold the link, and keeps SvelteKit's message", () => {
		expect(describeHttpError({ ...details, path: '/playgrond', referrer: '/lessons/demo' }, root)).toBe(
			'404 /playgrond, linked from /lessons/demo: lessons/07-demo/index.md:10 has the link: correct its address or remove it. (404 /playgrond (linked from /lessons/demo))'
		);
		expect(describeHttpError({ ...details, path: '/playgrond', referrer: '/lessons/relative/sheet' }, root)).toContain(
			'lessons/08-relative/index.md:8 has the link'
		);
	});

	test('a link the lesson does not write, or on a page that is not a lesson, points at the templates', () => {
		expect(describeHttpError({ ...details, path: '/nowhere', referrer: '/lessons/demo' }, root)).toContain(
			"/nowhere, linked from /lessons/demo: lessons/07-demo/index.md does not write this address, so it comes from the lesson page's template (src/routes/lessons/[slug]) or a widget on it."
		);
		expect(describeHttpError({ ...details, path: '/x.json', referrer: '/playground', referenceType: 'fetched' }, root)).toContain(
			'404 /x.json, fetched by /playground: Look for it in src/routes/playground and the components that page uses.'
		);
		expect(describeHttpError({ ...details, path: '/about', referrer: null }, root)).toContain('404 /about: a prerender entry');
	});
});
