import assert from 'node:assert/strict';
import { join } from 'node:path';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

const LESSON = '/lessons/video-classification';
const MOBILE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/**
 * Open a lesson page (optionally at a share link's URL) and wait until it has hydrated.
 * @param {Page} page
 * @param {string} url
 */
async function open(page, url) {
	await page.goto(url, { waitUntil: 'networkidle' });
}

/** @param {Page} page */
const knobs = (page) => page.getByRole('region', { name: 'Knobs' });

/**
 * A knob's number box, by its label.
 * @param {Page} page
 * @param {string} label
 */
const box = (page, label) => knobs(page).getByLabel(label, { exact: true });

/**
 * Type a value into a knob's box and commit it with Enter.
 * @param {Page} page
 * @param {string} label
 * @param {string} value
 */
async function setKnob(page, label, value) {
	await box(page, label).fill(value);
	await box(page, label).press('Enter');
}

/**
 * Open the weight editor on `param` and select flat index `index`; returns the value box.
 * @param {Page} page
 * @param {string} param
 * @param {number} index
 */
async function selectWeight(page, param, index) {
	const details = knobs(page).locator('details.weights');
	if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
	await knobs(page).getByLabel('Parameter').selectOption(param);
	await knobs(page).locator(`rect[data-index="${index}"]`).click();
	return knobs(page).locator('form.edit input');
}

/**
 * Open the Share panel and wait for its link.
 * @param {Page} page
 */
async function shareLink(page) {
	const button = page.getByRole('button', { name: 'Share', exact: true });
	if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
	const field = page.getByLabel('Share link');
	await page.waitForFunction((el) => /** @type {HTMLInputElement} */ (el).value.includes('#s='), await field.elementHandle());
	return field.inputValue();
}

/**
 * Wait until the Share panel's link differs from `before` (it is re-made when an option changes), and return it.
 * @param {Page} page
 * @param {string} before
 */
async function linkChangedFrom(page, before) {
	const field = page.getByLabel('Share link');
	await page.waitForFunction(
		([el, prev]) => /** @type {HTMLInputElement} */ (el).value !== prev,
		/** @type {const} */ ([await field.elementHandle(), before])
	);
	return field.inputValue();
}

/**
 * Run `fn` on a page in a fresh browser context (no storage, no history), failing on any page error.
 * @param {Page} page
 * @param {import('playwright-core').BrowserContextOptions} options
 * @param {(page: Page) => Promise<void>} fn
 */
