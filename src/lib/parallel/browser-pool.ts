import { createWorkerPool, type WorkerPort, type WorkerPool } from './pool';

/** Each worker holds a full copy of the model and its data; past 8, that memory buys little speed for models this small. */
const MAX_BROWSER_WORKERS = 8;

/** Start one browser Worker running `worker.ts`. */
export function spawnBrowserWorker(index: number): WorkerPort {
	const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `glance-worker-${index}` });
	return {
		post: (message, transfer) => worker.postMessage(message, transfer),
		listen(onMessage, onDeath) {
			worker.onmessage = (event) => onMessage(event.data);
			worker.onerror = (event) => {
				// Handled here, as a fault reported to the trainer; left alone it would also reach the console.
				event.preventDefault();
				onDeath(event.message || 'its script failed to load or threw outside a request');
			};
			worker.onmessageerror = () => onDeath('a message from it could not be deserialised');
		},
		terminate: () => worker.terminate()
	};
}

/** One worker per core but one, which stays with the page, capped at `MAX_BROWSER_WORKERS`. */
export function defaultBrowserPoolSize(): number {
	const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
	return Math.min(MAX_BROWSER_WORKERS, Math.max(1, cores - 1));
}

/** A pool of browser Workers; create it once and reuse it for every training run. */
export function createBrowserPool(size = defaultBrowserPoolSize()): WorkerPool {
	return createWorkerPool(size, spawnBrowserWorker);
}
