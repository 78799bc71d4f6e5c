// Shipping the course: model export, progress files, printable sheets, offline use and the service worker's isolation headers.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attentionText, editWeight } from './tasks.e2e.js';
import { expectAccessible } from './axe.js';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Download} Download */

const BUILD = resolve(dirname(fileURLToPath(import.meta.url)), '../../build');
const EXPORT_LESSON = '/lessons/video-classification';
const SHEET_LESSON = 'attention-module';
const ALL_LESSONS = [
	'tensors-and-gradients',
	'attention-module',
	'video-classification',
	'object-tracking',
	'video-generation',
	'training-in-parallel'
];

/**
 * Wait for `count` downloads started by `action`.
 * @param {Page} page
 * @param {number} count
 * @param {() => Promise<void>} action
 * @returns {Promise<Download[]>}
 */
async function downloads(page, count, action) {
	/** @type {Download[]} */
	const got = [];
	const done = new Promise((resolveAll) => {
		page.on('download', (d) => {
			got.push(d);
			if (got.length === count) resolveAll(got);
		});
	});
	await action();
	return /** @type {Promise<Download[]>} */ (done);
}

/**
 * A safetensors file's header: 8-byte little-endian length, then that much JSON.
 * @param {Buffer} bytes
 */
function safetensorsHeader(bytes) {
	const length = Number(bytes.readBigUInt64LE(0));
	assert.ok(length > 2 && 8 + length <= bytes.length, `header length ${length} fits in ${bytes.length} bytes`);
	return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
}

/**
 * Serve `build/` WITHOUT the COOP/COEP headers, as GitHub Pages does.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
function serveWithoutHeaders() {
	const types = {
		'.html': 'text/html',
		'.js': 'text/javascript',
		'.css': 'text/css',
		'.json': 'application/json',
		'.svg': 'image/svg+xml'
	};
	const server = createServer(async (req, res) => {
		const path = resolve(BUILD, '.' + decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
		const inside = path === BUILD || path.startsWith(BUILD + sep);
		for (const file of inside ? [path, path + '.html', join(path, 'index.html')] : []) {
			if ((await stat(file).catch(() => null))?.isFile()) {
				res.writeHead(200, { 'Content-Type': types[/** @type {keyof types} */ (extname(file))] ?? 'application/octet-stream' });
				createReadStream(file).pipe(res);
				return;
			}
		}
		res.writeHead(404).end('Not found');
	});
	return new Promise((done) =>
		server.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
			done({ url: `http://127.0.0.1:${port}`, close: () => new Promise((closed) => server.close(() => closed(undefined))) });
		})
	);
}

/**
 * Count the page's requests in flight from now on; the function returned waits until none has been in flight for
 * `quietMs` (lazy chunks and Workers start after `networkidle`, once the page has mounted its cells).
 * @param {Page} page
 * @param {number} [quietMs]
 */
function trackRequests(page, quietMs = 1000) {
	let inFlight = 0;
	let changed = Date.now();
	const update = (/** @type {number} */ delta) => {
		inFlight += delta;
		changed = Date.now();
	};
	page.on('request', () => update(1));
	page.on('requestfinished', () => update(-1));
	page.on('requestfailed', () => update(-1));
	return async (timeoutMs = 30_000) => {
		const deadline = Date.now() + timeoutMs;
		while (inFlight > 0 || Date.now() - changed < quietMs) {
			if (Date.now() > deadline) throw new Error(`${inFlight} requests still in flight after ${timeoutMs / 1000} s`);
			await page.waitForTimeout(100);
		}
	};
}

/** @param {Page} page */
const tally = async (page) => (await page.getByTestId('progress-tally').innerText()).trim();

