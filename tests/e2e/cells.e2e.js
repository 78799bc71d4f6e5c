import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectAccessible } from './axe.js';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** The longest a runaway cell may run before the kernel stops it (client.ts DEFAULT_TIMEOUT_MS), plus room for a slow CI machine. */
const TIMEOUT_BUDGET_MS = 2000 + 500;

/**
 * Open the playground and wait for its code cell's editor to mount; at network idle the page has hydrated.
 * @param {Page} page
 * @param {string} baseURL
 */
async function openPlayground(page, baseURL) {
	await page.goto(baseURL + '/playground', { waitUntil: 'networkidle' });
	const cell = page.getByRole('group', { name: /^Code cell/ }).first();
	await cell.locator('.cm-content').waitFor();
	return cell;
}

/**
 * Replace the cell's code. insertText types it as one input, so CodeMirror's auto-closing brackets and indentation leave it as written.
 * @param {Page} page
 * @param {Locator} cell
 * @param {string} code
 */
async function setCode(page, cell, code) {
	await cell.locator('.cm-content').click();
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.insertText(code);
}

/**
 * Run the cell's code and wait for its status line to say how the run ended.
 * @param {Page} page
 * @param {Locator} cell
 * @param {string} code
 */
async function run(page, cell, code) {
	await setCode(page, cell, code);
	await cell.getByRole('button', { name: 'Run' }).click();
	await cell.locator('.status:not([data-state="running"]):not([data-state="queued"])').waitFor();
	return (await cell.locator('.status').innerText()).trim();
}

/** @param {Locator} cell */
const outputText = (cell) => cell.locator('.outputs pre').allInnerTexts();

/**
 * Note, on the page's own clock, when the cell's status first enters each state and when its Stop
 * button is clicked, so latencies are measured without the test driver's round trips.
 * @param {Locator} cell
 */
async function recordTimes(cell) {
	await cell.evaluate((el) => {
		const status = /** @type {HTMLElement} */ (el.querySelector('.status'));
		const times = document.body.dataset;
		const note = (/** @type {string} */ key) => (times[key] ??= String(performance.now()));
		new MutationObserver(() => note(`at_${status.dataset.state}`)).observe(status, { attributes: true });
		el.querySelector('button:nth-of-type(2)')?.addEventListener('click', () => note('at_stop_click'), { capture: true });
	});
}

/**
 * Milliseconds between two recorded moments.
 * @param {Page} page
 * @param {string} from
 * @param {string} to
 */
