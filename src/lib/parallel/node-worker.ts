import { parentPort } from 'node:worker_threads';
import type { SpecTable } from '../train/model-spec';
import type { ToWorker } from './protocol';
import { createWorkerHandler } from './worker-handler';

/**
 * The body of a Node worker thread: answer every request with the shared handler. Node cannot
 * load this TypeScript directly, so `bundleNodeWorker` bundles it with a spec table into one
 * JavaScript file that `nodeSpawner` starts.
 */
export function startNodeWorker(specs: SpecTable): void {
	const port = parentPort;
	if (!port) throw new Error('startNodeWorker: not running in a worker thread');
	const handle = createWorkerHandler(specs);
	port.on('message', (msg: ToWorker) => {
		const { message, transfer } = handle(msg);
		port.postMessage(message, transfer);
	});
}
