import { sveltekit } from '@sveltejs/kit/vite';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * COOP + COEP make the page cross-origin isolated, so Workers can share SharedArrayBuffers.
 * SvelteKit answers page and `static/` requests itself, which `server.headers` never reaches,
 * so the headers go on every response from a middleware that runs first.
 */
function crossOriginIsolation(): Plugin {
	const isolate: Connect.NextHandleFunction = (_req, res, next) => {
		res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
		res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		next();
	};
	return {
		name: 'glance:cross-origin-isolation',
		configureServer: (server) => void server.middlewares.use(isolate),
		configurePreviewServer: (server) => void server.middlewares.use(isolate)
	};
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit()],
	build: {
		rolldownOptions: {
			// SvelteKit prerenders inside a bundle hook, which rolldown would report as a slow plugin on every build.
			checks: { bundlerTimings: false },
			// Module.toString() prints class names, as PyTorch's repr does, so minification must keep them.
			output: { keepNames: true }
		}
	},
	test: {
		include: ['tests/**/*.test.ts'],
		exclude: ['tests/e2e/**', 'node_modules/**'],
		setupFiles: ['tests/setup.ts'],
		environment: 'node',
		// CI machines have 2 cores; forks isolate typed-array-heavy tests without thread contention.
		pool: 'forks',
		maxWorkers: 2
	}
});
