import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/** @typedef {import('playwright-core').Page} Page */

const LESSON = '/lessons/training-in-parallel';
/** The acceptance budget: no task on the page's thread may take longer while it trains. */
const LONG_TASK_MS = 50;
const TRAIN_MS = 10_000;
/** Building the model and the data in the workers, on a loaded 2-core machine. */
const FIRST_STEP_MS = 60_000;

/**
 * Runs in the page before its scripts: time the page's handling of each message from a Worker (the handler and the
 * microtasks it queues, where Svelte updates the DOM), so a long task can be told from the page's own work.
 */
function timeMessageHandling() {
	const w = /** @type {any} */ (window);
	w.__handling = [];
	const desc = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage'));
	Object.defineProperty(Worker.prototype, 'onmessage', {
		set(handler) {
			desc.set?.call(this, (/** @type {MessageEvent} */ e) => {
				const t0 = performance.now();
				handler(e);
				queueMicrotask(() => w.__handling.push({ type: e.data?.type, ms: performance.now() - t0 }));
			});
		},
		get() {
			return desc.get?.call(this);
		}
	});
}

/**
 * Open the lesson and start recording the page's long tasks and its event-loop lag from now on.
 * @param {Page} page
 * @param {string} baseURL
 */
async function openLesson(page, baseURL) {
	await page.addInitScript(timeMessageHandling);
	await page.goto(baseURL + LESSON, { waitUntil: 'networkidle' });
	await page.locator('section[aria-label="Trainer"]').waitFor();
	await page.evaluate(() => {
		const w = /** @type {any} */ (window);
		w.__longTasks = [];
		w.__maxLag = 0;
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
		}).observe({ type: 'longtask' });
		// A timer that should fire every 100 ms: how late it fires is how long a click would wait.
		let last = performance.now();
		setInterval(() => {
			const now = performance.now();
			w.__maxLag = Math.max(w.__maxLag, now - last - 100);
			last = now;
		}, 100);
	});
	return page.locator('section[aria-label="Trainer"]');
}

/**
 * The page's main-thread tasks longer than `LONG_TASK_MS` in a Chromium trace, with their wall time and the CPU time
 * the thread actually ran (`tdur`): on a loaded machine a task can take far longer than its work, waiting for a core.
 * @param {any[]} events
 */
function longMainThreadTasks(events) {
	const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
	return events
		.filter((e) => e.ph === 'X' && /RunTask$/.test(e.name) && main.has(`${e.pid}:${e.tid}`) && e.dur / 1000 > LONG_TASK_MS)
		.map((e) => ({ name: e.name, wallMs: Math.round(e.dur / 1000), cpuMs: Math.round((e.tdur ?? e.dur) / 1000) }));
}

/** @param {Page} page */
const points = (page) => page.locator('section[aria-label="Trainer"] .charts').getAttribute('data-points').then(Number);

/**
 * Wait until the curve holds more than `n` points.
 * @param {Page} page
 * @param {number} n
 * @param {number} [timeout]
 */
async function pointsAbove(page, n, timeout = 30_000) {
	await page.waitForFunction(
		(min) => Number(document.querySelector('section[aria-label="Trainer"] .charts')?.getAttribute('data-points')) > min,
		n,
		{ timeout }
	);
	return points(page);
}

/**
 * @param {Page} page
 * @param {string} phase
 */
