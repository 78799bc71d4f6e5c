// App-wide types for SvelteKit (https://svelte.dev/docs/kit/types#app.d.ts); Glance needs none yet.
declare global {
	namespace App {}
}

export {};
