import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rolldown } from 'rolldown';

export interface NodeWorkerBundleOptions {
	/** Absolute path of a module that exports the spec table the workers build from. */
	specsModule: string;
	/** The table's export name. */
	exportName?: string;
	/** Where to write the bundle (an `.mjs` file). */
	outFile: string;
	/** Import aliases; `$lib` always points at this `src/lib`, as in SvelteKit. */
	alias?: Record<string, string>;
}

const ENTRY = '\0glance-node-worker-entry';

/**
 * Bundle a Node worker-thread script: `startNodeWorker` over the spec table exported by
 * `specsModule`, with all their TypeScript compiled into one ES module. Node 20 cannot start a
 * worker thread from TypeScript: tsx's hooks do not reach a thread given `--import tsx`, and
 * registering them inside each thread costs seconds of start-up per thread, transforming every
 * module again. A bundle is a plain file any thread starts at once, built in under half a second
 * by rolldown (the bundler Vite runs on). Returns the file's URL, for `nodeSpawner`.
 *
 * @example
 * const script = await bundleNodeWorker({ specsModule: resolve('src/lib/parallel/specs.ts'), exportName: 'appSpecs', outFile });
 * const pool = createNodePool(script, 2);
 */
export async function bundleNodeWorker(options: NodeWorkerBundleOptions): Promise<URL> {
	const here = dirname(fileURLToPath(import.meta.url));
	const runtime = `${here}/node-worker.ts`;
	const source = [
		`import { ${options.exportName ?? 'specs'} as specs } from ${JSON.stringify(options.specsModule)};`,
		`import { startNodeWorker } from ${JSON.stringify(runtime)};`,
		'startNodeWorker(specs);'
	].join('\n');
	const bundle = await rolldown({
		input: ENTRY,
		platform: 'node',
		resolve: { alias: { $lib: dirname(here), ...options.alias } },
		logLevel: 'warn',
		plugins: [
			{ name: 'glance:node-worker-entry', resolveId: (id) => (id === ENTRY ? id : null), load: (id) => (id === ENTRY ? source : null) }
		]
	});
	try {
		await bundle.write({ file: options.outFile, format: 'esm' });
	} finally {
		await bundle.close();
	}
	return pathToFileURL(options.outFile);
}
