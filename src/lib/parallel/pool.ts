import { REPLY_TYPE, type FromWorker, type ReplyTo, type ToWorker, type WorkerReply, type WorkerRequest } from './protocol';

/**
 * One worker as the pool sees it, whatever runs it: `spawnBrowserWorker` wraps a browser
 * `Worker`, `nodeSpawner` a Node `worker_threads` Worker.
 */
export interface WorkerPort {
	post(message: ToWorker, transfer: ArrayBuffer[]): void;
	/** Route the worker's messages, and its death (a crash, an exit, a script that failed to load), to these. */
	listen(onMessage: (message: FromWorker) => void, onDeath: (reason: string) => void): void;
	terminate(): void;
}

/** Start worker number `index` of a pool. */
export type Spawn = (index: number) => WorkerPort;

/** A request that failed in a worker: it threw (the worker still runs) or the worker died. */
export class WorkerFault extends Error {
	constructor(
		readonly worker: number,
		readonly kind: 'threw' | 'died',
		readonly reason: string
	) {
		super(`worker ${worker} ${kind === 'threw' ? 'threw' : 'died'}: ${reason}`);
		this.name = 'WorkerFault';
	}
}

/**
 * A fixed number of long-lived workers. Each is started once and reused for every request
 * and every training session until it dies, is replaced or the pool is terminated, because
 * starting one (loading the bundle, building a replica and its data) costs far more than a step.
 *
 * @example
 * const pool = createWorkerPool(2, spawnBrowserWorker);
 * const pong = await pool.request(0, { type: 'ping' });
 */
export interface WorkerPool {
	readonly size: number;
	/** Send `body` to worker `index` and wait for its reply; rejects with a `WorkerFault`. A dead worker is replaced first. */
	request<T extends WorkerRequest>(index: number, body: T, transfer?: ArrayBuffer[]): Promise<ReplyTo<T['type']>>;
	/** Which start of worker `index` is (or will next be) serving: it changes whenever the worker is replaced. */
	instance(index: number): number;
	/** Terminate worker `index` (failing its pending requests) and start a fresh one; if that fails, the next request retries. */
	replace(index: number): void;
	/** Terminate every worker; pending and later requests fail. */
	terminate(): void;
}

interface Pending {
	resolve(reply: WorkerReply): void;
	reject(fault: WorkerFault): void;
	expects: FromWorker['type'];
}

interface Slot {
	port: WorkerPort | null;
	instance: number;
	pending: Map<number, Pending>;
}

/**
 * The one pool implementation: what differs between browsers and Node is only how a worker
 * is spawned. Dead workers are replaced lazily, on the next request or `replace`, so a script
 * that cannot start fails one request at a time instead of respawning in a loop.
 */
export function createWorkerPool(size: number, spawn: Spawn): WorkerPool {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`createWorkerPool: size must be an integer ≥ 1, got ${size}`);
	let nextId = 1;
	let instances = 0;
	let terminated = false;
	const slots: Slot[] = Array.from({ length: size }, () => ({ port: null, instance: ++instances, pending: new Map() }));

	const failAll = (slot: Slot, fault: WorkerFault) => {
		const pending = [...slot.pending.values()];
		slot.pending.clear();
		for (const p of pending) p.reject(fault);
	};

	const start = (index: number): WorkerPort => {
		const slot = slots[index];
		const port = spawn(index);
		slot.port = port;
		port.listen(
			(message) => {
				if (slot.port !== port) return;
				const pending = slot.pending.get(message.id);
				if (!pending) return;
				slot.pending.delete(message.id);
				if (message.type === 'error') pending.reject(new WorkerFault(index, 'threw', message.message));
				else if (message.type !== pending.expects)
					pending.reject(new WorkerFault(index, 'threw', `replied ${message.type} to a request expecting ${pending.expects}`));
				else pending.resolve(message);
			},
			(reason) => {
				// A replaced worker's last words concern requests that already failed.
				if (slot.port !== port) return;
				port.terminate();
				slot.port = null;
				slot.instance = ++instances;
				failAll(slot, new WorkerFault(index, 'died', reason));
			}
		);
		return port;
	};

	const check = (index: number) => {
		if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`worker index ${index} is not in [0, ${size})`);
	};

	for (let i = 0; i < size; i++) start(i);

	return {
		size,
		request<T extends WorkerRequest>(index: number, body: T, transfer: ArrayBuffer[] = []) {
			check(index);
			if (terminated) return Promise.reject(new WorkerFault(index, 'died', 'the pool was terminated'));
			const slot = slots[index];
			let port: WorkerPort;
			try {
				port = slot.port ?? start(index);
			} catch (err) {
				return Promise.reject(new WorkerFault(index, 'died', `could not start: ${err instanceof Error ? err.message : String(err)}`));
			}
			const id = nextId++;
			return new Promise<ReplyTo<T['type']>>((resolve, reject) => {
				const expects = REPLY_TYPE[body.type as T['type']];
				// The reply's type was checked against `expects` before this runs.
				slot.pending.set(id, { resolve: (reply) => resolve(reply as ReplyTo<T['type']>), reject, expects });
				try {
					port.post({ ...body, id } as ToWorker, transfer);
				} catch (err) {
					// Nothing reached the worker (a config that cannot be cloned, a detached buffer): the caller's error, not the worker's.
					slot.pending.delete(id);
					reject(err);
				}
			});
		},
		instance(index) {
			check(index);
			return slots[index].instance;
		},
		replace(index) {
			check(index);
			if (terminated) return;
			const slot = slots[index];
			slot.port?.terminate();
			slot.port = null;
			slot.instance = ++instances;
			failAll(slot, new WorkerFault(index, 'died', 'it was replaced'));
			try {
				start(index);
			} catch {
				// Left dead: the next request tries to start it again and reports why it cannot.
				slot.port = null;
			}
		},
		terminate() {
			if (terminated) return;
			terminated = true;
			slots.forEach((slot, i) => {
				slot.port?.terminate();
				slot.port = null;
				failAll(slot, new WorkerFault(i, 'died', 'the pool was terminated'));
			});
		}
	};
}
