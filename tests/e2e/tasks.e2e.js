// One lesson page per task, with every widget linked through the page's lab: step the task's own model forward and
// backward to the end, edit one weight and see the attention view change, then train, watch the curve grow, stop and rewind.
import assert from 'node:assert/strict';
import { join } from 'node:path';

/** @typedef {import('playwright-core').Page} Page */

const TASKS = [
	{ task: 'classification', slug: 'video-classification', param: 'pool.score.weight', index: 0 },
	{ task: 'tracking', slug: 'object-tracking', param: 'attention.query.weight', index: 0 },
	{ task: 'generation', slug: 'video-generation', param: 'blocks.0.attn.in_proj_weight', index: 0 }
];

/**
 * The attention view's data tables as text: what a screen reader reads, and a fingerprint of the weights drawn.
 * @param {Page} page
 */
export const attentionText = (page) =>
	page
		.locator('section.attention .table')
		.allInnerTexts()
		.then((t) => t.join('\n'));

/**
 * Step the lab's own model to the end of its backward pass, checking the way there.
 * @param {Page} page
 * @param {string} task
 */
async function stepToTheEnd(page, task) {
	const stepper = page.locator(`section.stepper[data-source="${task}"]`);
	await stepper.scrollIntoViewIfNeeded();
	await stepper.locator('.graph svg .node').first().waitFor({ timeout: 60_000 });
	const scrub = () => stepper.locator('.scrub .num').innerText();
	const [, count] = (await scrub()).split(' / ').map(Number);
	assert.ok(count > 20, `${task}: a real model has many steps, got ${count}`);
	await stepper.getByRole('button', { name: 'Next step' }).click();
	assert.match(await stepper.locator('.step-title').innerText(), /^forward\s*2 of/i);
	await stepper.getByRole('button', { name: 'Backward pass' }).click();
	assert.match(await stepper.locator('.step-title').innerText(), /^backward\s*1 of/i);
	await stepper.getByRole('button', { name: 'Last step' }).click();
	assert.equal(await scrub(), `${count} / ${count}`);
	assert.match(await stepper.locator('.step-title').innerText(), /^backward/i);
	assert.equal(await stepper.getByRole('alert').count(), 0, `${task}: the working model steps without an error`);
	await stepper.locator('.badge:not(.pending)').waitFor({ timeout: 30_000 });
	assert.doesNotMatch(await stepper.locator('.badge').innerText(), /failed/);
}

/**
 * Set one weight through the knobs widget's weight editor.
 * @param {Page} page
 * @param {string} param
 * @param {number} index
 * @param {string} value
 */
export async function editWeight(page, param, index, value) {
	const knobs = page.locator('.knobs').first();
	const details = knobs.locator('details.weights');
	await details.scrollIntoViewIfNeeded();
	if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
	await knobs.getByLabel('Parameter').selectOption(param);
	await knobs.locator(`rect[data-index="${index}"]`).click();
	const input = knobs.locator('form.edit input');
	await input.fill(value);
	await input.press('Enter');
}

/** @type {import('./run.js').E2ETest[]} */
export const tests = TASKS.map(({ task, slug, param, index }) => ({
	name: `${task}: the model steps forward and back to the end, a weight edit redraws the attention, training grows the curve and rewinds`,
	async run({ page, baseURL, artifacts }) {
		await page.goto(`${baseURL}/lessons/${slug}`, { waitUntil: 'networkidle' });
		await stepToTheEnd(page, task);

		await page.locator('section.attention .table').first().waitFor();
		const before = await attentionText(page);
		await editWeight(page, param, index, '25');
		await page.waitForFunction(
			(prev) =>
				[...document.querySelectorAll('section.attention .table')].map((t) => /** @type {HTMLElement} */ (t).innerText).join('\n') !== prev,
			before,
			{ timeout: 10_000 }
		);
		assert.notEqual(await attentionText(page), before, `${task}: editing ${param}[${index}] changes the attention drawn`);
		await page.locator('section.attention').screenshot({ path: join(artifacts, `tasks-${task}-edited.png`) });

		const panel = page.locator('section[aria-label="Trainer"]');
		await panel.scrollIntoViewIfNeeded();
		await panel.getByRole('button', { name: 'Start' }).click();
		const points = () => panel.locator('.charts').getAttribute('data-points').then(Number);
		await page.waitForFunction(
			() => Number(document.querySelector('section[aria-label="Trainer"] .charts')?.getAttribute('data-points')) > 10,
			null,
			{ timeout: 60_000 }
		);
		const trainedTo = await points();
		await panel.getByRole('button', { name: 'Stop' }).click();
		await page.locator('section[aria-label="Trainer"][data-phase="stopped"]').waitFor({ timeout: 30_000 });
		assert.ok(trainedTo > 10, `${task}: the curve grew to ${trainedTo} points`);
		await panel.screenshot({ path: join(artifacts, `tasks-${task}-trained.png`) });

		const afterTraining = await attentionText(page);
		const rewind = panel.getByRole('slider', { name: /rewind/i });
		await rewind.focus();
		await page.keyboard.press('Home');
		await page.waitForFunction(
			(prev) =>
				[...document.querySelectorAll('section.attention .table')].map((t) => /** @type {HTMLElement} */ (t).innerText).join('\n') !== prev,
			afterTraining,
			{ timeout: 10_000 }
		);
		assert.notEqual(await attentionText(page), afterTraining, `${task}: rewinding to the first snapshot redraws the attention of then`);
	}
}));
