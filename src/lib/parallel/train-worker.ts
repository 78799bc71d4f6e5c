/**
 * The training Worker's entry: a `TrainSession` wired to `onmessage`. Started by `spawnTrainWorker`
 * as `new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' })`, which Vite
 * bundles as its own chunk; with two or more workers the session starts a nested pool of
 * `worker.ts` Workers from here, so the page's thread never trains.
 */
import { createBrowserPool } from './browser-pool';
import type { FromSession, ToSession } from './train-protocol';
import { TrainSession } from './train-session';

/** The part of `DedicatedWorkerGlobalScope` used here; the project's types are the page's (DOM), not a worker's. */
interface WorkerScope {
	onmessage: ((event: MessageEvent<ToSession>) => void) | null;
	postMessage(message: FromSession): void;
}

const scope = globalThis as unknown as WorkerScope;
// Parameters are copied, not transferred: detaching any buffer slows this isolate's typed-array loops (see worker-handler.ts).
const session = new TrainSession({ post: (message) => scope.postMessage(message), createPool: createBrowserPool });
scope.onmessage = (event) => void session.handle(event.data);