const phaseIs = (page, phase) => page.locator(`section[aria-label="Trainer"][data-phase="${phase}"]`).waitFor({ timeout: 30_000 });

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'the trainer trains in a worker for 10 s with no long task on the page, pauses, resumes, stops and rewinds',
		async run({ page, baseURL, artifacts }) {
			const panel = await openLesson(page, baseURL);
			assert.equal(await page.evaluate(() => crossOriginIsolated), true);
			await panel.getByRole('button', { name: 'Start' }).click();
			const startedAt = await page.evaluate(() => performance.now());
			const first = await pointsAbove(page, 0, FIRST_STEP_MS);
			const trainingFrom = await page.evaluate(() => performance.now());
			const browser = /** @type {import('playwright-core').Browser} */ (page.context().browser());
			await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
			await page.waitForTimeout(TRAIN_MS);
			const trainingTo = await page.evaluate(() => performance.now());
			const traced = longMainThreadTasks(JSON.parse((await browser.stopTracing()).toString()).traceEvents);
			const grown = await points(page);
			assert.ok(grown > first, `the curve should grow while training: ${first} → ${grown} points`);
			const { longTasks, maxLag, handling } = await page.evaluate(() => ({
				longTasks: /** @type {any} */ (window).__longTasks,
				maxLag: /** @type {any} */ (window).__maxLag,
				handling: /** @type {{ type: string, ms: number }[]} */ (/** @type {any} */ (window).__handling)
			}));
			const slowest = handling.reduce((a, h) => (h.ms > a.ms ? h : a), { type: 'none', ms: 0 });
			const mean = handling.reduce((n, h) => n + h.ms, 0) / Math.max(1, handling.length);
			const during = longTasks.filter(
				(/** @type {{start: number, duration: number}} */ t) => t.start >= trainingFrom && t.start < trainingTo && t.duration > LONG_TASK_MS
			);
			const longest = Math.max(0, ...during.map((/** @type {{duration: number}} */ t) => t.duration));
			const status = await panel.getByRole('status').first().innerText();
			console.log(
				`  trained ${grown} steps in ${TRAIN_MS / 1000} s after a ${((trainingFrom - startedAt) / 1000).toFixed(1)} s start-up; ` +
					`status "${status}"; long tasks while training: ${during.length}, longest ${longest.toFixed(0)} ms; ` +
					`max timer lag ${maxLag.toFixed(0)} ms; page work per message: ${handling.length} messages, mean ${mean.toFixed(1)} ms, ` +
					`max ${slowest.ms.toFixed(1)} ms (${slowest.type}); traced tasks over ${LONG_TASK_MS} ms: ${JSON.stringify(traced)}; ` +
					`load average ${loadavg()[0].toFixed(1)} on this machine`
			);
			// The long-task API times tasks by the wall clock. Where it reports one, the trace must show that the page's own
			// work (CPU time) stayed under the budget, the rest being time spent waiting for a core on a loaded machine.
			const overBudget = traced.filter((t) => t.cpuMs > LONG_TASK_MS);
			assert.equal(overBudget.length, 0, `main-thread tasks whose own work exceeds ${LONG_TASK_MS} ms: ${JSON.stringify(overBudget)}`);
			if (during.length > 0) assert.ok(traced.length > 0, `long tasks ${JSON.stringify(during)} should appear in the trace`);
			await page.screenshot({ path: join(artifacts, 'trainer-desktop.png'), fullPage: true });

			await panel.getByRole('button', { name: 'Pause' }).click();
			await phaseIs(page, 'paused');
			const paused = await points(page);
			await page.waitForTimeout(1500);
			assert.equal(await points(page), paused, 'no steps arrive while paused');
			await panel.getByRole('button', { name: 'Resume' }).click();
			await pointsAbove(page, paused);
			await panel.getByRole('button', { name: 'Stop' }).click();
			await phaseIs(page, 'stopped');

			const shown = panel.locator('.shown');
			const latest = Number(await shown.getAttribute('data-step'));
			const slider = panel.getByRole('slider');
			await slider.focus();
			await page.keyboard.press('Home');
			await page.waitForFunction(() => document.querySelector('section[aria-label="Trainer"] .shown')?.textContent?.includes(' of '));
			const rewound = Number(await shown.getAttribute('data-step'));
			assert.ok(rewound < latest, `the scrubber should show an earlier step: ${rewound} vs ${latest}`);
			await page.keyboard.press('ArrowRight');
			await page.waitForFunction(
				(prev) => Number(document.querySelector('section[aria-label="Trainer"] .shown')?.getAttribute('data-step')) > prev,
				rewound
			);
			const from = Number(await shown.getAttribute('data-step'));
			await panel.getByRole('button', { name: 'Replay from here' }).click();
			await page.waitForFunction(
				(at) => {
					const panel = document.querySelector('section[aria-label="Trainer"]');
					const n = Number(panel?.querySelector('.charts')?.getAttribute('data-points'));
					return panel?.getAttribute('data-phase') === 'running' && n > at;
				},
				from,
				{ timeout: 30_000 }
			);
			await panel.getByRole('button', { name: 'Stop' }).click();
			await phaseIs(page, 'stopped');
			// Clicks still answer at once: the page's thread is free.
			const t0 = Date.now();
			await panel.getByRole('button', { name: 'Reset' }).click();
			await phaseIs(page, 'idle');
			assert.ok(Date.now() - t0 < 2000, 'Reset should answer within 2 s');
			assert.equal(await points(page), 0);
		}
	},
	{
		name: 'the trainer trains on 2 workers without cross-origin isolation, copying parameters',
		context: { serviceWorkers: 'block' },
		async run({ page, baseURL, artifacts }) {
			// Without the headers (and without the service worker that would add them) the page is not isolated.
			await page.route('**/*', async (route) => {
				const response = await route.fetch();
				const headers = { ...response.headers() };
				delete headers['cross-origin-opener-policy'];
				delete headers['cross-origin-embedder-policy'];
				await route.fulfill({ response, headers });
			});
			const panel = await openLesson(page, baseURL);
			assert.equal(await page.evaluate(() => crossOriginIsolated), false);
			await page.setViewportSize({ width: 390, height: 844 });
			await panel.getByLabel('Workers').selectOption('2');
			await panel.getByRole('button', { name: 'Start' }).click();
			const first = await pointsAbove(page, 0, FIRST_STEP_MS);
			await pointsAbove(page, first);
			const status = await panel.getByRole('status').first().innerText();
			assert.match(status, /2 workers \(copied parameters\)/);
			console.log(`  not isolated, 2 workers: "${status}"`);
			await page.screenshot({ path: join(artifacts, 'trainer-mobile.png'), fullPage: true });
			await panel.getByRole('button', { name: 'Stop' }).click();
			await phaseIs(page, 'stopped');
		}
	},
	{
		name: 'a model with no weights (copy-last) cannot be started and the trainer says why; a trainable one can',
		async run({ page, baseURL, artifacts }) {
			await page.goto(baseURL + '/lessons/video-generation', { waitUntil: 'networkidle' });
			const panel = page.locator('section[aria-label="Trainer"]');
			const start = panel.getByRole('button', { name: 'Start' });
			assert.equal(await start.isEnabled(), true);
			await panel.getByLabel('Model').selectOption('copy-last');
			await panel.getByRole('status').filter({ hasText: 'The copy-last model has no weights to train' }).waitFor();
			assert.equal(await start.isEnabled(), false, 'nothing to train, so Start is off');
			assert.equal(await panel.getByText(/empty parameter list/).count(), 0, 'no internal error message');
			await panel.screenshot({ path: join(artifacts, 'trainer-untrainable.png') });
			await panel.getByLabel('Model').selectOption('mlp');
			await panel
				.getByRole('status')
				.filter({ hasText: /^Ready:/ })
				.waitFor();
			assert.equal(await start.isEnabled(), true);
		}
	},
	{
		name: 'the speed-up widget measures steps per second on 1 and 2 workers and explains the result',
		async run({ page, baseURL, artifacts }) {
			await page.goto(baseURL + LESSON, { waitUntil: 'networkidle' });
			const widget = page.locator('section[aria-label="Speed-up"]');
			await widget.getByRole('button', { name: 'Measure' }).click();
			await widget.locator('.explain').waitFor({ timeout: 120_000 });
			const rows = await widget.locator('tbody tr').allInnerTexts();
			assert.ok(rows.length >= 2, `a row per worker count: ${rows}`);
			console.log(`  speed-up: ${rows.map((r) => r.replaceAll('\t', ' ')).join(' | ')}`);
			await widget.screenshot({ path: join(artifacts, 'speedup.png') });
		}
	}
];
