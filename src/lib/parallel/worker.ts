/**
 * Browser Worker entry: the shared handler over the app's spec table. Started by
 * `spawnBrowserWorker` as `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`,
 * which Vite bundles as a separate chunk.
 */
import type { ToWorker } from './protocol';
import { appSpecs } from './specs';
import { createWorkerHandler } from './worker-handler';

/** The part of `DedicatedWorkerGlobalScope` used here; the project's types are the page's (DOM), not a worker's. */
interface WorkerScope {
	onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
	postMessage(message: unknown, transfer: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
const handle = createWorkerHandler(appSpecs);
scope.onmessage = (event) => {
	const { message, transfer } = handle(event.data);
	scope.postMessage(message, transfer);
};
