import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter(),
		typescript: {
			// Lesson checks live outside src/ (lessons are content) but import $lib, so they are type-checked with it.
			config: (tsconfig) => ({ ...tsconfig, include: [...tsconfig.include, '../lessons/**/*.ts'] })
		}
	}
};

export default config;
