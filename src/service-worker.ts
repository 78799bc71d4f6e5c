/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The site's one service worker, registered by SvelteKit (and by `ensureCrossOriginIsolation`,
 * src/lib/parallel/isolation.ts, which reloads once so a first visit is served through it). Two jobs:
 *
 * - Offline: on install it stores this build's files, the `static/` files and every prerendered
 *   page in a cache named after the build's version, and deletes older versions' caches once it
 *   takes over. Hashed build files and static files are served cache-first (falling back to the
 *   network). Pages and their data are served network-first, so a new deploy shows at once, and
 *   from the cache when the network fails: once a page has loaded, the whole site works offline.
 * - Cross-origin isolation on hosts that cannot set headers (GitHub Pages and the like): every
 *   same-origin response it serves, cached or not, gets COOP and COEP, which lets the page and
 *   its Workers share memory (SharedArrayBuffer). Cross-origin requests pass through untouched.
 */
import { build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** One cache per build: a new deploy installs its own and drops the old one. */
const CACHE = `glance-${version}`;
/** Immutable build files and static files: cache-first. */
const ASSETS = new Set([...build, ...files]);
const PRECACHE = [...ASSETS, ...prerendered];

const ISOLATION_HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};

sw.addEventListener('install', (event) => {
	// Take over at once: the page that registered this reloads once to get isolated headers.
	event.waitUntil(
		caches
			.open(CACHE)
			.then((cache) => cache.addAll(PRECACHE))
			.then(() => sw.skipWaiting())
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
			.then(() => sw.clients.claim())
	);
});

/** The response with COOP and COEP added. Opaque responses (redirects, no-cors fetches) cannot be rebuilt. */
function isolate(response: Response): Response {
	if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
	const headers = new Headers(response.headers);
	for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function cacheFirst(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: CACHE });
	return cached ?? fetch(request);
}

/** The network's answer (kept for offline use when it is a complete success), else the cached copy. */
async function networkFirst(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		if (response.status === 200 && response.type === 'basic') {
			const copy = response.clone();
			void caches.open(CACHE).then((cache) => cache.put(request, copy));
		}
		return response;
	} catch (err) {
		// A page's address may carry a query (`?solutions=1`): the prerendered page is the same file.
		const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: request.mode === 'navigate' });
		if (cached) return cached;
		throw err;
	}
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	const url = new URL(request.url);
	if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
	// Chrome rejects these when replayed from a service worker (crbug.com/823392).
	if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
	// Partial content is not cached; let the browser handle it.
	if (request.headers.has('range')) return;
	const serve = ASSETS.has(url.pathname) ? cacheFirst(request) : networkFirst(request);
	event.respondWith(serve.then(isolate));
});
