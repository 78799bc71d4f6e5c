import { describe, expect, test } from 'vitest';
import { problems } from '../helpers/lesson-problems';
import { loadLesson, loadLessons, type LessonInput } from '$lib/notebook/loader';
import { suggest } from '$lib/notebook/lint';

// The mistakes a teacher makes while writing a lesson, each reported at its file and line with what to do.

const FILE = 'lessons/07-demo/index.md';
const CHECKS = 'lessons/07-demo/checks.ts';
const front = (task: string) => [
	'---',
	'title: Demo',
	'summary: A demo lesson.',
	'objectives:',
	'  - Learn a thing',
	`task: ${task}`,
	'---'
];
// The body starts on line 8 of every lesson built with `lesson()`.
const BODY_LINE = 8;

const validCheck = { check: () => ({ pass: true, message: 'ok' }), hint: 'Try harder.', solution: 'const x = 1;' };

function lesson(body: string[], extra: Partial<LessonInput> = {}, task = 'classification'): LessonInput {
	return { file: FILE, source: [...front(task), ...body].join('\n'), ...extra };
}

describe('suggest', () => {
	test('names the closest option for a likely typo, and nothing for an unrelated word or an exact match', () => {
		expect(suggest('clasification', ['classification', 'tracking'])).toBe(' (did you mean "classification"?)');
		expect(suggest('Classification', ['classification', 'tracking'])).toBe(' (did you mean "classification"?)');
		expect(suggest('attention-map', ['attention', 'frames'])).toBe(' (did you mean "attention"?)');
		expect(suggest('heatmap', ['attention', 'frames'])).toBe('');
		expect(suggest('frames', ['attention', 'frames'])).toBe('');
		expect(suggest('x', [])).toBe('');
	});
});

