/**
 * Reads the site's addresses from disk for the lesson lint: every route under `src/routes` and every file
 * under `static/`. Node only (it uses `node:fs`): `lessons.ts` calls it at prerender, in `npm run dev` and
 * in the tests, where the working directory is the project's root.
 *
 * @example
 * readSite().pages; // ['/', '/lessons/[slug]', '/lessons/[slug]/sheet', '/playground']
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SiteMap } from './site';

const PAGE = /^\+page(@[^.]*)?\.(svelte|ts|js)$|^\+page\.server\.(ts|js)$/;
const ENDPOINT = /^\+server\.(ts|js)$/;

/** Every file under `dir`, as `/`-separated paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
		entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]
	);
}

/** The route a file under `src/routes` belongs to: its folder, without `(group)` folders. */
function routeOf(file: string): string {
	const parts = file.split('/').slice(0, -1);
	return `/${parts.filter((p) => !/^\(.*\)$/.test(p)).join('/')}`;
}

/**
 * The site's pages, endpoints and static files, read from `root`'s `src/routes` and `static/`. Throws when
 * `root` has no `src/routes`, because every link would then look broken.
 */
export function readSite(root: string = process.cwd()): SiteMap {
	const routes = join(root, 'src', 'routes');
	if (!existsSync(routes))
		throw new Error(`cannot check the lessons' links: there is no src/routes in ${root} (run from the project's root)`);
	const found = filesUnder(routes);
	const of = (kind: RegExp) => [...new Set(found.filter((f) => kind.test(f.split('/').at(-1)!)).map(routeOf))].sort();
	const assets = join(root, 'static');
	return { pages: of(PAGE), endpoints: of(ENDPOINT), files: existsSync(assets) ? filesUnder(assets).sort() : [] };
}
