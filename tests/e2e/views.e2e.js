import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** @typedef {import('playwright-core').Page} Page */

const LESSONS = {
	classification: '/lessons/video-classification',
	tracking: '/lessons/object-tracking',
	generation: '/lessons/video-generation'
};

/**
 * Open a task's lesson and wait for both views to draw.
 * @param {Page} page
 * @param {string} baseURL
 * @param {keyof typeof LESSONS} task
 */
async function open(page, baseURL, task) {
	await page.goto(baseURL + LESSONS[task], { waitUntil: 'networkidle' });
	await page.locator('section[aria-label="Clip player"] svg image').first().waitFor();
	await page.locator(`section.attention[data-task="${task}"] svg`).first().waitFor();
}

/**
 * Move the shared scrubber to `frame`, as dragging it would.
 * @param {Page} page
 * @param {number} frame
 */
async function scrub(page, frame) {
	await page.getByRole('slider', { name: 'Frame', exact: true }).evaluate((el, f) => {
		const input = /** @type {HTMLInputElement} */ (el);
		input.value = String(f);
		input.dispatchEvent(new Event('input', { bubbles: true }));
	}, frame);
}

/**
 * The frame every highlighted element says it is on, across every view of the page.
 * @param {Page} page
 */
const highlighted = (page) =>
	page.locator('svg [data-current="true"][data-frame]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-frame'))));

/**
 * Click a chart's Save button and return the downloaded bytes and file name.
 * @param {Page} page
 * @param {import('playwright-core').Locator} button
 */
async function download(page, button) {
	const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
	const path = await file.path();
	return { name: file.suggestedFilename(), bytes: await readFile(path) };
}

/**
 * Behaviour every task's page shares: scrubbing, clip picking, tables and both downloads.
 * @param {Page} page
 * @param {keyof typeof LESSONS} task
 * @param {string} signature a selector whose attribute changes with the clip's data
 * @param {string} attribute
 * @param {string} artifacts
 */
async function common(page, task, signature, attribute, artifacts) {
	const attention = page.locator(`section.attention[data-task="${task}"]`);
	const player = page.locator('section[aria-label="Clip player"]');

	// Every chart has its data as a table.
	const cards = page.locator('figure.chart-card');
	const count = await cards.count();
	assert.ok(count >= 3, `expected the player's and the attention's charts, found ${count}`);
	for (let i = 0; i < count; i++) assert.equal(await cards.nth(i).locator('table').count(), 1, `chart ${i} has no data table`);
	await attention.getByRole('button', { name: 'Data' }).first().click();
	assert.ok(await attention.locator('table').first().isVisible(), 'Data shows the table');

	// The scrubber moves the highlighted frame in every view.
	for (const frame of [3, 1]) {
		await scrub(page, frame);
		const frames = await highlighted(page);
		// The strip in the player and the attention view's own frames.
		assert.ok(frames.length >= 2, `highlighted elements: ${frames.length}`);
		assert.deepEqual([...new Set(frames)], [frame], `every view highlights frame ${frame}`);
		assert.match(await player.locator('figcaption').first().innerText(), new RegExp(`frame ${frame}\\b`));
	}

	// A different clip is different data in the player and in the attention view.
	const before = await page.locator(signature).evaluateAll((els, a) => els.map((el) => el.getAttribute(a)).join('|'), attribute);
	const image = await player.locator('svg image').first().getAttribute('href');
	await player.getByRole('combobox', { name: 'Preview clip' }).selectOption('2');
	await page.waitForFunction(
		([sel, a, old]) => [...document.querySelectorAll(sel)].map((el) => el.getAttribute(a)).join('|') !== old,
		[signature, attribute, before]
	);
	assert.notEqual(await player.locator('svg image').first().getAttribute('href'), image, 'the player shows the new clip');
	assert.match(await attention.locator('figcaption').first().innerText(), /clip 3/);

	// Both downloads happen and hold a real image.
	const svg = await download(page, attention.getByRole('button', { name: /as SVG$/ }).first());
	assert.match(svg.name, /\.svg$/);
	const text = svg.bytes.toString('utf8');
	assert.ok(text.startsWith('<svg') && text.includes('</svg>') && text.length > 500, `SVG of ${text.length} chars`);
	assert.ok(!text.includes('var(--'), 'theme variables are resolved in the saved SVG');
	const png = await download(page, attention.getByRole('button', { name: /as PNG$/ }).first());
	assert.match(png.name, /\.png$/);
	assert.ok(png.bytes.length > 1000, `PNG of ${png.bytes.length} bytes`);
	assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'PNG signature');
	await writeFile(join(artifacts, `views-${task}-saved.png`), png.bytes);
	const frameSvg = await download(page, player.getByRole('button', { name: /as SVG$/ }).first());
	assert.ok(frameSvg.bytes.toString('utf8').includes('data:image/png;base64,'), 'the saved frame carries its image');
}

/**
 * Labels in the attention view's frame grids that crowd a frame or cross the current frame's outline: a label must sit
 * at least 2 px clear of every frame image and must not touch an outline (whose stroke reaches 1.5 px outside it).
 * @param {Page} page
 */
