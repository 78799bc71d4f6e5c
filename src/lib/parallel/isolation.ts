/** The outcome of `ensureCrossOriginIsolation`. */
export type IsolationState = 'isolated' | 'reloading' | 'unavailable';

/** Marks, for the tab's session, that the page already reloaded once to get isolated: a second try would loop. */
export const RELOADED_KEY = 'glance:coi-reloaded';

interface PageGlobals {
	crossOriginIsolated?: boolean;
	isSecureContext?: boolean;
	navigator?: { serviceWorker?: Pick<ServiceWorkerContainer, 'register' | 'ready'> };
	sessionStorage?: Pick<Storage, 'getItem' | 'setItem'>;
	location?: Pick<Location, 'reload'>;
}

/**
 * Make the page cross-origin isolated, so workers can share memory with it, on hosts that
 * cannot send COOP/COEP headers: register the site's service worker (`src/service-worker.ts`, served
 * as `service-worker.js`), which adds them, and reload once so the page is served through it.
 * (SvelteKit registers the same worker on every page for offline use; registering it twice is harmless.) Returns at once when the page is
 * isolated already (the dev and preview servers send the headers). Nothing here is required:
 * when isolation cannot be had, training uses transferred buffers instead, so every failure
 * resolves to 'unavailable' quietly rather than reaching the console.
 *
 * At most one reload per tab session, so a browser that ignores the service worker's headers
 * (or a hard reload, which bypasses it) cannot cause a loop.
 *
 * @example
 * onMount(() => void ensureCrossOriginIsolation(asset('/service-worker.js')));
 */
export async function ensureCrossOriginIsolation(serviceWorkerUrl: string): Promise<IsolationState> {
	const page = globalThis as PageGlobals;
	if (page.crossOriginIsolated) return 'isolated';
	const container = page.navigator?.serviceWorker;
	if (!page.isSecureContext || !container || !page.sessionStorage || !page.location) return 'unavailable';
	try {
		// Storage access throws in sandboxed frames and with some privacy settings.
		if (page.sessionStorage.getItem(RELOADED_KEY) !== null) return 'unavailable';
		await container.register(serviceWorkerUrl);
		await container.ready;
		page.sessionStorage.setItem(RELOADED_KEY, '1');
	} catch {
		return 'unavailable';
	}
	page.location.reload();
	return 'reloading';
}
