/**
 * Checks on a lesson beyond its syntax, for the loader: a "did you mean" for misspelt names, math
 * cells that would show an error, and links to pages or files of the site that do not exist. UI-free.
 *
 * @example
 * suggest('clasification', ['classification', 'tracking']); // ' (did you mean "classification"?)'
 */
import type { Token } from 'markdown-it';
import { evaluateMathCell, parseMathCell } from './math/math-cell';
import { linkProblem, type SiteMap } from './site';

export { suggest } from './suggest';

/** Each line of a math cell that would show an error on the page, by its 1-based line within the cell. */
export function mathProblems(source: string): { line: number; reason: string }[] {
	return evaluateMathCell(parseMathCell(source)).flatMap((r) => (r.error === null ? [] : [{ line: r.line, reason: r.error }]));
}

/** Where links are resolved: a lesson page's address, on a host that is never the site's own. */
const SITE = 'https://lesson.invalid';

/** What a lesson's links are checked against: the lessons' slugs and, when known, the rest of the site. */
export interface LinkTargets {
	slugs: ReadonlySet<string>;
	/** The site's pages, endpoints and static files; without it only links under `/lessons/` are checked. */
	site?: SiteMap;
}

/**
 * Links and images in parsed prose that point inside the site (absolute, or relative to lesson `from`'s page) at
 * an address nothing answers: a lesson that does not exist, a page of the site or a file of static/ that does not.
 * With `onSheet` (an exercise's prompt, which the exercise sheet `/lessons/SLUG/sheet` shows too) a relative address
 * must work from the sheet as well. External links (a scheme such as https: or mailto:, or `//host`) and `#anchors`
 * are not checked. Returns the 0-based line of each in `lines`, and why.
 */
export function brokenLinks(
	tokens: readonly Token[],
	lines: readonly string[],
	from: string,
	targets: LinkTargets,
	onSheet = false
): { line: number; reason: string }[] {
	const found: { line: number; reason: string }[] = [];
	let range: readonly number[] = [0, 0];
	for (const block of tokens) {
		if (block.map) range = block.map;
		if (block.type !== 'inline') continue;
		for (const child of block.children ?? []) {
			const attr = child.type === 'link_open' ? child.attrGet('href') : child.type === 'image' ? child.attrGet('src') : null;
			if (attr === null) continue;
			const href = String(attr);
			// Links with a scheme (https:, mailto:) leave the site; unsafe ones were already turned into text.
			if (href.startsWith('#') || /^\s*[a-z][a-z0-9+.-]*:/i.test(href)) continue;
			const page = `/lessons/${from}`;
			const onPage = resolve(href, page);
			if (onPage === null) continue;
			let why = linkProblem(onPage, targets.slugs, targets.site);
			const onTheSheet = onSheet && why === null ? resolve(href, `${page}/sheet`) : null;
			if (onTheSheet !== null && linkProblem(onTheSheet, targets.slugs, targets.site) !== null) {
				why = `on the exercise sheet ${page}/sheet, which shows this prompt too, it leads to "${onTheSheet}": write it from the site's root, "${onPage}"`;
			}
			if (why === null) continue;
			const at = lines.slice(range[0], range[1]).findIndex((l) => l.includes(href));
			const what = child.type === 'image' ? 'image' : 'link';
			found.push({ line: range[0] + Math.max(at, 0), reason: `the ${what} "${href}" goes nowhere: ${why}` });
		}
	}
	return found;
}

/** The site path `href` leads to from page `page` (decoded, without query, hash or a trailing "/"), or null when it leaves the site. */
function resolve(href: string, page: string): string | null {
	const url = new URL(href, `${SITE}${page}`);
	return url.origin === SITE ? decodePath(url.pathname).replace(/(.)\/$/, '$1') : null;
}

/** A URL's path with its %-escapes decoded, as the prerenderer and `static/` name it; left as is if malformed. */
function decodePath(path: string): string {
	try {
		return decodeURI(path);
	} catch {
		return path;
	}
}
