import assert from 'node:assert/strict';
import { join } from 'node:path';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * The n-th stepper on a lesson page, once its trace and graph layout are in.
 * @param {Page} page
 * @param {string} url
 * @param {number} [n]
 */
async function openStepper(page, url, n = 0) {
	await page.goto(url, { waitUntil: 'networkidle' });
	const stepper = page.getByRole('region', { name: 'Step through the computation' }).nth(n);
	await stepper.scrollIntoViewIfNeeded();
	await stepper.locator('.graph svg .node').first().waitFor();
	return stepper;
}

/** @param {Locator} stepper */
const title = (stepper) => stepper.locator('.step-title').innerText();
/** @param {Locator} stepper */
const position = async (stepper) => (await stepper.locator('.scrub .num').innerText()).split(' / ').map(Number);

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'the MLP stepper steps forward to the loss and back, with formulas, heatmaps, gradient badges and arrow keys',
		run: async ({ page, baseURL, artifacts }) => {
			const stepper = await openStepper(page, baseURL + '/lessons/tensors-and-gradients');
			const [first, count] = await position(stepper);
			assert.equal(first, 1);
			assert.match(await title(stepper), /^forward\s*1 of \d+: matmul in fc1/i);
			assert.ok((await stepper.locator('.formula .katex').count()) >= 2, 'the formula and its plugged-in line render');
			assert.equal(await stepper.locator('.tensors figure').count(), 3, 'the input, the weight (read transposed) and the product');
			assert.equal(await stepper.locator('.graph .node.current').count(), 1);

			await stepper.focus();
			await page.keyboard.press('ArrowRight');
			assert.equal((await position(stepper))[0], 2);
			assert.match(await title(stepper), /add in fc1/);
			assert.equal(await stepper.locator('.tensors figure').count(), 3, 'two inputs and an output');
			await page.screenshot({ path: join(artifacts, 'stepper-mlp-forward-desktop.png'), fullPage: false });

			await page.keyboard.press('ArrowLeft');
			assert.equal((await position(stepper))[0], 1);
			const next = stepper.getByRole('button', { name: 'Next step' });
			let backwardAt = 0;
			for (let i = 1; i < count; i++) {
				await next.click();
				const t = await title(stepper);
				if (!backwardAt && /^backward/i.test(t)) backwardAt = i + 1;
			}
			assert.ok(backwardAt > 1, 'the backward pass follows the forward pass');
			assert.deepEqual(await position(stepper), [count, count]);
			assert.match(await title(stepper), /^backward/i);
			assert.equal(await next.isDisabled(), true);
			await stepper.locator('.badge:not(.pending)').waitFor();
			assert.match(await stepper.locator('.badge').innerText(), /gradient check passed/);
			assert.ok((await stepper.locator('.tensors figure').count()) >= 2, 'incoming and outgoing gradients');
			await stepper.locator('.graph').scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(artifacts, 'stepper-mlp-backward-desktop.png'), fullPage: false });

			// Step back through every backward op, each with a badge, to the start of the backward pass.
			const prev = stepper.getByRole('button', { name: 'Previous step' });
			const badges = new Set();
			for (let i = count; i > backwardAt; i--) {
				await prev.click();
				await stepper.locator('.badge:not(.pending)').waitFor();
				badges.add(await stepper.locator('.badge').innerText());
			}
			assert.deepEqual(
				[...badges].filter((b) => /failed/.test(b)),
				[],
				'no op fails its gradient check'
			);
			assert.match(await title(stepper), /^backward\s*1 of/i);
			await page.keyboard.press('Home');
			assert.match(await title(stepper), /^forward\s*1 of/i);
			const live = await stepper.locator('[aria-live="polite"]').first().innerText();
			assert.match(live, /^Forward 1 of \d+: matmul in fc1$/);
			assert.ok((await stepper.locator('.list li').count()) >= count - (count - backwardAt + 1), 'the ops are listed as text');
		}
	},
	{
		name: "the article's classifier stops at the failing multiply and shows the shape error on the graph",
		run: async ({ page, baseURL, artifacts }) => {
			const stepper = await openStepper(page, baseURL + '/lessons/attention-module', 1);
			await stepper.getByRole('button', { name: 'Last step' }).click();
			const error = stepper.getByRole('alert');
			await error.waitFor();
			assert.match(await error.innerText(), /attention → mul: cannot broadcast \[1,3,8\] with \[1,3,4\]/);
			assert.match(await error.innerText(), /Hint: AttentionModule multiplies relu\(x\)/);
			assert.match(await title(stepper), /Stopped: mul in attention failed with a shape error/);
			assert.equal(await stepper.locator('.graph .node.error.current').count(), 1);
			assert.equal(await stepper.getByRole('button', { name: 'Backward pass' }).count(), 0, 'no backward pass after a failed forward');
			await stepper.locator('.graph').scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(artifacts, 'stepper-article-error-desktop.png'), fullPage: false });

			// Two steppers on one page: a screen reader's list of landmarks tells them apart, and each step's title sits
			// under the lesson's section heading (h2) as an h3.
			const names = await page
				.getByRole('region', { name: 'Step through the computation' })
				.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
			assert.equal(names.length, 2);
			assert.equal(new Set(names).size, 2, `distinct names: ${names.join(' | ')}`);
			assert.match(names[1] ?? '', /VideoClassifier/);
			assert.equal(await stepper.getByRole('heading', { level: 3 }).count(), 1, 'the step title is an h3');

			const module = await openStepper(page, baseURL + '/lessons/attention-module', 0);
			await module.getByRole('button', { name: 'Backward pass' }).click();
			assert.match(await title(module), /^backward\s*1 of/i);
			await module.locator('.badge:not(.pending)').waitFor();
			assert.match(await module.locator('.badge').innerText(), /passed/);
		}
	},
	{
		name: 'stepping quickly keeps the graph at a readable zoom, or at the zoom the learner chose',
		run: async ({ page, baseURL, artifacts }) => {
			const stepper = await openStepper(page, baseURL + '/lessons/object-tracking', 1);
			const scale = async () =>
				Number(/scale\(([\d.]+)\)/.exec((await stepper.locator('.graph svg > g').getAttribute('transform')) ?? '')?.[1]);
			const start = await scale();
			assert.ok(start >= 0.75, `the graph opens at a readable zoom (${start})`);
			// Each step pans to the next op in 200 ms; steps faster than that interrupt the pan half-way.
			const stepQuickly = async () => {
				await stepper.focus();
				for (let i = 0; i < 6; i++) {
					await page.keyboard.press('ArrowRight');
					await page.waitForTimeout(80);
				}
				await page.waitForTimeout(400);
			};
			await stepQuickly();
			assert.ok(Math.abs((await scale()) - start) < 1e-6, `still at ${start} after quick steps, not ${await scale()}`);
			await stepper.locator('.graph').screenshot({ path: join(artifacts, 'stepper-quick-steps.png') });

			await stepper.getByRole('button', { name: 'Zoom in' }).click();
			const chosen = await scale();
			assert.ok(Math.abs(chosen - start * 1.25) < 1e-6, `Zoom in scales by 1.25: ${start} → ${chosen}`);
			await stepQuickly();
			assert.ok(Math.abs((await scale()) - chosen) < 1e-6, `the chosen zoom ${chosen} survives quick steps, not ${await scale()}`);
		}
	},
	{
		name: 'on a phone the graph sits above the details and nothing overflows the page',
		context: PHONE,
		run: async ({ page, baseURL, artifacts }) => {
			const stepper = await openStepper(page, baseURL + '/lessons/attention-module', 0);
			await stepper.getByRole('button', { name: 'Next step' }).click();
			const graph = await stepper.locator('.graph').boundingBox();
			const details = await stepper.locator('.details').boundingBox();
			assert.ok(graph && details && details.y >= graph.y + graph.height, 'details are stacked under the graph');
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
			await stepper.scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(artifacts, 'stepper-phone.png'), fullPage: false });
			await stepper.locator('.details').scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(artifacts, 'stepper-phone-details.png'), fullPage: false });

			const article = await openStepper(page, baseURL + '/lessons/attention-module', 1);
			await article.getByRole('button', { name: 'Last step' }).click();
			await article.getByRole('alert').scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(artifacts, 'stepper-phone-error.png'), fullPage: false });
		}
	}
];
