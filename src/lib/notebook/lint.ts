/**
 * Checks on a lesson beyond its syntax, for the loader: a "did you mean" for misspelt names, math
 * cells that would show an error, and links to lesson pages that do not exist. UI-free.
 *
 * @example
 * suggest('clasification', ['classification', 'tracking']); // ' (did you mean "classification"?)'
 */
import type { Token } from 'markdown-it';
import { evaluateMathCell, parseMathCell } from './math/math-cell';

/** Edit distance between `a` and `b` (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const next = [i];
		for (let j = 1; j <= b.length; j++) next[j] = Math.min(prev[j] + 1, next[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		prev = next;
	}
	return prev[b.length];
}

/** ` (did you mean "X"?)` for the option closest to `word` when it is a likely typo of it, else ''. */
export function suggest(word: string, options: readonly string[]): string {
	const lower = word.toLowerCase();
	let best: string | null = null;
	let bestDistance = Infinity;
	for (const option of options) {
		const d = distance(lower, option.toLowerCase());
		if (d < bestDistance) [best, bestDistance] = [option, d];
	}
	const other = best?.toLowerCase() ?? '';
	// A typo is a few edits away, or the same word with a part added or left off ("attention-map", "sharpen").
	const close =
		bestDistance <= Math.max(1, Math.floor(word.length / 4)) || (other !== '' && (lower.includes(other) || other.includes(lower)));
	return best !== null && best !== word && close ? ` (did you mean "${best}"?)` : '';
}

/** Each line of a math cell that would show an error on the page, by its 1-based line within the cell. */
export function mathProblems(source: string): { line: number; reason: string }[] {
	return evaluateMathCell(parseMathCell(source)).flatMap((r) => (r.error === null ? [] : [{ line: r.line, reason: r.error }]));
}

/** The site's address for a lesson page; links in a lesson resolve against it. */
const SITE = 'https://lesson.invalid';

/**
 * Links and images in parsed prose that point at a lesson page (`/lessons/SLUG` or `/lessons/SLUG/sheet`,
 * absolute or relative to lesson `from`) that is not one of `slugs`: the 0-based line of each in `lines`, and why.
 */
export function brokenLessonLinks(
	tokens: readonly Token[],
	lines: readonly string[],
	from: string,
	slugs: ReadonlySet<string>
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
			const path = new URL(href, `${SITE}/lessons/${from}`).pathname.replace(/\/$/, '');
			const [root, slug, ...rest] = path.split('/').filter(Boolean);
			if (root !== 'lessons' || slug === undefined) continue;
			const known = slugs.has(slug);
			if (known && (rest.length === 0 || (rest.length === 1 && rest[0] === 'sheet'))) continue;
			const why = known
				? `a lesson has no page "${rest.join('/')}" (its pages are /lessons/${slug} and /lessons/${slug}/sheet)`
				: `there is no lesson "${slug}"${suggest(slug, [...slugs])}; a lesson's address is its folder name without the number`;
			const at = lines.slice(range[0], range[1]).findIndex((l) => l.includes(href));
			found.push({ line: range[0] + Math.max(at, 0), reason: `the link "${href}" goes nowhere: ${why}` });
		}
	}
	return found;
}