const crowdedLabels = (page) =>
	page.locator('section.attention svg:has(image)').evaluateAll((svgs) =>
		svgs.flatMap((svg) => {
			const boxes = (/** @type {string} */ sel, /** @type {number} */ pad) =>
				[...svg.querySelectorAll(sel)].map((el) => {
					const r = el.getBoundingClientRect();
					return { left: r.left - pad, right: r.right + pad, top: r.top - pad, bottom: r.bottom + pad };
				});
			const obstacles = [...boxes('image', 2), ...boxes('rect.current', 1.5)];
			return [...svg.querySelectorAll('text')].flatMap((text) => {
				const t = text.getBoundingClientRect();
				const hit = obstacles.some((o) => t.left < o.right && t.right > o.left && t.top < o.bottom && t.bottom > o.top);
				return hit && t.width > 0 ? [`"${text.textContent}" at (${Math.round(t.left)}, ${Math.round(t.top)})`] : [];
			});
		})
	);

/**
 * Screenshots of a task's lesson at a desktop and a phone size, light and dark.
 * @param {keyof typeof LESSONS} task
 * @returns {import('./run.js').E2ETest[]}
 */
function screenshots(task) {
	return [
		{ label: 'desktop-light', viewport: { width: 1280, height: 900 }, colorScheme: 'light' },
		{ label: 'desktop-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
		{ label: 'projector-light', viewport: { width: 1920, height: 1080 }, colorScheme: 'light' },
		{ label: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
		{ label: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' }
	].map(({ label, viewport, colorScheme }) => ({
		name: `the ${task} views fit a ${label} screen without overflowing sideways`,
		context: { viewport, colorScheme: /** @type {'light' | 'dark'} */ (colorScheme) },
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL, task);
			await scrub(page, 2);
			// One table shown, to see that a wide table scrolls in its card rather than the page.
			if (label === 'phone-dark') await page.locator('section.attention').getByRole('button', { name: 'Data' }).first().click();
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
			assert.deepEqual(await crowdedLabels(page), [], 'frame labels stand clear of the frames and the outline');
			await page.locator('section[aria-label="Clip player"]').scrollIntoViewIfNeeded();
			await page.screenshot({ path: join(artifacts, `views-${task}-${label}.png`), fullPage: true });
		}
	}));
}

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'classification: bars follow the scrubber and the clip, key frames are marked, charts save as SVG and PNG',
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL, 'classification');
			const bars = page.locator('section.attention rect.bar');
			const weights = await bars.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-weight'))));
			assert.equal(weights.length, 16);
			assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'frame weights sum to 1');
			const keys = await page.locator('section.attention g.col[data-key="true"]').count();
			assert.ok(keys >= 1, 'a key frame is marked');
			assert.equal(await page.locator('section.attention text.key-label').count(), keys);
			// Play advances the shared frame in every view; Pause stops it.
			const player = page.locator('section[aria-label="Clip player"]');
			await player.getByRole('button', { name: '2×' }).click();
			await player.getByRole('button', { name: 'Play' }).click();
			await page.waitForFunction(
				() => document.querySelector('section.attention g.col[data-current="true"]')?.getAttribute('data-frame') === '2'
			);
			await player.getByRole('button', { name: 'Pause' }).click();
			const stopped = await highlighted(page);
			assert.equal(new Set(stopped).size, 1, `every view on one frame after Pause: ${stopped}`);
			await common(page, 'classification', 'section.attention rect.bar', 'data-weight', artifacts);
		}
	},
	{
		name: 'tracking: the attention map and both boxes follow the scrubber and the clip, charts save as SVG and PNG',
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL, 'tracking');
			const big = page.locator('section.attention figure.chart-card').first();
			assert.equal(await big.locator('rect.cell').count(), 64, 'an 8×8 map over the frame');
			assert.equal(await big.locator('rect.true-box').count(), 1);
			assert.equal(await big.locator('rect.pred-box').count(), 1);
			await common(page, 'tracking', 'section.attention rect.true-box', 'x', artifacts);
		}
	},
	{
		name: 'generation: masked cells carry no weight colour, the query row follows the scrubber, charts save as SVG and PNG',
		async run({ page, baseURL, artifacts }) {
			await open(page, baseURL, 'generation');
			const heads = page.locator('section.attention [aria-label="Attention head"] button');
			assert.equal(await heads.count(), 4);
			for (const head of [0, 2]) {
				await heads.nth(head).click();
				const cells = await page.locator('svg.matrix rect.cell').evaluateAll((els) =>
					els.map((el) => ({
						q: Number(el.getAttribute('data-query')),
						k: Number(el.getAttribute('data-key')),
						masked: el.getAttribute('data-masked') === 'true',
						weight: el.getAttribute('data-weight'),
						fill: getComputedStyle(el).fill
					}))
				);
				assert.equal(cells.length, 36, 'a 6×6 matrix over the context');
				for (const c of cells) {
					assert.equal(c.masked, c.k > c.q, `cell (${c.q}, ${c.k}) masked iff key > query`);
					if (c.masked) {
						assert.equal(c.weight, null, 'a masked cell has no weight');
						assert.match(c.fill, /^url\(/, `masked cell (${c.q}, ${c.k}) is hatched, not coloured: ${c.fill}`);
					} else assert.match(c.fill, /^rgb/, `cell (${c.q}, ${c.k}) has a weight colour`);
				}
				for (let q = 0; q < 6; q++) {
					const row = cells.filter((c) => c.q === q && !c.masked).reduce((s, c) => s + Number(c.weight), 0);
					assert.ok(Math.abs(row - 1) < 1e-4, `row ${q} sums to ${row}`);
				}
			}
			await scrub(page, 4);
			assert.equal(await page.locator('svg.matrix rect.row-now').getAttribute('data-query'), '4');
			await common(page, 'generation', 'svg.matrix rect.cell:not([data-masked="true"])', 'data-weight', artifacts);
		}
	},
	...screenshots('classification'),
	...screenshots('tracking'),
	...screenshots('generation')
];
