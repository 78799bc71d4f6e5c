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

/** Every lesson page with steppers, and how many. */
const STEPPERS = {
	'tensors-and-gradients': 1,
	'attention-module': 2,
	'video-classification': 1,
	'object-tracking': 2,
	'video-generation': 2
};

/**
 * Where the graph's drawing sits in its box, once the view has stopped moving: the drawing's edges and the
 * bottom of the zoom buttons, in pixels from the box's top left corner, and the zoom.
 * @param {Locator} stepper
 */
async function settledView(stepper) {
	const svg = stepper.locator('.graph svg');
	const read = () =>
		svg.evaluate((el) => {
			const box = el.getBoundingClientRect();
			const drawing = /** @type {SVGGElement} */ (el.querySelector(':scope > g')).getBoundingClientRect();
			const tools = /** @type {HTMLElement} */ (
				/** @type {HTMLElement} */ (el.parentElement).querySelector('.tools')
			).getBoundingClientRect();
			const transform = el.querySelector(':scope > g')?.getAttribute('transform') ?? '';
			return {
				width: box.width,
				height: box.height,
				left: drawing.left - box.left,
				right: drawing.right - box.left,
				top: drawing.top - box.top,
				bottom: drawing.bottom - box.top,
				toolsBottom: tools.bottom - box.top,
				transform,
				scale: Number(/scale\(([\d.e-]+)\)/.exec(transform)?.[1] ?? 1)
			};
		});
	let view = await read();
	for (let i = 0; i < 30; i++) {
		await stepper.page().waitForTimeout(150);
		const next = await read();
		if (next.transform === view.transform && next.width === view.width) return next;
		view = next;
	}
	return view;
}

/**
 * Assert that the whole graph shows: its drawing inside the box and below the zoom buttons.
 * @param {Awaited<ReturnType<typeof settledView>>} v
 * @param {string} what
 */
function assertWhole(v, what) {
	const where = `${what}: drawing x ${v.left.toFixed(1)}…${v.right.toFixed(1)} of ${v.width}, y ${v.top.toFixed(1)}…${v.bottom.toFixed(1)} of ${v.height}, buttons end at ${v.toolsBottom.toFixed(1)} (${v.transform})`;
	assert.ok(v.left >= -0.5 && v.right <= v.width + 0.5, `nothing is cut at the sides; ${where}`);
	assert.ok(
		v.top >= v.toolsBottom - 0.5 && v.bottom <= v.height + 0.5,
		`nothing is cut at the top or bottom or under the buttons; ${where}`
	);
}

/**
 * Open every stepper of every lesson and check it shows its whole graph; screenshots of two.
 * @param {Page} page
 * @param {string} baseURL
 * @param {string} artifacts
 * @param {string} device
 */
async function everyStepperOpensWhole(page, baseURL, artifacts, device) {
	for (const [slug, n] of Object.entries(STEPPERS)) {
		for (let i = 0; i < n; i++) {
			const stepper =
				i === 0
					? await openStepper(page, `${baseURL}/lessons/${slug}`)
					: page.getByRole('region', { name: 'Step through the computation' }).nth(i);
			await stepper.scrollIntoViewIfNeeded();
			await stepper.locator('.graph svg .node').first().waitFor();
			assertWhole(await settledView(stepper), `${slug} stepper ${i + 1} on a ${device}`);
			if (slug === 'attention-module' || slug === 'object-tracking') {
				await stepper.locator('.graph').screenshot({ path: join(artifacts, `stepper-opens-whole-${slug}-${i + 1}-${device}.png`) });
			}
		}
	}
}

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
		name: 'every stepper opens showing its whole graph, nothing cut at the edges or under the buttons, on a laptop',
		run: async ({ page, baseURL, artifacts }) => {
			await page.setViewportSize({ width: 1280, height: 900 });
			await everyStepperOpensWhole(page, baseURL, artifacts, 'laptop');
		}
	},
	{
		name: 'every stepper opens showing its whole graph on a phone',
		context: PHONE,
		run: async ({ page, baseURL, artifacts }) => {
			await everyStepperOpensWhole(page, baseURL, artifacts, 'phone');
		}
	},
	{
		name: "after a few steps, a knob that rebuilds the model opens the new model's whole graph, and a resized box fits it again",
		run: async ({ page, baseURL, artifacts }) => {
			await page.setViewportSize({ width: 1280, height: 900 });
			const stepper = await openStepper(page, baseURL + '/lessons/video-classification');
			assertWhole(await settledView(stepper), 'on open');
			const next = stepper.getByRole('button', { name: 'Next step' });
			for (let i = 0; i < 3; i++) await next.click();
			const stepped = await settledView(stepper);
			assert.ok(stepped.scale >= 0.75, `stepping zooms in to the op (${stepped.transform})`);

			const hidden = page.getByLabel('Hidden size', { exact: true });
			await hidden.fill('7');
			await hidden.press('Enter');
			await stepper.locator('.graph .node text.shape', { hasText: /,7\]/ }).first().waitFor();
			assert.equal((await position(stepper))[0], 4, 'the learner stays on the op they stepped to');
			assertWhole(await settledView(stepper), 'after Hidden size 7 rebuilt the model');
			await stepper.locator('.graph').screenshot({ path: join(artifacts, 'stepper-whole-after-knob.png') });

			// While the graph shows whole, a new box size (here the page narrows to one column) fits it again.
			await page.setViewportSize({ width: 700, height: 900 });
			assertWhole(await settledView(stepper), 'after the page narrowed');
			await stepper.locator('.graph').screenshot({ path: join(artifacts, 'stepper-whole-after-resize.png') });

			// Hidden (its box measures 0 wide), then shown again: it fits the box it is shown in.
			const graph = stepper.locator('.graph');
			await graph.evaluate((el) => el.setAttribute('style', 'display: none'));
			await page.waitForTimeout(300);
			await page.setViewportSize({ width: 1280, height: 900 });
			await graph.evaluate((el) => el.removeAttribute('style'));
			assertWhole(await settledView(stepper), 'hidden, then shown in a wider page');
		}
	},
	{
		name: 'stepping quickly keeps the graph at a readable zoom, or at the zoom the learner chose',
		run: async ({ page, baseURL, artifacts }) => {
			const stepper = await openStepper(page, baseURL + '/lessons/object-tracking', 1);
			const scale = async () =>
				Number(/scale\(([\d.e-]+)\)/.exec((await stepper.locator('.graph svg > g').getAttribute('transform')) ?? '')?.[1]);
			assertWhole(await settledView(stepper), 'the tracker graph on open');
			await stepper.focus();
			await page.keyboard.press('ArrowRight');
			const start = (await settledView(stepper)).scale;
			assert.ok(start >= 0.75, `the first step zooms in to a readable zoom (${start})`);
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
