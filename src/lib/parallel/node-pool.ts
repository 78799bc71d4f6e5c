import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createWorkerPool, type Spawn, type WorkerPool } from './pool';

/**
 * Spawn Node worker threads running `script`, a bundle made by `bundleNodeWorker`. Threads keep
 * the process alive until the pool is terminated.
 *
 * @example
 * const pool = createWorkerPool(2, nodeSpawner(await bundleNodeWorker({ specsModule, outFile })));
 */
export function nodeSpawner(script: URL | string): Spawn {
	return (index) => {
		const worker = new Worker(script, { name: `glance-worker-${index}` });
		return {
			post: (message, transfer) => worker.postMessage(message, transfer),
			listen(onMessage, onDeath) {
				worker.on('message', onMessage);
				worker.on('error', (err) => onDeath(`uncaught ${err.name}: ${err.message}`));
				worker.on('messageerror', () => onDeath('a message from it could not be deserialised'));
				worker.on('exit', (code) => onDeath(`it exited with code ${code}`));
			},
			terminate: () => void worker.terminate()
		};
	};
}

/** One worker per core but one, which stays with the coordinator (at least one worker). */
export function defaultNodePoolSize(): number {
	return Math.max(1, availableParallelism() - 1);
}

/** A pool of Node worker threads running the bundle at `script`. */
export function createNodePool(script: URL | string, size = defaultNodePoolSize()): WorkerPool {
	return createWorkerPool(size, nodeSpawner(script));
}
