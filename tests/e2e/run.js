// Browser smoke tests: serves build/, runs every tests/e2e/*.e2e.js in Chromium, prints "N passed, M failed".
// `node tests/e2e/run.js NAME` runs only the files whose name contains NAME.
import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.js';

/**
 * @typedef {object} E2EContext
 * @property {import('playwright-core').Page} page
 * @property {string} baseURL
 * @property {string} artifacts directory for screenshots (gitignored)
 *
 * @typedef {object} E2ETest
 * @property {string} name a sentence about behaviour
 * @property {import('playwright-core').BrowserContextOptions} [context]
 * @property {(ctx: E2EContext) => Promise<void>} run
 */

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, 'artifacts');
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--headless',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];
const TIMEOUT_MS = 15_000;

/**
 * Run one test in a fresh browser context; console errors, page errors and failed requests fail it.
 * @param {import('playwright-core').Browser} browser
 * @param {E2ETest} test
 * @param {string} baseURL
 */
async function runOne(browser, test, baseURL) {
	const context = await browser.newContext(test.context);
	context.setDefaultTimeout(TIMEOUT_MS);
	const page = await context.newPage();
	/** @type {string[]} */
	const problems = [];
	page.on('console', (msg) => msg.type() === 'error' && problems.push(`console error: ${msg.text()}`));
	page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
	page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
	page.on('response', (res) => res.status() >= 400 && problems.push(`HTTP ${res.status()}: ${res.url()}`));
	try {
		await test.run({ page, baseURL, artifacts });
		if (problems.length > 0) throw new Error(problems.join('\n'));
	} finally {
		await context.close();
	}
}

const only = process.argv[2] ?? '';
const files = (await readdir(here)).filter((f) => f.endsWith('.e2e.js') && f.includes(only)).sort();
await mkdir(artifacts, { recursive: true });
const server = await serve(join(here, '../../build'));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
let passed = 0;
let failed = 0;
try {
	for (const file of files) {
		/** @type {{ tests: E2ETest[] }} */
		const mod = await import(pathToFileURL(join(here, file)).href);
		for (const test of mod.tests) {
			try {
				await runOne(browser, test, server.url);
				passed++;
				console.log(`✓ ${file} › ${test.name}`);
			} catch (err) {
				failed++;
				console.log(`✗ ${file} › ${test.name}\n  ${String(err instanceof Error ? err.message : err).replaceAll('\n', '\n  ')}`);
			}
		}
	}
} finally {
	await browser.close();
	await server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
