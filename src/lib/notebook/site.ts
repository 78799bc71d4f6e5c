/**
 * The site's own addresses, for checking the links in a lesson: the routes under `src/routes` (pages, and
 * endpoints such as `solutions.json`) and the files under `static/`, which are served from the site's root.
 * Pure: `site-files.ts` reads them from disk. The site has no `paths.base` (svelte.config.js sets none), so
 * an address in a lesson is the path from the site's root, `/playground`, exactly as the prerenderer crawls it.
 *
 * @example
 * const site = { pages: ['/', '/playground', '/lessons/[slug]'], endpoints: [], files: ['favicon.svg'] };
 * linkProblem('/playgrond', new Set(['intro']), site); // 'the site has no page "/playgrond" (did you mean "/playground"?); …'
 */
import { closest, suggest } from './suggest';

/** What a lesson may link to inside the site. */
export interface SiteMap {
	/** Routes with a page, as patterns: `/`, `/playground`, `/lessons/[slug]`, `/lessons/[slug]/sheet`. */
	pages: readonly string[];
	/** Routes that answer without a page (a `+server.ts`), such as `/lessons/[slug]/sheet/solutions.json`. */
	endpoints: readonly string[];
	/** Files in `static/`, by their path inside it: `favicon.svg`, `figures/clip.png`. */
	files: readonly string[];
}

/** The lesson pages alone: what is checked when the rest of the site is not known. */
const LESSON_ROUTES = ['/lessons/[slug]', '/lessons/[slug]/sheet'];
/** The route parameter that takes a lesson's slug; any other parameter takes any value. */
const SLUG_PARAM = 'slug';
const LESSON_PREFIX = `/lessons/[${SLUG_PARAM}]`;

const segmentsOf = (path: string) => path.split('/').filter(Boolean);
const paramOf = (part: string) => /^\[(\w+)(?:=\w+)?\]$/.exec(part)?.[1];

/** Whether route `pattern` (`/lessons/[slug]/sheet`) answers `path`'s `segments`, with `[slug]` one of `slugs`. */
function matches(pattern: string, segments: readonly string[], slugs: ReadonlySet<string>): boolean {
	const parts = segmentsOf(pattern);
	const from = (i: number, j: number): boolean => {
		if (i === parts.length) return j === segments.length;
		const part = parts[i];
		if (/^\[\.\.\.\w+(?:=\w+)?\]$/.test(part)) return segments.slice(j).some((_, k) => from(i + 1, j + k)) || from(i + 1, segments.length);
		if (/^\[\[\w+(?:=\w+)?\]\]$/.test(part)) return from(i + 1, j) || (j < segments.length && from(i + 1, j + 1));
		if (j >= segments.length) return false;
		const param = paramOf(part);
		if (param) return (param !== SLUG_PARAM || slugs.has(segments[j])) && from(i + 1, j + 1);
		// A segment that mixes text and parameters (`clip-[n].png`) matches any value for each parameter.
		const text = part.includes('[')
			? new RegExp(`^${part.replace(/[.*+?^${}()|\\]/g, '\\$&').replace(/\[[^\]]*\]/g, '[^/]+')}$`).test(segments[j])
			: part === segments[j];
		return text && from(i + 1, j + 1);
	};
	return from(0, 0);
}

/** Each route as concrete addresses, with `[slug]` as each lesson; routes with other parameters are left out. */
function addresses(routes: readonly string[], slugs: ReadonlySet<string>): string[] {
	return routes.flatMap((r) => {
		const params = segmentsOf(r).filter((p) => p.includes('['));
		if (params.length === 0) return [r];
		if (params.length === 1 && paramOf(params[0]) === SLUG_PARAM) return [...slugs].map((s) => r.replace(params[0], s));
		return [];
	});
}

/** A route as a teacher reads it: `/lessons/[slug]` as `/lessons/SLUG`, an optional `[[page]]` as `[PAGE]`, a rest `[...path]` as `PATH...`. */
const shown = (route: string) =>
	route.replace(
		/\[\[(\w+)(?:=\w+)?\]\]|\[\.\.\.(\w+)(?:=\w+)?\]|\[(\w+)(?:=\w+)?\]/g,
		(_, optional?: string, rest?: string, name?: string) =>
			optional ? `[${optional.toUpperCase()}]` : rest ? `${rest.toUpperCase()}...` : name!.toUpperCase()
	);

/** A list for a message: `a`, `a and b`, `a, b and c`. */
const listed = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * Why a link to `path` (decoded, from the site's root, without query or hash) goes nowhere, or null when the site
 * answers it. Without `site` only links under `/lessons/` are checked. `slugs` are the lessons' slugs.
 */
export function linkProblem(path: string, slugs: ReadonlySet<string>, site?: SiteMap): string | null {
	const segments = segmentsOf(path);
	const routes = site ? [...site.pages, ...site.endpoints] : LESSON_ROUTES;
	if (site?.files.includes(segments.join('/'))) return null;
	if (routes.some((r) => matches(r, segments, slugs))) return null;

	const [root, slug, ...rest] = segments;
	if (root === 'lessons' && slug !== undefined && routes.some((r) => r.startsWith(LESSON_PREFIX))) {
		if (!slugs.has(slug)) {
			return `there is no lesson "${slug}"${suggest(slug, [...slugs])}; a lesson's address is its folder name without the number`;
		}
		const own = (list: readonly string[]) => list.filter((r) => r.startsWith(LESSON_PREFIX)).map((r) => r.replace(`[${SLUG_PARAM}]`, slug));
		const pages = own(site ? site.pages : LESSON_ROUTES);
		// Compared by the part after the lesson's address, so that the shared part does not make any two look alike.
		const lessonPage = `/lessons/${slug}`;
		const near = closest(
			rest.join('/'),
			own(routes).flatMap((r) => (r === lessonPage ? [] : [r.slice(lessonPage.length + 1)]))
		);
		return `a lesson has no page "${rest.join('/')}"${near ? ` (did you mean "${lessonPage}/${near}"?)` : ''}; its pages are ${listed(pages)}`;
	}
	if (!site) return null;

	const isFile = /\.[a-z0-9]+$/i.test(segments.at(-1) ?? '');
	const files = site.files.map((f) => `/${f}`);
	// Compared without the leading "/", which every address shares; the root page "/" is never a useful "did you mean".
	const candidates = isFile ? [...files, ...addresses(site.endpoints, slugs)] : [...addresses(routes, slugs), ...files];
	const near = closest(segments.join('/'), candidates.map((c) => c.slice(1)).filter(Boolean));
	const meant = near ? ` (did you mean "/${near}"?)` : '';
	if (isFile) {
		const example = site.files[0] ?? 'picture.png';
		return `there is no file "static/${segments.join('/')}"${meant}; files in static/ are served from the site's root, so static/${example} is /${example}`;
	}
	const pages = site.pages.map(shown);
	const under = pages.filter((p) => p.startsWith(`${path}/`));
	if (under.length) return `the site has no page "${path}", only pages under it: ${listed(under)}`;
	return `the site has no page "${path}"${meant}; its pages are ${listed(pages)}`;
}
