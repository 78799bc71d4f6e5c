import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { describeHttpError } from './src/lib/notebook/prerender-errors.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		prerender: {
			// A link to an address the site does not answer fails the build, naming the page and, for a lesson, the file and line.
			handleHttpError: (details) => {
				throw new Error(describeHttpError(details));
			}
		},
		typescript: {
			// Lesson checks live outside src/ (lessons are content) but import $lib, so they are type-checked with it.
			config: (tsconfig) => ({ ...tsconfig, include: [...tsconfig.include, '../lessons/**/*.ts'] })
		}
	}
};

export default config;
