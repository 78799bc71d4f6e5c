// Cross-origin isolation for hosts that cannot set response headers (GitHub Pages and the like).
// Registered by `ensureCrossOriginIsolation` (src/lib/parallel/isolation.ts) only when the page is
// not isolated already. It re-serves every same-origin response with COOP and COEP added, which
// lets the page, and the Workers it starts, share memory (SharedArrayBuffer) with each other.
// Cross-origin requests pass through untouched; the app loads none.

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

const ISOLATION_HEADERS = {
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Cross-Origin-Embedder-Policy': 'require-corp'
};

// Take over at once: the page that registered this reloads once to get isolated headers.
sw.addEventListener('install', () => sw.skipWaiting());
sw.addEventListener('activate', (event) => event.waitUntil(sw.clients.claim()));

/** @param {Response} response */
function isolate(response) {
	// Opaque responses (redirects a navigation must follow itself, no-cors fetches) cannot be rebuilt.
	if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
	const headers = new Headers(response.headers);
	for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET' || new URL(request.url).origin !== sw.location.origin) return;
	// Chrome rejects these when replayed from a service worker (crbug.com/823392).
	if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
	event.respondWith(fetch(request).then(isolate));
});
