import { describe, expect, test } from 'vitest';
import { problems } from '../helpers/lesson-problems';
import { LessonError, loadLesson, type LessonInput } from '$lib/notebook/loader';
import type { ExerciseCell } from '$lib/notebook/types';
import { WIDGET_NAMES } from '$lib/notebook/widgets';

const FILE = 'lessons/07-demo/index.md';
const CHECKS = 'lessons/07-demo/checks.ts';
const FRONT = ['---', 'title: Demo', 'summary: A demo lesson.', 'objectives:', '  - Learn a thing', 'task: tracking', '---'];
// The body starts on line 8 of every lesson built with `lesson()`.
const BODY_LINE = FRONT.length + 1;

const validCheck = { check: () => ({ pass: true, message: 'ok' }), hint: 'Try harder.', solution: 'const x = 1;' };

function lesson(body: string[], extra: Partial<LessonInput> = {}): LessonInput {
	return { file: FILE, source: [...FRONT, ...body].join('\n'), ...extra };
}

describe('loadLesson: a valid lesson', () => {
	const input = lesson(
		[
			'Some *prose* with $x^2$.',
			'',
			'```code',
			'const x = 1;',
			'```',
			'',
			'```code js',
			'x + 1',
			'```',
			'```math',
			'a = 2',
			'```',
			'```widget softmax-demo {}',
			'```',
			'```exercise first-try',
			'Make `x` **one**.',
			'---',
			'const x = 0;',
			'```',
			'Closing words.'
		],
		{ checks: { checks: { 'first-try': validCheck } } }
	);

	test('gives metadata from the frontmatter and the folder name', () => {
		expect(loadLesson(input).meta).toEqual({
			title: 'Demo',
			summary: 'A demo lesson.',
			objectives: ['Learn a thing'],
			task: 'tracking',
			slug: 'demo',
			order: 7,
			file: FILE
		});
	});

	test('splits the body into typed cells with their kind, id and line', () => {
		const cells = loadLesson(input).cells;
		expect(cells.map((c) => [c.kind, c.id, c.line])).toEqual([
			['prose', 'prose-1', BODY_LINE],
			['code', 'code-1', BODY_LINE + 2],
			['code', 'code-2', BODY_LINE + 6],
			['math', 'math-1', BODY_LINE + 9],
			['widget', 'widget-1', BODY_LINE + 12],
			['exercise', 'first-try', BODY_LINE + 14],
			['prose', 'prose-2', BODY_LINE + 19]
		]);
	});

	test('keeps code and math sources, the language, and widget props', () => {
		const [, code, js, math, widget] = loadLesson(input).cells;
		expect(code).toMatchObject({ lang: 'ts', source: 'const x = 1;' });
		expect(js).toMatchObject({ lang: 'js', source: 'x + 1' });
		expect(math).toMatchObject({ source: 'a = 2' });
		expect(widget).toMatchObject({ name: 'softmax-demo', props: {} });
	});

	test('an exercise has its rendered prompt, starter code, and the hint and solution from checks.ts', () => {
		const exercise = loadLesson(input).cells[5] as ExerciseCell;
		expect(exercise.prompt).toBe('<p>Make <code>x</code> <strong>one</strong>.</p>\n');
		expect(exercise).toMatchObject({ starter: 'const x = 0;', lang: 'ts', hint: 'Try harder.', solution: 'const x = 1;' });
	});

	test('prose is rendered markdown with KaTeX math', () => {
		const [prose] = loadLesson(input).cells;
		expect(prose.kind === 'prose' && prose.html).toMatch(/^<p>Some <em>prose<\/em> with <span class="katex">/);
	});

	test('ordinary code fences such as ```python stay in the prose', () => {
		const { cells } = loadLesson(lesson(['Before.', '```python', 'print(1)', '```', 'After.']));
		expect(cells).toHaveLength(1);
		expect(cells[0].kind === 'prose' && cells[0].html).toContain('<pre><code class="language-python">print(1)\n</code></pre>');
	});

	test('a reference link defined in one prose cell resolves in another', () => {
		const { cells } = loadLesson(lesson(['See [the docs][d].', '```math', 'a = 1', '```', '[d]: https://example.com/docs']));
		expect(cells[0].kind === 'prose' && cells[0].html).toContain('<a href="https://example.com/docs">the docs</a>');
	});
});

