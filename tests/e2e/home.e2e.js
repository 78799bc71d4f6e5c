import assert from 'node:assert/strict';
import { join } from 'node:path';

/** @typedef {import('playwright-core').Page} Page */

/**
 * Open the home page; at network idle every module has loaded and the page has hydrated, so typing reaches Svelte.
 * @param {Page} page
 * @param {string} baseURL
 */
async function openHome(page, baseURL) {
	await page.goto(baseURL + '/', { waitUntil: 'networkidle' });
}

/** @param {Page} page */
const gradTable = (page) => page.getByRole('table', { name: /∂L\/∂W/ });

/** @param {Page} page */
const readGrad = (page) => gradTable(page).locator('td.num').allInnerTexts();

/**
 * Wait until the gradient shown differs from `before`.
 * @param {Page} page
 * @param {string[]} before
 */
async function gradChangedFrom(page, before) {
	const table = await gradTable(page).elementHandle();
	await page.waitForFunction(
		([el, prev]) => {
			const cells = [...el.querySelectorAll('td.num')].map((td) => td.textContent?.trim());
			return cells.some((text, i) => text !== prev[i]);
		},
		/** @type {const} */ ([table, before.map((t) => t.trim())])
	);
	return readGrad(page);
}

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'the home page shows dL/dW and recomputes it when an entry of W changes',
		async run({ page, baseURL, artifacts }) {
			await openHome(page, baseURL);
			const before = await readGrad(page);
			assert.equal(before.length, 9);
			assert.ok(
				before.every((t) => /^[−-]?\d+\.\d{3}$/.test(t.trim())),
				`gradient cells should be numbers: ${before}`
			);
			await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });
			await page.getByLabel('W row 1, column 1').fill('2');
			const after = await gradChangedFrom(page, before);
			assert.notDeepEqual(after, before);
		}
	},
	{
		name: 'a non-number in W shows an inline message and keeps the last valid gradient',
		async run({ page, baseURL }) {
			await openHome(page, baseURL);
			const before = await readGrad(page);
			const input = page.getByLabel('W row 2, column 3');
			await input.fill('abc');
			await page.getByText('Not a number').waitFor();
			assert.equal(await input.getAttribute('aria-invalid'), 'true');
			assert.deepEqual(await readGrad(page), before);
			await input.fill('0.9');
			await page.getByText('Not a number').waitFor({ state: 'detached' });
			await gradChangedFrom(page, before);
		}
	},
	{
		name: 'choosing another target class changes the loss',
		async run({ page, baseURL }) {
			await openHome(page, baseURL);
			const loss = page.getByTestId('loss');
			const before = await loss.innerText();
			await page.getByLabel('class 3').check();
			await page.waitForFunction((prev) => document.querySelector('[data-testid="loss"]')?.textContent !== prev, before);
		}
	},
	{
		name: 'the built site is cross-origin isolated, so Workers can share memory',
		async run({ page, baseURL }) {
			await openHome(page, baseURL);
			assert.equal(await page.evaluate(() => crossOriginIsolated), true);
		}
	},
	{
		name: 'the home page follows a dark colour scheme',
		context: { colorScheme: 'dark' },
		async run({ page, baseURL, artifacts }) {
			await openHome(page, baseURL);
			const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
			assert.ok(r + g + b < 150, `expected a dark background, got ${bg}`);
			await page.screenshot({ path: join(artifacts, 'home-dark.png'), fullPage: true });
		}
	}
];