describe('loadLesson: what a teacher gets wrong', () => {
	test('a misspelt or capitalised task suggests the right one', () => {
		expect(problems(lesson(['Hi.'], {}, 'Tracking'))).toEqual([
			`${FILE}:6: frontmatter: "task" must be one of classification, tracking, generation, none (did you mean "tracking"?)`
		]);
	});

	test('YAML that does not parse is reported once per line, with what usually fixes it', () => {
		const source = ['---', 'title: Attention: how sharp?', 'summary: s', 'objectives:', '- a', 'task: none', '---', 'Hi.'].join('\n');
		const found = problems({ file: FILE, source });
		expect(found).toHaveLength(1);
		expect(found[0]).toMatch(new RegExp(`^${FILE}:2: frontmatter: .+ \\(put text that contains ": " .+ in "double quotes"`));
	});

	test('an unknown widget that is a likely typo suggests the right name', () => {
		expect(problems(lesson(['```widget attention-map', '```']))[0]).toMatch(
			new RegExp(`^${FILE}:${BODY_LINE}: unknown widget "attention-map" \\(did you mean "attention"\\?\\); the widgets are `)
		);
	});

	test('widget JSON with unquoted keys says JSON needs double quotes', () => {
		expect(problems(lesson(["```widget knobs {keys: ['data.noise']}", '```']))[0]).toMatch(
			/invalid props JSON for widget knobs: .+; JSON puts keys and text in "double quotes", like \{"keys": \["data.noise"\]\}$/
		);
	});

	test("knob keys must be knobs of the lesson's task, with a suggestion for a typo; the variant picker is one", () => {
		const body = ['```widget knobs {"keys": ["variant", "data.noise", "data.nosie", "model.embedDim"]}', '```'];
		expect(problems(lesson(body))).toEqual([
			expect.stringMatching(
				new RegExp(
					`^${FILE}:${BODY_LINE}: widget knobs: the classification task has no knob "data.nosie" \\(did you mean "data.noise"\\?\\); its knobs are variant, `
				)
			),
			expect.stringMatching(
				new RegExp(`^${FILE}:${BODY_LINE}: widget knobs: the classification task has no knob "model.embedDim"; its knobs are`)
			)
		]);
		expect(
			loadLesson(lesson(['```widget knobs {"keys": ["model.embedDim", "model.numHeads"]}', '```'], {}, 'generation')).cells
		).toHaveLength(1);
	});

	test('a widget that draws the lab, in a lesson with task: none', () => {
		const body = [
			'```widget frames',
			'```',
			'```widget knobs {"keys": ["data.noise"]}',
			'```',
			'```widget stepper {"source": "mlp"}',
			'```'
		];
		const reason = `it shows the lesson's lab, and this lesson has "task: none": set the task in the frontmatter, or remove the widget`;
		expect(problems(lesson(body, {}, 'none'))).toEqual([
			`${FILE}:${BODY_LINE}: widget frames: ${reason}`,
			`${FILE}:${BODY_LINE + 2}: widget knobs: ${reason}`
		]);
	});

	test('a math cell line that would show an error on the page, at its own line', () => {
		const body = ['Text.', '```math', 'tau = 1  # slider 4..0.1', 's = = 1', 'y = 2 * w1', '```'];
		expect(problems(lesson(body))).toEqual([
			`${FILE}:${BODY_LINE + 2}: math cell: A slider's range must go up: 4..0.1`,
			`${FILE}:${BODY_LINE + 3}: math cell: Value expected (char 5)`,
			`${FILE}:${BODY_LINE + 4}: math cell: Undefined symbol w1`
		]);
	});

	test('a cell fence left open runs into the next cell: one problem at the open fence, not a missing exercise', () => {
		const body = ['```code', 'const x = 1;', '', '```exercise later', 'Do it.', '---', 'x', '```', 'More.'];
		expect(problems(lesson(body, { checks: { checks: { later: validCheck } } }))).toEqual([
			`${FILE}:${BODY_LINE}: the \`\`\`code fence is not closed before line ${BODY_LINE + 3}, which starts another cell: end it with a line \`\`\``
		]);
		// A four-backtick exercise may show a three-backtick cell in its prompt.
		const nested = ['````exercise show', 'Write', '```code', 'x', '```', '---', 'x', '````'];
		expect(loadLesson(lesson(nested, { checks: { checks: { show: validCheck } } })).cells).toHaveLength(1);
	});

	test('an exercise and a check whose ids differ by a typo suggest each other, the check at its line', () => {
		const checksSource = ['export const checks = {', "\t'sharpen': {", '\t}', '};'].join('\n');
		const input = lesson(['```exercise sharpen-more', 'Do it.', '---', 'x', '```'], {
			checks: { checks: { sharpen: validCheck } },
			checksSource
		});
		expect(problems(input)).toEqual([
			`${CHECKS}:2: check "sharpen" has no \`\`\`exercise sharpen cell in ${FILE} (did you mean "sharpen-more"?)`,
			`${FILE}:${BODY_LINE}: exercise "sharpen-more" has no check: add checks["sharpen-more"] to ${CHECKS} (did you mean "sharpen"?)`
		]);
	});

	test('an exercise in a lesson without a checks.ts says to create one', () => {
		expect(problems(lesson(['```exercise first', 'Do it.', '---', 'x', '```']))).toEqual([
			`${FILE}:${BODY_LINE}: exercise "first" has no check: add checks["first"] to a new ${CHECKS} (see lessons/README.md)`
		]);
	});

	test('a link to a lesson that does not exist, absolute or relative, at its line', () => {
		const lessons = new Set(['demo', 'video-classification']);
		const body = [
			'See [the last lesson](/lessons/video-classification), its [sheet](/lessons/video-classification/sheet),',
			'[a section](/lessons/video-classification#the-task), [this one](#top) and [the web](https://example.org).',
			'',
			'A typo: [next](/lessons/video-clasification).',
			'',
			'- Relative: [next](video-generation) and [a page](/lessons/demo/answers)'
		];
		expect(problems(lesson(body, { lessons }))).toEqual([
			`${FILE}:${BODY_LINE + 3}: the link "/lessons/video-clasification" goes nowhere: there is no lesson "video-clasification" (did you mean "video-classification"?); a lesson's address is its folder name without the number`,
			`${FILE}:${BODY_LINE + 5}: the link "video-generation" goes nowhere: there is no lesson "video-generation"; a lesson's address is its folder name without the number`,
			`${FILE}:${BODY_LINE + 5}: the link "/lessons/demo/answers" goes nowhere: a lesson has no page "answers"; its pages are /lessons/demo and /lessons/demo/sheet`
		]);
		expect(loadLesson(lesson(body)).cells).toHaveLength(1);
	});

	test("a link in an exercise's prompt is checked too, at its line", () => {
		const body = ['```exercise peek', 'Look back at [the last lesson](/lessons/nope).', '---', 'x', '```'];
		expect(problems(lesson(body, { lessons: new Set(['demo']), checks: { checks: { peek: validCheck } } }))).toEqual([
			`${FILE}:${BODY_LINE + 1}: the link "/lessons/nope" goes nowhere: there is no lesson "nope"; a lesson's address is its folder name without the number`
		]);
	});

	test('an empty knobs list says to leave keys out', () => {
		expect(problems(lesson(['```widget knobs {"keys": []}', '```']))).toEqual([
			`${FILE}:${BODY_LINE}: widget knobs: prop "keys" should be a non-empty list of knob keys such as "data.noise" (leave "keys" out for all of them), got []`
		]);
	});
});

describe('loadLessons: links between lessons', () => {
	test('checks links against every lesson loaded together', () => {
		const source = (link: string) => [...front('none'), `Go to [it](${link}).`].join('\n');
		const run = (link: string) => () =>
			loadLessons({ '/lessons/01-a/index.md': source('/lessons/b'), '/lessons/02-b/index.md': source(link) });
		expect(run('/lessons/a')()).toHaveLength(2);
		expect(run('/lessons/01-a')).toThrow(
			'lessons/02-b/index.md:8: the link "/lessons/01-a" goes nowhere: there is no lesson "01-a" (did you mean "a"?); a lesson\'s address is its folder name without the number'
		);
	});
});