/** @type {import('./run.js').E2ETest[]} */
export const tests = [
	{
		name: 'the export widget downloads the lesson model as a .py file and a safetensors file whose header lists its weights',
		async run({ page, baseURL, artifacts }) {
			await page.goto(baseURL + EXPORT_LESSON, { waitUntil: 'networkidle' });
			assert.equal(await page.getByTestId('export-model-name').innerText(), 'AttentionClassifier');
			assert.match(await page.getByTestId('export-model-params').innerText(), /^\d{1,3}(,\d{3})*$/);
			assert.match(await page.getByTestId('export-model-state').innerText(), /not trained yet/);
			const got = await downloads(page, 2, () =>
				page.getByRole('button', { name: /Download attention_classifier\.py and \.safetensors/ }).click()
			);
			const byName = Object.fromEntries(got.map((d) => [d.suggestedFilename(), d]));
			assert.deepEqual(Object.keys(byName).sort(), ['attention_classifier.py', 'attention_classifier.safetensors']);
			const pyPath = join(artifacts, 'attention_classifier.py');
			const stPath = join(artifacts, 'attention_classifier.safetensors');
			await byName['attention_classifier.py'].saveAs(pyPath);
			await byName['attention_classifier.safetensors'].saveAs(stPath);
			const python = await readFile(pyPath, 'utf8');
			assert.match(python, /^class AttentionClassifier\(nn\.Module\):/m);
			assert.match(python, /^class FrameEncoder\(nn\.Module\):/m);
			assert.match(python, /^def load_model\(path\):/m);
			const weights = await readFile(stPath);
			const header = safetensorsHeader(weights);
			assert.equal(header['encoder.conv1.weight'].dtype, 'F32');
			assert.deepEqual(header['encoder.conv1.weight'].shape, [8, 1, 3, 3]);
			assert.ok('pool.score.weight' in header && 'fc.bias' in header, `keys: ${Object.keys(header)}`);
			const end = Math.max(...Object.values(header).flatMap((v) => v.data_offsets ?? []));
			assert.equal(weights.length, 8 + weights.readUInt32LE(0) + end, 'the data after the header is exactly the tensors');
			await page.getByRole('status').filter({ hasText: 'Exported attention_classifier.py' }).waitFor();
			await page.locator('.export').screenshot({ path: join(artifacts, 'ship-export.png') });
			await expectAccessible(page, 'lesson with the export widget');
		}
	},
	{
		name: 'weights saved by the export widget load back into a fresh page with their settings; a broken file is refused',
		async run({ page, baseURL, artifacts }) {
			const quiet = trackRequests(page);
			await page.goto(baseURL + EXPORT_LESSON, { waitUntil: 'networkidle' });
			const knobs = page.getByRole('region', { name: 'Knobs' });
			const hidden = knobs.getByLabel('Hidden size', { exact: true });
			await hidden.fill('24');
			await hidden.press('Enter');
			await editWeight(page, 'pool.score.weight', 0, '25');
			await page.locator('section.attention .table').first().waitFor();
			const trained = await attentionText(page);
			const got = await downloads(page, 1, () => page.getByRole('button', { name: 'Only .safetensors' }).click());
			const file = join(artifacts, 'reloaded.safetensors');
			await got[0].saveAs(file);

			await quiet();
			await page.goto(baseURL + EXPORT_LESSON, { waitUntil: 'networkidle' });
			assert.equal(await hidden.inputValue(), '32', 'a fresh page starts from the defaults');
			assert.notEqual(await attentionText(page), trained);
			const picker = page.getByLabel('Weights file to load');
			await picker.setInputFiles(file);
			const message = page.getByTestId('load-weights-message');
			await message.filter({ hasText: 'Loaded reloaded.safetensors' }).waitFor();
			assert.equal(await hidden.inputValue(), '24', 'the file brings its settings');
			await page.waitForFunction(
				(want) =>
					[...document.querySelectorAll('section.attention .table')].map((t) => /** @type {HTMLElement} */ (t).innerText).join('\n') ===
					want,
				trained
			);
			assert.match(await page.getByTestId('export-model-state').innerText(), /changed since initialisation/);
			await page.locator('.export').screenshot({ path: join(artifacts, 'ship-load-weights.png') });

			await picker.setInputFiles({ name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from('not weights') });
			await message.filter({ hasText: 'broken.safetensors was not loaded: safetensors:' }).waitFor();
			assert.equal(await message.getAttribute('role'), 'alert');
			assert.match(await message.innerText(), /The model is unchanged\.$/);
			assert.equal(await hidden.inputValue(), '24');
			assert.equal(await attentionText(page), trained);
			await expectAccessible(page, 'lesson after loading weights');
		}
	},
	{
		name: 'exported progress imports into a fresh browser and restores completion; a bad file is refused with a message',
		async run({ page, baseURL, artifacts }) {
			await page.goto(baseURL + '/', { waitUntil: 'networkidle' });
			const total = Number((await tally(page)).match(/of (\d+)/)?.[1]);
			assert.ok(total >= 2, `the course has exercises (${total})`);
			await page.evaluate(() => {
				localStorage.setItem('glance:progress:attention-module', JSON.stringify({ version: 1, completed: ['peak-frame'], code: {} }));
				// A cell added in the playground, saved as its edit of an empty cell (base: the FNV-1a hash of '').
				const cell = { base: (0x811c9dc5).toString(36), source: 'const kept = 1' };
				localStorage.setItem(
					'glance:progress:playground',
					JSON.stringify({ version: 1, completed: [], code: { 'playground-classification-cell-1': cell } })
				);
			});
			await page.reload({ waitUntil: 'networkidle' });
			assert.equal(await tally(page), `1 of ${total} exercises solved.`);
			const [file] = await downloads(page, 1, () => page.getByRole('button', { name: 'Export progress' }).click());
			assert.match(file.suggestedFilename(), /^glance-progress-\d{4}-\d{2}-\d{2}\.json$/);
			const path = join(artifacts, 'ship-progress.json');
			await file.saveAs(path);
			const saved = JSON.parse(await readFile(path, 'utf8'));
			assert.equal(saved.format, 'glance-progress');
			assert.deepEqual(saved.lessons['attention-module'].completed, ['peak-frame']);
			assert.equal(saved.lessons.playground.code['playground-classification-cell-1'].source, 'const kept = 1');

			const fresh = await page.context().browser()?.newContext();
			assert.ok(fresh);
			try {
				const other = await fresh.newPage();
				await other.goto(baseURL + '/', { waitUntil: 'networkidle' });
				assert.equal(await tally(other), `0 of ${total} exercises solved.`);
				const bad = join(artifacts, 'ship-bad-progress.json');
				await writeFile(bad, JSON.stringify({ ...saved, version: 99 }));
				await other.locator('input[type=file]').setInputFiles(bad);
				await other.getByRole('alert').filter({ hasText: 'reads version 1' }).waitFor();
				assert.equal(await tally(other), `0 of ${total} exercises solved.`);
				await other.locator('input[type=file]').setInputFiles(path);
				await other
					.getByRole('status')
					.filter({ hasText: /^Imported .*, and 1 playground cell\.$/ })
					.waitFor();
				assert.equal(await tally(other), `1 of ${total} exercises solved.`);
				await other.screenshot({ path: join(artifacts, 'ship-progress.png'), fullPage: true });
				await other.reload({ waitUntil: 'networkidle' });
				assert.equal(await tally(other), `1 of ${total} exercises solved.`, 'the import was saved');
				await other.goto(baseURL + '/playground', { waitUntil: 'networkidle' });
				await other
					.getByRole('group', { name: /^Code cell/ })
					.nth(1)
					.getByText('const kept = 1')
					.waitFor();
			} finally {
				await fresh.close();
			}
		}
	},
	{
		name: 'the exercise sheet lists the prompts and starter code without solutions, and prints without the site navigation',
		async run({ page, baseURL, artifacts }) {
			await page.goto(`${baseURL}/lessons/${SHEET_LESSON}`, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: 'Printable exercise sheet' }).click();
			await page.waitForURL(`**/lessons/${SHEET_LESSON}/sheet`);
			await page.getByRole('heading', { level: 1 }).waitFor();
			const exercises = page.locator('.exercise');
			assert.equal(await exercises.count(), 3);
			assert.equal(await page.locator('.starter').count(), 3);
			assert.equal(await page.locator('.solution').count(), 0);
			// The page came by client-side navigation; its own prerendered file must hold no solution either.
			const html = await (await page.request.get(page.url())).text();
			assert.ok(html.includes('Starter code') && !html.includes('[-2, 3]'), 'no solution code in the sheet page');
			assert.ok(await page.getByRole('button', { name: 'Print' }).isVisible());
			assert.ok(await page.getByRole('navigation', { name: 'Main' }).isVisible());
			await page.screenshot({ path: join(artifacts, 'ship-sheet-screen.png'), fullPage: true });
			await expectAccessible(page, 'exercise sheet');

			await page.emulateMedia({ media: 'print' });
			assert.ok(!(await page.getByRole('navigation', { name: 'Main' }).isVisible()), 'no navigation in print');
			assert.ok(!(await page.getByRole('button', { name: 'Print' }).isVisible()), 'no Print button in print');
			assert.ok(await page.getByRole('heading', { level: 1 }).isVisible());
			await page.screenshot({ path: join(artifacts, 'ship-sheet-print.png'), fullPage: true });
			for (const format of ['A4', 'Letter']) {
				const pdf = await page.pdf({ format, path: join(artifacts, `ship-sheet-${format}.pdf`) });
				// Every lesson's sheet fits one sheet of paper.
				assert.equal(pdf.toString('latin1').match(/\/Count (\d+)/)?.[1], '1', `one ${format} page`);
			}
			for (const slug of ALL_LESSONS) {
				await page.goto(`${baseURL}/lessons/${slug}/sheet`, { waitUntil: 'networkidle' });
				for (const format of ['A4', 'Letter']) {
					const pdf = await page.pdf({ format });
					assert.equal(pdf.toString('latin1').match(/\/Count (\d+)/)?.[1], '1', `${slug}: one ${format} page`);
				}
			}
			await page.emulateMedia({ media: 'screen' });

			await page.goto(`${baseURL}/lessons/${SHEET_LESSON}/sheet?solutions=1`, { waitUntil: 'networkidle' });
			await page.locator('.solution').first().waitFor();
			assert.equal(await page.locator('.solution').count(), 3);
			assert.match(await page.locator('.solution').nth(2).innerText(), /\[-2, 3\]/);
			await page.screenshot({ path: join(artifacts, 'ship-sheet-solutions.png'), fullPage: true });
		}
	},
	{
		name: 'once loaded, the site works offline: a lesson reloads, and a lesson never visited opens, from the service worker',
		async run({ page, baseURL, artifacts }) {
			const quiet = trackRequests(page);
			await page.goto(`${baseURL}/lessons/${SHEET_LESSON}`, { waitUntil: 'networkidle' });
			await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
			// The lesson loads mathjs and the stepper's layout Worker after the page itself; going offline and reloading while they
			// are in flight would abort them.
			await quiet();
			const caches = await page.evaluate(async () => {
				const names = await window.caches.keys();
				return Promise.all(names.map(async (n) => ({ name: n, entries: (await (await window.caches.open(n)).keys()).length })));
			});
			assert.equal(caches.length, 1, JSON.stringify(caches));
			assert.match(caches[0].name, /^glance-\d+$/);
			assert.ok(caches[0].entries > 20, `precached ${caches[0].entries} files`);

			await page.context().setOffline(true);
			const title = await page.getByRole('heading', { level: 1 }).innerText();
			await page.reload({ waitUntil: 'load' });
			assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);
			await page.locator('.cells').waitFor();
			await page.screenshot({ path: join(artifacts, 'ship-offline.png') });
			await page.goto(baseURL + EXPORT_LESSON, { waitUntil: 'load' });
			assert.equal(await page.getByTestId('export-model-name').innerText(), 'AttentionClassifier');
			assert.equal(await page.evaluate(() => navigator.onLine), false, 'the browser is offline');
			await page.context().setOffline(false);
		}
	},
	{
		name: 'on a host that sends no COOP/COEP headers, the service worker makes the page cross-origin isolated after one reload',
		async run({ page, artifacts }) {
			const host = await serveWithoutHeaders();
			try {
				await page.goto(host.url + '/', { waitUntil: 'load' });
				await page.waitForFunction(() => window.crossOriginIsolated, null, { timeout: 30_000 });
				assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'function');
				assert.equal(await page.evaluate(() => sessionStorage.getItem('glance:coi-reloaded')), '1');
				await page.screenshot({ path: join(artifacts, 'ship-isolated.png') });
			} finally {
				await host.close();
			}
		}
	}
];
