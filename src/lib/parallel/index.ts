// What a page or a browser Worker imports. Node-only modules are imported by path:
// node-pool (worker_threads), node-bundle (rolldown) and node-worker (the thread's body).
export type * from './protocol';
export { REPLY_TYPE } from './protocol';
export { createWorkerPool, WorkerFault, type WorkerPool, type WorkerPort, type Spawn } from './pool';
export { createBrowserPool, spawnBrowserWorker, defaultBrowserPoolSize } from './browser-pool';
export { createWorkerHandler, type Outgoing } from './worker-handler';
export { DataParallelTrainer, type DataParallelOptions, type TrainSnapshot } from './data-parallel';
export { canShareMemory, splitContiguous } from './exchange';
export { ensureCrossOriginIsolation, type IsolationState } from './isolation';
export { appSpecs } from './specs';
