import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

/** @typedef {import('playwright-core').Page} Page */

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/**
 * Run axe-core on the page; fail on any serious or critical violation, naming the rule and the elements.
 * @param {Page} page
 * @param {string} where
 */
export async function expectAccessible(page, where) {
	await page.addScriptTag({ path: AXE });
	const bad = await page.evaluate(async () => {
		const axe = /** @type {typeof import('axe-core')} */ (/** @type {any} */ (window).axe);
		const { violations } = await axe.run(document, { resultTypes: ['violations'] });
		return violations
			.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map(
				(v) =>
					`${v.impact} ${v.id} (${v.help}): ${v.nodes
						.map((n) => n.target.join(' '))
						.slice(0, 5)
						.join(', ')}`
			);
	});
	assert.deepEqual(bad, [], `${where}: ${bad.join('\n')}`);
}