describe('loadLesson: a malformed lesson is rejected with its file and line', () => {
	test('no frontmatter', () => {
		expect(problems({ file: FILE, source: 'Just prose.' })).toEqual([
			`${FILE}:1: a lesson must start with frontmatter: a line "---", then title, summary, objectives and task, then "---"`
		]);
	});

	test('unclosed frontmatter', () => {
		expect(problems({ file: FILE, source: '---\ntitle: x\n' })).toEqual([
			`${FILE}:1: the frontmatter that starts here is never closed by a "---" line`
		]);
	});

	test('YAML that does not parse', () => {
		expect(problems({ file: FILE, source: '---\ntitle: [Demo\nsummary: x\n---\nHi.' })[0]).toMatch(new RegExp(`^${FILE}:3: frontmatter: `));
	});

	test('frontmatter keys of the wrong type, missing or unknown, each at its own line', () => {
		const source = ['---', 'title: 3', 'summary: ""', 'objectives: []', 'task: dancing', 'author: me', '---', 'Hi.'].join('\n');
		expect(problems({ file: FILE, source })).toEqual([
			`${FILE}:2: frontmatter: "title" must be a non-empty string`,
			`${FILE}:3: frontmatter: "summary" must be a non-empty string`,
			`${FILE}:4: frontmatter: "objectives" must be a non-empty list of strings`,
			`${FILE}:5: frontmatter: "task" must be one of classification, tracking, generation, none`,
			`${FILE}:6: frontmatter: unknown key "author"; the keys are title, summary, objectives, task`
		]);
		expect(problems({ file: FILE, source: '---\ntitle: A\n---\nHi.' })).toEqual([
			`${FILE}:1: frontmatter: missing "summary" (a non-empty string)`,
			`${FILE}:1: frontmatter: missing "objectives" (a non-empty list of strings)`,
			`${FILE}:1: frontmatter: missing "task" (one of classification, tracking, generation, none)`
		]);
	});

	test('a lesson with nothing after its frontmatter', () => {
		expect(problems(lesson(['', '   ']))).toEqual([`${FILE}:${BODY_LINE}: the lesson has no content after its frontmatter`]);
	});

	test('a folder not named NN-slug', () => {
		expect(problems(lesson(['Hi.'], { file: 'lessons/intro/index.md' }))).toEqual([
			'lessons/intro/index.md:1: a lesson lives in lessons/NN-slug/index.md, e.g. lessons/03-spatial-attention'
		]);
	});

	test('a lesson named like the playground, whose saved cells would mix with it', () => {
		expect(problems(lesson(['Hi.'], { file: 'lessons/07-playground/index.md' }))).toEqual([
			`lessons/07-playground/index.md:1: "playground" is the playground's own name (its saved cells use it); give the lesson another slug`
		]);
	});

	test('an unknown widget, and a widget without a name', () => {
		expect(problems(lesson(['```widget nope', '```', '```widget', '```']))).toEqual([
			`${FILE}:${BODY_LINE}: unknown widget "nope"; the widgets are ${WIDGET_NAMES.join(', ')}`,
			`${FILE}:${BODY_LINE + 2}: a widget needs a name: \`\`\`widget NAME {json props}`
		]);
	});

	test('widget props that are not valid JSON, not an object, or not accepted by the widget', () => {
		expect(
			problems(
				lesson([
					'```widget softmax-demo {size: 3}',
					'```',
					'```widget softmax-demo [1]',
					'```',
					'```widget softmax-demo {"size": 3}',
					'```'
				])
			)
		).toEqual([
			expect.stringMatching(new RegExp(`^${FILE}:${BODY_LINE}: invalid props JSON for widget softmax-demo: `)),
			`${FILE}:${BODY_LINE + 2}: props for widget softmax-demo must be a JSON object, like {"key": 1}`,
			`${FILE}:${BODY_LINE + 4}: widget softmax-demo: unknown prop "size"; softmax-demo takes no props`
		]);
	});

	test('widget props in the block body instead of on the fence line', () => {
		expect(problems(lesson(['```widget softmax-demo', '{"a": 1}', '```']))).toEqual([
			`${FILE}:${BODY_LINE}: widget props go on the fence line (\`\`\`widget softmax-demo {…}); the block must be empty`
		]);
	});

	test('an exercise without a check, and a check without an exercise', () => {
		const input = lesson(['```exercise lonely', 'Do it.', '---', 'code', '```'], { checks: { checks: { stray: validCheck } } });
		expect(problems(input)).toEqual([
			`${CHECKS}:1: check "stray" has no \`\`\`exercise stray cell in ${FILE}`,
			`${FILE}:${BODY_LINE}: exercise "lonely" has no check: add checks["lonely"] to ${CHECKS}`
		]);
	});

	test('a check that lacks its function, hint or solution, at its line in checks.ts, and not again as a missing check', () => {
		const checksSource = ['export const checks = {', "\t'half': { hint: '' }", '};'].join('\n');
		const input = lesson(['```exercise half', 'Do it.', '---', '', '```'], { checks: { checks: { half: { hint: '' } } }, checksSource });
		expect(problems(input)).toEqual([
			`${CHECKS}:2: check "half" needs a \`check(scope)\` function, a \`hint\` string, a \`solution\` string`
		]);
	});

	test('a checks.ts without a `checks` export', () => {
		expect(problems(lesson(['Hi.'], { checks: { default: {} } }))).toEqual([
			`${CHECKS}:1: checks.ts must export \`checks\`, an object of exercise checks by id`
		]);
	});

	test('duplicate exercise ids', () => {
		const body = ['```exercise twice', 'A.', '---', '', '```', '```exercise twice', 'B.', '---', '', '```'];
		expect(problems(lesson(body, { checks: { checks: { twice: validCheck } } }))).toEqual([
			`${FILE}:${BODY_LINE + 5}: duplicate exercise id "twice" (first used at line ${BODY_LINE})`
		]);
	});

	test('an exercise without its --- separator or without a prompt', () => {
		const body = ['```exercise no-sep', 'Prompt only.', '```', '```exercise no-prompt', '---', 'code', '```'];
		expect(problems(lesson(body, { checks: { checks: { 'no-sep': validCheck, 'no-prompt': validCheck } } }))).toEqual([
			`${FILE}:${BODY_LINE}: exercise "no-sep" needs its prompt, then a line "---", then the starter code`,
			`${FILE}:${BODY_LINE + 4}: exercise "no-prompt" has no prompt before its "---" line`
		]);
	});

	test('unknown fence info on a cell fence', () => {
		const body = ['```code python', 'x', '```', '```math inline', 'a = 1', '```', '```exercise', 'A', '---', '```', '```Code', 'x', '```'];
		expect(problems(lesson(body))).toEqual([
			`${FILE}:${BODY_LINE}: unknown fence info "code python"; a code cell is \`\`\`code, \`\`\`code ts or \`\`\`code js`,
			`${FILE}:${BODY_LINE + 3}: unknown fence info "math inline"; a math cell is just \`\`\`math`,
			`${FILE}:${BODY_LINE + 6}: unknown fence info "exercise"; an exercise is \`\`\`exercise ID (letters, digits, - and _), optionally followed by ts or js`,
			`${FILE}:${BODY_LINE + 10}: unknown fence "Code"; cell fences are code, math, widget, exercise (lowercase)`
		]);
	});

	test('an empty math cell', () => {
		expect(problems(lesson(['```math', '', '```']))).toEqual([`${FILE}:${BODY_LINE}: the math cell is empty`]);
	});

	test('an unterminated fence, of a cell or of ordinary code', () => {
		expect(problems(lesson(['Intro.', '```code', 'const x = 1;']))).toEqual([
			`${FILE}:${BODY_LINE + 1}: the \`\`\`code fence is never closed: end it with a line \`\`\``
		]);
		expect(problems(lesson(['Intro.', '```python', 'print(1)']))).toEqual([
			`${FILE}:${BODY_LINE + 1}: the \`\`\`python fence is never closed: end it with a line \`\`\``
		]);
	});

	test('a cell fence inside a list item', () => {
		expect(problems(lesson(['- item', '', '  ```code', '  x', '  ```']))).toEqual([
			`${FILE}:${BODY_LINE + 2}: a \`\`\`code cell must start at the left margin, not inside a list or quote`
		]);
	});

	test('a # heading in the prose', () => {
		expect(problems(lesson(['# Title again', 'Text.']))).toEqual([
			`${FILE}:${BODY_LINE}: use ## for sections: the lesson title (from the frontmatter) is the page's only # heading`
		]);
	});

	test('every problem in a lesson is reported at once, and the error message lists them with file:line', () => {
		const source = [
			'---',
			'title: 1',
			'summary: s',
			'objectives: [a]',
			'task: none',
			'---',
			'```widget nope',
			'```',
			'```exercise e',
			'x',
			'```'
		].join('\n');
		let error: unknown;
		try {
			loadLesson({ file: FILE, source });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(LessonError);
		const e = error as LessonError;
		expect(e.problems).toHaveLength(4);
		expect([e.file, e.line, e.reason]).toEqual([FILE, 2, 'frontmatter: "title" must be a non-empty string']);
		expect(e.message).toContain(`Lesson content has 4 problems:\n${FILE}:2: frontmatter: "title"`);
		expect(e.message).toContain(`${FILE}:7: unknown widget "nope"`);
	});
});
