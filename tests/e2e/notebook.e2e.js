import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectAccessible } from './axe.js';

/** @typedef {import('playwright-core').Page} Page */

const here = dirname(fileURLToPath(import.meta.url));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Lesson slugs from the folders in lessons/, in course order: the pages the build must have made. */
async function lessonSlugs() {
	const folders = (await readdir(join(here, '../../lessons'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
	return folders
		.filter((f) => /^\d{2,3}-/.test(f))
		.sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
		.map((f) => f.replace(/^\d+-/, ''));
}

/**
 * @param {Page} page
 * @param {string} url
 */
async function open(page, url) {
	await page.goto(url, { waitUntil: 'networkidle' });
}

/**
 * Tab through the page and collect what receives focus, as "tag: name".
 * @param {Page} page
 * @param {number} presses
 */
async function tabStops(page, presses) {
	const stops = [];
	for (let i = 0; i < presses; i++) {
		await page.keyboard.press('Tab');
		stops.push(
			await page.evaluate(() => {
				const el = /** @type {HTMLElement} */ (document.activeElement);
				return `${el.tagName.toLowerCase()}: ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}`;
			})
		);
	}
	return stops;
}

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'the home page lists every lesson folder with its title, summary and objectives',
		async run({ page, baseURL }) {
			const slugs = await lessonSlugs();
			await open(page, baseURL + '/');
			const cards = page.locator('ol.lessons > li');
			assert.equal(await cards.count(), slugs.length);
			for (const [i, slug] of slugs.entries()) {
				const card = cards.nth(i);
				assert.equal(await card.getByRole('link').first().getAttribute('href'), `/lessons/${slug}`);
				assert.ok((await card.locator('.summary').innerText()).length > 20, `${slug} shows a summary`);
				assert.ok((await card.locator('details li').count()) > 0, `${slug} lists objectives`);
			}
		}
	},
	{
		name: 'next and previous links walk every lesson in order, each page titled by its lesson',
		async run({ page, baseURL }) {
			const slugs = await lessonSlugs();
			await open(page, `${baseURL}/lessons/${slugs[0]}`);
			assert.equal(await page.locator('a[rel="prev"]').count(), 0, 'the first lesson has no previous lesson');
			for (const [i, slug] of slugs.entries()) {
				assert.equal(new URL(page.url()).pathname, `/lessons/${slug}`);
				const title = await page.getByRole('heading', { level: 1 }).innerText();
				assert.match(await page.title(), new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · Glance$`));
				assert.ok((await page.locator('.cells > *').count()) > 3, `${slug} renders its cells`);
				if (i === slugs.length - 1) break;
				await page.locator('a[rel="next"]').click();
				await page.waitForURL(`**/lessons/${slugs[i + 1]}`);
				await page.locator('a[rel="prev"]', { hasText: title }).waitFor();
			}
			assert.equal(await page.locator('a[rel="next"]').count(), 0, 'the last lesson has no next lesson');
			assert.equal(await page.getByRole('link', { name: /Open the playground/ }).count(), 1);
		}
	},
	{
		name: 'lesson prose shows typeset math and the softmax widget runs inside lesson 1',
		async run({ page, baseURL }) {
			const [first] = await lessonSlugs();
			await open(page, `${baseURL}/lessons/${first}`);
			assert.ok((await page.locator('.prose .katex').count()) > 3, 'inline math is typeset');
			assert.ok((await page.locator('.prose .katex-display').count()) > 0, 'display math is typeset');
			const loss = page.getByTestId('loss');
			const before = await loss.innerText();
			await page.getByLabel('class 2').check();
			await page.waitForFunction((prev) => document.querySelector('[data-testid="loss"]')?.textContent !== prev, before);
		}
	},
	{
		name: 'every page has no serious or critical accessibility violations, in light and dark',
		async run({ page, baseURL }) {
			const paths = ['/', ...(await lessonSlugs()).map((s) => `/lessons/${s}`), '/playground'];
			for (const scheme of /** @type {const} */ (['light', 'dark'])) {
				await page.emulateMedia({ colorScheme: scheme });
				for (const path of paths) {
					await open(page, baseURL + path);
					await expectAccessible(page, `${path} (${scheme})`);
				}
			}
		}
	},
	{
		name: 'the keyboard reaches the skip link, the main navigation, the theme switch and the playground task picker',
		async run({ page, baseURL }) {
			await open(page, baseURL + '/playground');
			const stops = await tabStops(page, 5);
			assert.deepEqual(stops.slice(0, 5), ['a: Skip to content', 'a: Glance', 'a: Lessons', 'a: Playground', 'button: Dark theme']);
			await page.keyboard.press('Tab');
			assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'task');
			await page.keyboard.press('ArrowRight');
			await page.getByRole('heading', { name: 'Helpers for tracking' }).waitFor();
		}
	},
	{
		name: 'the theme switch overrides the system theme and is remembered after a reload',
		context: { colorScheme: 'light' },
		async run({ page, baseURL }) {
			await open(page, baseURL + '/');
			await page.getByRole('button', { name: 'Dark theme' }).click();
			await page.reload({ waitUntil: 'networkidle' });
			assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
			const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
			const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
			assert.ok(r + g + b < 150, `expected a dark background, got ${bg}`);
			assert.equal(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed'), 'true');
		}
	},
	{
		name: 'saved progress shows on the lesson index after a reload',
		async run({ page, baseURL }) {
			const [, second] = await lessonSlugs();
			await open(page, baseURL + '/');
			await page.evaluate((slug) => {
				localStorage.setItem(`glance:progress:${slug}`, JSON.stringify({ version: 1, completed: ['fix-sizes'], code: {} }));
			}, second);
			await page.reload({ waitUntil: 'networkidle' });
			await page.getByTestId('progress').filter({ hasText: '1 of 3 exercises done' }).waitFor();
		}
	},
	{
		name: 'corrupt saved progress is ignored with a notice, never a blank page',
		async run({ page, baseURL }) {
			const [first] = await lessonSlugs();
			await open(page, baseURL + '/');
			await page.evaluate((slug) => localStorage.setItem(`glance:progress:${slug}`, '{not json'), first);
			await open(page, `${baseURL}/lessons/${first}`);
			await page.getByRole('status').filter({ hasText: "Saved progress for this lesson couldn't be read and was reset." }).waitFor();
			assert.ok((await page.locator('.cells > *').count()) > 3, 'the lesson still renders');
			await page.reload({ waitUntil: 'networkidle' });
			assert.equal(await page.getByText("couldn't be read").count(), 0, 'the notice is shown once, then the state is fresh');
		}
	},
	{
		name: 'an exercise checks the real tensors: the starter fails with a hint, the solution passes, and both survive a reload',
		async run({ page, baseURL, artifacts }) {
			const [, second] = await lessonSlugs();
			await open(page, `${baseURL}/lessons/${second}`);
			const exercise = page.getByRole('region', { name: /^Exercise peak-frame/ });
			const verdict = exercise.getByTestId('check-result');
			await exercise.getByRole('button', { name: 'Run and check' }).click();
			await verdict.filter({ hasText: /^Not yet\. Frame 3's weights are .* they peak on frame 2/ }).waitFor();
			await verdict.getByText(/^Hint:/).waitFor();

			await exercise.getByText('Show a solution').click();
			const solution = await exercise.locator('details pre').innerText();
			await exercise.locator('.cm-content').click();
			await page.keyboard.press('ControlOrMeta+A');
			await page.keyboard.insertText(solution);
			await page.keyboard.press('Shift+Enter');
			await verdict.filter({ hasText: /^Correct\. Frame 3 now puts 0\.66 of its attention on frame 1/ }).waitFor();
			await exercise.getByText('Solved', { exact: true }).waitFor();
			await exercise.screenshot({ path: join(artifacts, 'exercise-solved.png') });

			await page.reload({ waitUntil: 'networkidle' });
			await exercise.getByText('Solved', { exact: true }).waitFor();
			assert.match(await exercise.locator('.cm-content').innerText(), /\[-2, 3\]/, 'the edited code is restored');
			await open(page, baseURL + '/');
			await page.getByTestId('progress').filter({ hasText: '1 of 3 exercises done' }).waitFor();
		}
	},
	{
		name: 'screenshots: lessons and playground in light, dark and on a phone',
		async run({ page, baseURL, artifacts }) {
			const [first, second] = await lessonSlugs();
			const shots = [
				['index', '/'],
				['lesson-01', `/lessons/${first}`],
				['lesson-02', `/lessons/${second}`],
				['playground', '/playground']
			];
			for (const scheme of /** @type {const} */ (['light', 'dark'])) {
				await page.emulateMedia({ colorScheme: scheme });
				for (const [name, path] of shots) {
					await open(page, baseURL + path);
					await page.screenshot({ path: join(artifacts, `${name}-${scheme}.png`), fullPage: true });
				}
			}
		}
	},
	{
		name: 'on a phone every box that scrolls sideways is reachable by keyboard and scrolls with the arrow keys; on a desktop a box that fits is no tab stop',
		context: PHONE,
		async run({ page, baseURL, artifacts }) {
			for (const slug of await lessonSlugs()) {
				await open(page, `${baseURL}/lessons/${slug}`);
				await expectAccessible(page, `/lessons/${slug} on a phone`);
			}
			await open(page, `${baseURL}/lessons/attention-module`);
			const block = page.locator('.prose pre').first();
			assert.equal(await block.getAttribute('tabindex'), '0', 'the code block overflows the phone, so it takes focus');
			await block.focus();
			await page.keyboard.press('ArrowRight');
			await page.keyboard.press('ArrowRight');
			assert.ok((await block.evaluate((el) => el.scrollLeft)) > 0, 'the arrow keys scroll it');
			await block.screenshot({ path: join(artifacts, 'scroll-focus-phone.png') });

			await page.setViewportSize({ width: 1280, height: 900 });
			await page.waitForFunction(() => !document.querySelector('.prose pre')?.hasAttribute('tabindex'));
			assert.equal(await block.evaluate((el) => el.scrollWidth > el.clientWidth), false, 'on a desktop the block fits');
		}
	},
	{
		name: 'on a 390px phone the pages fit the screen without sideways scrolling',
		context: PHONE,
		async run({ page, baseURL, artifacts }) {
			const [first, second] = await lessonSlugs();
			for (const [name, path] of [
				['index', '/'],
				['lesson-01', `/lessons/${first}`],
				['lesson-02', `/lessons/${second}`],
				['playground', '/playground']
			]) {
				await open(page, baseURL + path);
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
				assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the phone`);
				await page.screenshot({ path: join(artifacts, `${name}-phone.png`), fullPage: true });
			}
		}
	}
];