const between = (page, from, to) =>
	page.evaluate(([a, b]) => Number(document.body.dataset[b]) - Number(document.body.dataset[a]), [from, to]);

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: "a code cell's edited text survives a reload",
		async run({ page, baseURL }) {
			const cell = await openPlayground(page, baseURL);
			await setCode(page, cell, 'const kept = 7;\nkept * 6');
			await page.reload({ waitUntil: 'networkidle' });
			const again = page.getByRole('group', { name: /^Code cell/ }).first();
			await again.locator('.cm-content').waitFor();
			await again.getByText('kept * 6').waitFor();
			assert.match(await again.locator('.cm-content').innerText(), /const kept = 7;\s+kept \* 6/);
		}
	},
	{
		name: 'the playground adds cells that share its kernel, keeps the ones written in across a reload, and removes one with Undo',
		async run({ page, baseURL, artifacts }) {
			const starter = await openPlayground(page, baseURL);
			const cells = page.getByRole('group', { name: /^Code cell/ });
			assert.match(await run(page, starter, 'const shared = 20'), /^Done in/);

			await page.getByRole('button', { name: 'Add a cell' }).click();
			const second = cells.nth(1);
			await second.locator('.cm-content').waitFor();
			assert.ok(await second.locator('.cm-content').evaluate((el) => el.contains(document.activeElement)), 'the new cell has the focus');
			assert.match(await run(page, second, 'shared + 22'), /^Done in/);
			assert.deepEqual(await outputText(second), ['42']);
			await page.getByRole('button', { name: 'Add a cell' }).click();
			await cells.nth(2).locator('.cm-content').waitFor();
			await page.screenshot({ path: join(artifacts, 'playground-cells.png'), fullPage: true });
			await expectAccessible(page, 'playground with added cells');

			await page.reload({ waitUntil: 'networkidle' });
			await cells.nth(1).getByText('shared + 22').waitFor();
			assert.equal(await cells.count(), 2, 'the cell left empty is not kept');
			// After a reload the kernel is fresh: Run all runs the cells from the top, so cell 2 finds `shared` again.
			await page.getByRole('button', { name: 'Run all' }).click();
			await page.getByRole('status').filter({ hasText: 'Ran all 2 cells.' }).waitFor({ timeout: 10_000 });
			assert.deepEqual(await outputText(cells.nth(1)), ['42']);
			await setCode(page, cells.nth(1), 'missing + 1');
			await page.getByRole('button', { name: 'Run all' }).click();
			await page.getByRole('status').filter({ hasText: 'Stopped at cell 2: it raised an error (shown under it).' }).waitFor();
			await setCode(page, cells.nth(1), 'shared + 22');

			await page.getByRole('button', { name: 'Remove cell 2' }).click();
			assert.equal(await cells.count(), 1);
			await page.getByRole('status').filter({ hasText: 'Removed cell 2.' }).waitFor();
			await expectAccessible(page, 'playground after removing a cell');
			await page.getByRole('button', { name: 'Undo' }).click();
			await cells.nth(1).getByText('shared + 22').waitFor();

			await page.getByRole('radio', { name: 'Tracking' }).check();
			await cells.first().getByText('makeTrackingDataset', { exact: false }).waitFor();
			assert.equal(await cells.count(), 1, "tracking has its own cells, not classification's");
			await page.getByRole('radio', { name: 'Classification' }).check();
			await cells.nth(1).getByText('shared + 22').waitFor();

			await page.getByRole('button', { name: 'Remove cell 2' }).click();
			await page.reload({ waitUntil: 'networkidle' });
			await cells.first().locator('.cm-content').waitFor();
			assert.equal(await cells.count(), 1, 'a removed cell stays removed');
		}
	},
	{
		name: 'Chromium reproduces the seeded numbers Node pins in tests/determinism.json, bit for bit',
		async run({ page, baseURL }) {
			const pinned = JSON.parse(await readFile(new URL('../determinism.json', import.meta.url), 'utf8'));
			const cell = await openPlayground(page, baseURL);
			const code = [
				'const r = new Rng(42);',
				'const u32 = [r.nextU32(), r.nextU32(), r.nextU32()];',
				'const normals = [r.normal(), r.normal(), r.normal()];',
				'const x = randn([64], { rng: new Rng(7) });',
				'const ds = tasks.video.makeClassificationDataset({ seed: 0, trainSize: 4, valSize: 2, noise: 0.1, distractors: 2 });',
				'console.log(JSON.stringify({ u32, normals, randnChecksum: tasks.video.clipChecksum(x.data), classificationTrain: tasks.video.clipChecksum(ds.train.data) }));'
			].join('\n');
			assert.match(await run(page, cell, code), /^Done in/);
			const [printed] = await outputText(cell);
			const { comment: _, ...expected } = pinned;
			assert.deepEqual(JSON.parse(printed), expected);
		}
	},
	{
		name: 'a code cell runs on Shift+Enter and shows printed text and a tensor heatmap with values on hover',
		async run({ page, baseURL, artifacts }) {
			const cell = await openPlayground(page, baseURL);
			await setCode(page, cell, "console.log('sum is', 1 + 1)\nconst t = tensor([[1, -2], [3, 4]])\nt");
			await page.keyboard.press('Shift+Enter');
			await cell.locator('.status[data-state="ok"]').waitFor();
			assert.deepEqual(await outputText(cell), ['sum is 2']);
			const heatmap = cell.getByRole('img', { name: /^t of shape \[2, 2\]/ });
			await heatmap.locator('rect').nth(1).hover();
			// d3 prints negative numbers with a true minus sign.
			await cell.locator('.readout', { hasText: /^t\[0, 1\] = [−-]2$/ }).waitFor();
			await page.screenshot({ path: join(artifacts, 'cells-output.png'), fullPage: true });
		}
	},
	{
		name: 'the playground starter runs in the kernel and shows its attention weights',
		async run({ page, baseURL }) {
			const cell = await openPlayground(page, baseURL);
			await cell.getByRole('button', { name: 'Run' }).click();
			await cell.locator('.status[data-state="ok"]').waitFor({ timeout: 10_000 });
			await cell.getByRole('img', { name: /^weights of shape/ }).waitFor();
		}
	},
	{
		name: 'a runaway cell is stopped by its 2 s limit while the page stays responsive, and earlier variables survive',
		async run({ page, baseURL, artifacts }) {
			const cell = await openPlayground(page, baseURL);
			assert.match(await run(page, cell, 'const keep = 41'), /^Done in/);

			await setCode(page, cell, 'while (true) {}');
			await recordTimes(cell);
			await cell.getByRole('button', { name: 'Run' }).click();
			await cell.locator('.status[data-state="running"]').waitFor();

			// The loop runs in the kernel's Worker: the page still handles clicks and keeps its clock ticking.
			// (No frame-time assertion: on a shared, loaded machine that measures the machine, not the page.)
			const toggle = page.getByRole('button', { name: 'Dark theme' });
			const pressed = await toggle.getAttribute('aria-pressed');
			await toggle.click();
			await page.waitForFunction((before) => document.querySelector('[aria-pressed]')?.getAttribute('aria-pressed') !== before, pressed);
			const ticking = await cell.locator('.status').innerText();
			await cell.screenshot({ path: join(artifacts, 'cells-running.png') });
			await cell.locator('.status[data-state="timeout"]').waitFor({ timeout: 5000 });
			const stoppedAfter = await between(page, 'at_running', 'at_timeout');
			console.log(`    runaway cell stopped ${Math.round(stoppedAfter)} ms after it started (limit 2000 ms)`);
			assert.ok(stoppedAfter <= TIMEOUT_BUDGET_MS, `stopped after ${stoppedAfter} ms`);
			assert.match(ticking, /Running… \d+\.\d s/);

			await cell.getByText(/Kernel restarted with its state: 1 earlier run replayed/).waitFor();
			await page.screenshot({ path: join(artifacts, 'cells-timeout.png'), fullPage: true });
			assert.match(await run(page, cell, 'keep + 1'), /^Done in/);
			assert.deepEqual(await outputText(cell), ['42']);
		}
	},
	{
		name: 'the Stop button ends a long cell at once',
		async run({ page, baseURL }) {
			const cell = await openPlayground(page, baseURL);
			await setCode(page, cell, '// @timeout 60s\nwhile (true) {}');
			await recordTimes(cell);
			await cell.getByRole('button', { name: 'Run' }).click();
			await cell.locator('.status[data-state="running"]').waitFor();
			await page.waitForTimeout(300);
			await cell.getByRole('button', { name: 'Stop' }).click();
			await cell.locator('.status[data-state="stopped"]').waitFor();
			const latency = await between(page, 'at_stop_click', 'at_stopped');
			console.log(`    Stop ended the cell ${Math.round(latency)} ms after the click`);
			assert.ok(latency < 250, `Stop took ${latency} ms`);
		}
	},
	{
		name: 'after a kernel restart, variables from earlier runs are still defined',
		async run({ page, baseURL }) {
			const cell = await openPlayground(page, baseURL);
			assert.match(await run(page, cell, 'const w = randn([3, 3])\nconst first = w.sum().item()'), /^Done in/);
			await cell.getByRole('button', { name: 'Restart kernel' }).click();
			await cell.getByText(/Kernel restarted with its state/).waitFor();
			assert.match(await run(page, cell, 'w.sum().item() === first'), /^Done in/);
			assert.deepEqual(await outputText(cell), ['true']);
		}
	},
	{
		name: 'an error names its line and marks that line in the editor',
		async run({ page, baseURL, artifacts }) {
			const cell = await openPlayground(page, baseURL);
			const status = await run(page, cell, 'const a = randn([2, 3])\nconst b = randn([4, 5])\n\nconst c = a.mul(b)');
			assert.equal(status, 'ShapeError on line 4');
			await cell
				.getByRole('alert')
				.getByText(/ShapeError\s+on line 4/)
				.waitFor();
			const marked = cell.locator('.cm-error-line');
			assert.equal(await marked.count(), 1);
			assert.equal((await marked.innerText()).trim(), 'const c = a.mul(b)');
			await page.screenshot({ path: join(artifacts, 'cells-error.png'), fullPage: true });
			assert.equal(await run(page, cell, 'const ok = 1\nconst broken = (2'), 'SyntaxError on line 2');
		}
	},
	{
		name: 'code cells follow the dark theme',
		context: { colorScheme: 'dark' },
		async run({ page, baseURL, artifacts }) {
			const cell = await openPlayground(page, baseURL);
			await run(
				page,
				cell,
				"plot({ loss: [1, 0.6, 0.4, 0.3], acc: [0.2, 0.5, 0.7, 0.8] }, { title: 'training' })\nrandn([4, 4]).softmax(-1)"
			);
			const bg = await cell.locator('.cm-editor').evaluate((el) => getComputedStyle(el).backgroundColor);
			const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
			assert.ok(r + g + b < 200, `expected a dark editor, got ${bg}`);
			await cell.getByRole('img', { name: /line chart: training/ }).waitFor();
			await page.screenshot({ path: join(artifacts, 'cells-dark.png'), fullPage: true });
		}
	}
];