async function inFreshContext(page, options, fn) {
	const browser = page.context().browser();
	assert.ok(browser);
	const context = await browser.newContext(options);
	try {
		const fresh = await context.newPage();
		/** @type {string[]} */
		const problems = [];
		fresh.on('console', (msg) => msg.type() === 'error' && problems.push(`console error: ${msg.text()}`));
		fresh.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
		await fn(fresh);
		assert.deepEqual(problems, []);
	} finally {
		await context.close();
	}
}

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'knob values and an edited weight travel through a share link into a fresh browser',
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL + LESSON);
			const lossBefore = await knobs(page).getByTestId('live-loss').innerText();
			await setKnob(page, 'Noise σ', '0.3');
			await setKnob(page, 'Frames', '10');
			const weight = await selectWeight(page, 'fc.weight', 5);
			await weight.fill('2.5');
			await weight.press('Enter');
			await knobs(page)
				.getByText(/^now 2\.5; initially/)
				.waitFor();
			await page.waitForFunction((before) => document.querySelector('[data-testid="live-loss"]')?.textContent !== before, lossBefore);
			const link = await shareLink(page);
			assert.match(link, new RegExp(`${LESSON}#s=[A-Za-z0-9_-]+$`));
			await page.getByRole('button', { name: 'Copy' }).click();
			await page.getByText(/^(Copied to the clipboard\.|Couldn't copy automatically)/).waitFor();
			await page.screenshot({ path: join(artifacts, 'classroom-share.png') });

			await inFreshContext(page, {}, async (fresh) => {
				await open(fresh, link);
				await fresh.getByText('This page opened with a shared setup: 2 changed settings and 1 edited weight.').waitFor();
				assert.equal(await box(fresh, 'Noise σ').inputValue(), '0.3');
				assert.equal(await box(fresh, 'Frames').inputValue(), '10');
				await selectWeight(fresh, 'fc.weight', 5);
				await knobs(fresh)
					.getByText(/^now 2\.5; initially/)
					.waitFor();
				await knobs(fresh).scrollIntoViewIfNeeded();
				await fresh.screenshot({ path: join(artifacts, 'classroom-opened-link.png'), fullPage: true });
			});
		}
	},
	{
		name: 'a teacher link hides a knob, pins another at its value and turns solutions off',
		async run({ page, baseURL }) {
			await open(page, baseURL + LESSON);
			await setKnob(page, 'Frames', '12');
			const plain = await shareLink(page);
			await page.getByText('Teacher link').click();
			await page.getByLabel('Hide Noise σ').check();
			await page.getByLabel('Pin Frames').check();
			const hideSolutions = page.getByLabel('Hide exercise solutions');
			const exercises = await page.locator('.exercise').count();
			if (exercises > 0) await hideSolutions.check();
			else assert.equal(await hideSolutions.count(), 0, 'no solutions option on a lesson without exercises');
			const link = await linkChangedFrom(page, plain);

			await inFreshContext(page, {}, async (fresh) => {
				await open(fresh, link);
				await fresh.getByText(/Your teacher hid 1 control, pinned 1 knob/).waitFor();
				assert.equal(await box(fresh, 'Noise σ').count(), 0, 'the hidden knob is not shown');
				const frames = box(fresh, 'Frames');
				assert.equal(await frames.inputValue(), '12');
				assert.ok(await frames.isDisabled(), 'the pinned knob is disabled');
				await knobs(fresh).getByText('pinned by your teacher').first().waitFor();
				await knobs(fresh).getByRole('button', { name: 'Reset' }).click();
				assert.equal(await frames.inputValue(), '12', 'Reset keeps the pinned value');
				assert.equal(await fresh.getByText('Show a solution').count(), 0);
				assert.equal(await fresh.getByText('Your teacher has turned solutions off for this lesson.').count(), exercises);
			});
		}
	},
	{
		name: 'a teacher link on a lesson without a model hides a widget and the solutions',
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL + '/lessons/tensors-and-gradients');
			await page.getByLabel('W row 1, column 1').waitFor();
			const exercises = await page.locator('.exercise').count();
			assert.ok(exercises > 0);
			assert.equal(await page.getByText('Show a solution').count(), exercises);
			const plain = await shareLink(page);
			await page.getByText('Teacher link').click();
			await page.getByRole('checkbox', { name: 'softmax-demo' }).check();
			await page.getByLabel('Hide exercise solutions').check();
			const link = await linkChangedFrom(page, plain);
			await page.screenshot({ path: join(artifacts, 'classroom-teacher-options.png') });

			await inFreshContext(page, {}, async (fresh) => {
				await open(fresh, link);
				await fresh.getByText('Your teacher hid 1 control, turned off solutions.').waitFor();
				assert.equal(await fresh.getByLabel('W row 1, column 1').count(), 0, 'the hidden widget is absent');
				assert.equal(await fresh.getByText('Show a solution').count(), 0);
				assert.equal(await fresh.getByText('Your teacher has turned solutions off for this lesson.').count(), exercises);
			});
		}
	},
	{
		name: 'a malformed or oversized link is refused with a notice and the defaults load',
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL + LESSON);
			const defaults = await box(page, 'Noise σ').inputValue();
			await setKnob(page, 'Noise σ', '0.4');
			const good = await shareLink(page);

			for (const [hash, reason] of [
				['#s=@@@', 'it is not base64url text'],
				['#s=__8A', 'it is not compressed share data'],
				['#s=' + 'A'.repeat(9000), 'it is 8.8 KB long; links are at most 8 KB']
			]) {
				await inFreshContext(page, {}, async (fresh) => {
					await open(fresh, baseURL + LESSON + hash);
					const notice = fresh.getByRole('alert').filter({ hasText: "This link couldn't be read" });
					await notice.waitFor();
					assert.equal(
						await notice.locator('p').innerText(),
						`This link couldn't be read: ${reason}; the lesson's default state is loaded.`
					);
					assert.equal(await box(fresh, 'Noise σ').inputValue(), defaults);
				});
			}

			// A page already showing a link goes back to the defaults when the hash changes to a bad one.
			await inFreshContext(page, {}, async (fresh) => {
				await open(fresh, good);
				await fresh.getByText(/shared setup: 1 changed setting/).waitFor();
				assert.equal(await box(fresh, 'Noise σ').inputValue(), '0.4');
				await fresh.evaluate(() => (window.location.hash = '#s=bm90IGRlZmxhdGU'));
				await fresh
					.getByText("This link couldn't be read: it is not compressed share data; the lesson's default state is loaded.")
					.waitFor();
				assert.equal(await box(fresh, 'Noise σ').inputValue(), defaults);
				await fresh.screenshot({ path: join(artifacts, 'classroom-refused.png') });
			});
		}
	},
	{
		name: 'an invalid knob value shows the reason inline and keeps the last valid state',
		async run({ page, baseURL }) {
			await open(page, baseURL + LESSON);
			const loss = await knobs(page).getByTestId('live-loss').innerText();
			await setKnob(page, 'Noise σ', 'lots');
			await knobs(page).getByRole('alert').filter({ hasText: 'Noise σ must be a number' }).waitFor();
			assert.equal(await box(page, 'Noise σ').getAttribute('aria-invalid'), 'true');
			await setKnob(page, 'Hidden size', '500');
			await knobs(page).getByText('Hidden size must be between 2 and 128').waitFor();
			assert.equal(await knobs(page).getByTestId('live-loss').innerText(), loss, 'the model did not change');
			const weight = await selectWeight(page, 'fc.bias', 0);
			await weight.fill('big');
			await weight.press('Enter');
			await knobs(page).getByText('a weight must be a finite number').waitFor();
			// The slider moves the knob one step per arrow key, coalesced into one rebuild per frame.
			const slider = knobs(page).getByLabel('Noise σ slider');
			await slider.focus();
			await slider.press('ArrowRight');
			await page.waitForFunction((el) => /** @type {HTMLInputElement} */ (el).value === '0.11', await box(page, 'Noise σ').elementHandle());
			assert.equal(await box(page, 'Noise σ').getAttribute('aria-invalid'), null);
		}
	},
	{
		name: 'the knobs panel and the Share panel fit a 390 px phone screen',
		context: MOBILE,
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL + LESSON);
			await setKnob(page, 'Noise σ', 'lots');
			await selectWeight(page, 'encoder.fc.weight', 40);
			await knobs(page).evaluate((el) => el.scrollIntoView({ block: 'start' }));
			await page.screenshot({ path: join(artifacts, 'classroom-mobile-knobs.png') });
			await knobs(page)
				.locator('form.edit input')
				.evaluate((el) => el.scrollIntoView({ block: 'end' }));
			await page.screenshot({ path: join(artifacts, 'classroom-mobile-weights.png') });
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.equal(overflow, 0, 'no horizontal scroll');
			await page.evaluate(() => window.scrollTo(0, 0));
			await shareLink(page);
			await page.getByText('Teacher link').click();
			await page.screenshot({ path: join(artifacts, 'classroom-mobile-share.png') });
			const panel = await page.locator('#share-panel').boundingBox();
			assert.ok(panel && panel.x >= 0 && panel.x + panel.width <= 390, `share panel within the screen: ${JSON.stringify(panel)}`);
		}
	},
	{
		name: 'the knobs panel reads in the dark theme, with an edited weight outlined',
		context: { colorScheme: 'dark' },
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL + LESSON);
			const weight = await selectWeight(page, 'fc.weight', 3);
			await weight.fill('-1');
			await weight.press('Enter');
			await knobs(page)
				.getByText(/^now [−-]1; initially/)
				.waitFor();
			assert.equal(await knobs(page).locator('rect.edited').count(), 1);
			await knobs(page).screenshot({ path: join(artifacts, 'classroom-knobs-dark.png') });
		}
	}
];
