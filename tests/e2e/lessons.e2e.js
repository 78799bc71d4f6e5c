import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const LESSONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../lessons');

/**
 * Each lesson and the exercise the test solves on it. Code cells whose source says "on purpose" are
 * meant to stop with a ShapeError (the article's models as written); every other cell must run cleanly.
 */
const LESSONS = [
	{ slug: 'tensors-and-gradients', exercise: 'chain-rule' },
	{ slug: 'attention-module', exercise: 'softmax-axis' },
	{ slug: 'video-classification', exercise: 'pool-frames' },
	{ slug: 'object-tracking', exercise: 'soft-argmax' },
	{ slug: 'video-generation', exercise: 'causal-mask' },
	{ slug: 'training-in-parallel', exercise: 'average-gradients' }
];

/**
 * The objectives listed in the lesson's frontmatter, as the page should show them.
 * @param {string} slug
 */
async function objectivesOf(slug) {
	const folder = (await readdir(LESSONS_DIR)).find((f) => f.replace(/^\d+-/, '') === slug);
	assert.ok(folder, `lessons/ has a folder for ${slug}`);
	const text = await readFile(join(LESSONS_DIR, folder, 'index.md'), 'utf8');
	const block = /^objectives:\n((?:\s+- .*\n)+)/m.exec(text);
	assert.ok(block, `${folder}/index.md lists objectives`);
	return block[1].split('\n').flatMap((line) => (line.trim().startsWith('- ') ? [line.trim().slice(2)] : []));
}

/** A finished run: the cell's status line says how it ended. */
const ENDED = '.status:is([data-state="ok"], [data-state="error"], [data-state="timeout"], [data-state="stopped"])';
/** Cells marked `// @timeout 60s` time real training steps; give them room on a loaded machine. */
const CELL_BUDGET_MS = 90_000;

/**
 * Run every code cell of the page in order, as a learner would top to bottom, and check how each ended.
 * @param {Page} page
 * @param {string} slug
 */
async function runAllCells(page, slug) {
	const cells = page.getByRole('group', { name: /^Code cell/ });
	const count = await cells.count();
	assert.ok(count > 0, `${slug} has code cells`);
	for (let i = 0; i < count; i++) {
		const cell = cells.nth(i);
		await cell.locator('.cm-content').waitFor();
		const source = await cell.locator('.cm-content').innerText();
		await cell.getByRole('button', { name: 'Run', exact: true }).click();
		await cell.locator(ENDED).waitFor({ timeout: CELL_BUDGET_MS });
		const status = (await cell.locator('.status').innerText()).trim();
		if (source.includes('on purpose')) {
			assert.match(status, /^ShapeError on line \d+/, `${slug}, code cell ${i + 1} should stop with its ShapeError`);
			await cell
				.getByRole('alert')
				.getByText(/cannot|must/)
				.waitFor();
		} else {
			const alert = (await cell.getByRole('alert').count()) > 0 ? await cell.getByRole('alert').innerText() : '';
			assert.match(status, /^Done in/, `${slug}, code cell ${i + 1} ended with "${status}" ${alert}`);
			assert.equal(await cell.getByRole('alert').count(), 0, `${slug}, code cell ${i + 1} shows no error`);
		}
	}
	return count;
}

/**
 * Run the exercise's starter (it must fail, with the hint, its `code` shown as code), then type the exercise's own
 * solution into its editor, run it, and wait for the check to pass.
 * @param {Page} page
 * @param {string} id
 */
async function solve(page, id) {
	const exercise = page.getByRole('region', { name: new RegExp(`^Exercise ${id}\\b`) });
	const verdict = exercise.getByTestId('check-result');
	await exercise.getByRole('button', { name: 'Run and check' }).click();
	await verdict.waitFor({ timeout: 30_000 });
	assert.match(await verdict.innerText(), /^Not yet\./, `exercise ${id}: the starter fails`);
	const hint = await verdict.locator('.hint').innerText();
	assert.doesNotMatch(hint, /`/, `exercise ${id}: the hint shows code as code, not backticks: ${hint}`);
	await exercise.getByText('Show a solution').click();
	const solution = await exercise.locator('details pre').innerText();
	await exercise.locator('.cm-content').click();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.insertText(solution);
	await page.keyboard.press('Shift+Enter');
	await verdict.filter({ hasNotText: /^Not yet\./ }).waitFor({ timeout: 30_000 });
	const text = await verdict.innerText();
	assert.match(text, /^Correct\./, `exercise ${id}: ${text}`);
	await exercise.getByText('Solved', { exact: true }).waitFor();
	return exercise;
}

/** @type {import('./run.js').E2ETest[]} */
export const tests = LESSONS.map(({ slug, exercise }, n) => ({
	name: `lesson ${n + 1} (${slug}) shows its objectives, runs every code cell as intended, and its ${exercise} exercise passes with its solution`,
	async run({ page, baseURL, artifacts }) {
		await page.goto(`${baseURL}/lessons/${slug}`, { waitUntil: 'networkidle' });
		const objectives = await objectivesOf(slug);
		assert.deepEqual(await page.locator('.objectives li').allInnerTexts(), objectives, `${slug} shows its objectives`);
		assert.ok((await page.getByRole('region', { name: /^Exercise / }).count()) >= 3, `${slug} has at least 3 exercises`);

		const started = Date.now();
		const cells = await runAllCells(page, slug);
		const solved = await solve(page, exercise);
		console.log(`    ${slug}: ${cells} code cells run and ${exercise} solved in ${((Date.now() - started) / 1000).toFixed(1)} s`);

		await solved.screenshot({ path: join(artifacts, `lesson-${n + 1}-exercise.png`) });
		await page.screenshot({ path: join(artifacts, `lesson-${n + 1}-${slug}.png`), fullPage: true });
	}
}));
