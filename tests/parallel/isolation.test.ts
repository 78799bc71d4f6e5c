import { afterEach, describe, expect, it, vi } from 'vitest';
import { RELOADED_KEY, ensureCrossOriginIsolation } from '$lib/parallel/isolation';

/** A page that is not isolated, with a service worker container and session storage. */
function stubPage(opts: { isolated?: boolean; register?: () => Promise<unknown> } = {}) {
	const storage = new Map<string, string>();
	const register = vi.fn(opts.register ?? (() => Promise.resolve({})));
	const reload = vi.fn();
	vi.stubGlobal('crossOriginIsolated', opts.isolated ?? false);
	vi.stubGlobal('isSecureContext', true);
	vi.stubGlobal('navigator', { serviceWorker: { register, ready: Promise.resolve({}) } });
	vi.stubGlobal('sessionStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) });
	vi.stubGlobal('location', { reload });
	return { register, reload, storage };
}

afterEach(() => vi.unstubAllGlobals());

describe('ensureCrossOriginIsolation', () => {
	it('does nothing on a page that is isolated already', async () => {
		const page = stubPage({ isolated: true });
		expect(await ensureCrossOriginIsolation('/coi-sw.js')).toBe('isolated');
		expect(page.register).not.toHaveBeenCalled();
	});

	it('registers the service worker and reloads once, never twice in a session', async () => {
		const page = stubPage();
		expect(await ensureCrossOriginIsolation('/base/coi-sw.js')).toBe('reloading');
		expect(page.register).toHaveBeenCalledWith('/base/coi-sw.js');
		expect(page.reload).toHaveBeenCalledTimes(1);
		expect(page.storage.get(RELOADED_KEY)).toBe('1');
		// After the reload the page is still not isolated (a browser that ignores the headers).
		expect(await ensureCrossOriginIsolation('/base/coi-sw.js')).toBe('unavailable');
		expect(page.reload).toHaveBeenCalledTimes(1);
	});

	it('gives up quietly, without reloading, where service workers are missing or refused', async () => {
		const refused = stubPage({ register: () => Promise.reject(new Error('SecurityError')) });
		expect(await ensureCrossOriginIsolation('/coi-sw.js')).toBe('unavailable');
		expect(refused.reload).not.toHaveBeenCalled();
		vi.stubGlobal('navigator', {});
		expect(await ensureCrossOriginIsolation('/coi-sw.js')).toBe('unavailable');
		vi.stubGlobal('navigator', { serviceWorker: {} });
		vi.stubGlobal('isSecureContext', false);
		expect(await ensureCrossOriginIsolation('/coi-sw.js')).toBe('unavailable');
	});
});
