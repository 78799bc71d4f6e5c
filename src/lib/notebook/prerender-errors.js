/**
 * The build's message for an address the prerenderer could not follow (`kit.prerender.handleHttpError` in
 * svelte.config.js): which page linked to or fetched what, and where to look for it, down to the line when a
 * lesson's index.md holds the link. Links written in lessons are checked before this, by the lesson lint
 * (src/lib/notebook/site.ts), so what still reaches here is mostly a link in a page's template or a component.
 *
 * Plain JavaScript that imports only Node, because svelte.config.js loads it before any TypeScript is compiled.
 *
 * @example
 * describeHttpError({ status: 404, path: '/playgrond', referrer: '/lessons/intro', referenceType: 'linked', message: '…' });
 * // '404 /playgrond, linked from /lessons/intro: lessons/01-intro/index.md:9 has the link …'
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} HttpErrorDetails What SvelteKit passes to `handleHttpError`.
 * @property {number} status
 * @property {string} path the address that failed
 * @property {string | null} referrer the page that linked to it or fetched it, or null for an entry
 * @property {'linked' | 'fetched'} referenceType
 * @property {string} message SvelteKit's own message
 */

/**
 * The lesson file behind lesson page `referrer` (`/lessons/intro` or `/lessons/intro/sheet`), relative to `root`, or null.
 *
 * @param {string} referrer
 * @param {string} root
 * @returns {string | null}
 */
function lessonFile(referrer, root) {
	const slug = /^\/lessons\/([^/]+)(?:\/sheet)?\/?$/.exec(referrer)?.[1];
	const dir = join(root, 'lessons');
	if (!slug || !existsSync(dir)) return null;
	const folder = readdirSync(dir).find((name) => /^\d{2,3}-/.test(name) && name.replace(/^\d{2,3}-/, '') === slug);
	return folder ? `lessons/${folder}/index.md` : null;
}

/**
 * Where to fix the link to `path` on page `referrer`: the lines of its lesson file that name the address, or the
 * templates to look in.
 *
 * @param {string} referrer
 * @param {string} path
 * @param {string} root
 * @returns {string}
 */
function whereToLook(referrer, path, root) {
	const file = lessonFile(referrer, root);
	if (file) {
		const name = path.split('/').filter(Boolean).at(-1) ?? path;
		const lines = readFileSync(join(root, file), 'utf8').split('\n');
		// The lesson may write the address relative to its page (`../playgrond`), so look for its last part in a link.
		const at = lines.flatMap((l, i) =>
			l.includes(`(${path}`) || l.includes(`${name})`) || l.includes(`${name}#`) ? [`${file}:${i + 1}`] : []
		);
		if (at.length) return `${at.join(', ')} ${at.length === 1 ? 'has' : 'have'} the link: correct its address or remove it.`;
		return `${file} does not write this address, so it comes from the lesson page's template (src/routes/lessons/[slug]) or a widget on it.`;
	}
	const route = referrer === '/' ? 'src/routes/+page.svelte' : `src/routes${referrer}`;
	return `Look for it in ${route} and the components that page uses.`;
}

/**
 * One message for a failed prerender request: the status, the address, the page that linked to it or fetched it,
 * and where the link is. Files are looked up under `root`, the project's root.
 *
 * @param {HttpErrorDetails} details
 * @param {string} [root]
 * @returns {string}
 */
export function describeHttpError({ status, path, referrer, referenceType, message }, root = process.cwd()) {
	if (!referrer)
		return `${status} ${path}: a prerender entry (kit.prerender.entries or a route's entries()) that the site does not answer. (${message})`;
	const how = referenceType === 'fetched' ? 'fetched by' : 'linked from';
	return `${status} ${path}, ${how} ${referrer}: ${whereToLook(referrer, path, root)} (${message})`;
}
