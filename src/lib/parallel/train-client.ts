/**
 * The page's side of the training Worker: send commands, receive the current run's messages.
 * Messages of a run the page has left (a late progress after a new start or a replay) are
 * dropped here, so a panel only ever sees one run.
 */
import type { WorkerPool } from './pool';
import type { FromSession, ToSession } from './train-protocol';
import { TrainSession } from './train-session';

/** A training Worker as the client sees it, whatever runs it. */
export interface SessionPort {
	post(message: ToSession): void;
	/** Route its messages, and its death (a script that failed to load, an uncaught error), to these. */
	listen(onMessage: (message: FromSession) => void, onDeath: (reason: string) => void): void;
	terminate(): void;
}

/** Start the training Worker (`train-worker.ts`); Vite bundles it, and its nested pool, as separate chunks. */
export function spawnTrainWorker(): SessionPort {
	const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'glance-trainer' });
	return {
		post: (message) => worker.postMessage(message),
		listen(onMessage, onDeath) {
			worker.onmessage = (event) => onMessage(event.data);
			worker.onerror = (event) => {
				// Reported to the panel as a fault; left alone it would also reach the console.
				event.preventDefault();
				onDeath(event.message || 'its script failed to load or threw outside a command');
			};
			worker.onmessageerror = () => onDeath('a message from it could not be deserialised');
		},
		terminate: () => worker.terminate()
	};
}

/**
 * A session in this thread behind the same port, with messages cloned both ways as a Worker's
 * would be: for tests in Node, where the nested pool is made of worker threads.
 */
export function inProcessSession(createPool: (size: number) => WorkerPool): SessionPort {
	let deliver: (message: FromSession) => void = () => {};
	const session = new TrainSession({ post: (m) => deliver(structuredClone(m)), createPool });
	return {
		post: (message) => void session.handle(structuredClone(message)),
		listen(onMessage) {
			deliver = onMessage;
		},
		terminate: () => void session.handle({ type: 'dispose' })
	};
}

/**
 * @example
 * const client = new TrainClient(spawnTrainWorker(), (m) => m.type === 'progress' && lab.setParams(m.params));
 * client.send({ type: 'start', config: lab.config, workers: 2, params: lab.params() });
 */
export class TrainClient {
	private run: number | null = null;
	/** Starts and replays sent whose run has not begun (or been refused) yet. */
	private pendingRuns = 0;
	private dead = false;

	constructor(
		private readonly port: SessionPort,
		private readonly onMessage: (message: FromSession) => void,
		private readonly onDeath: (reason: string) => void = () => {}
	) {
		port.listen(
			(m) => this.receive(m),
			(reason) => {
				this.dead = true;
				this.onDeath(reason);
			}
		);
	}

	/** Whether the Worker has died; a new client (a new Worker) is needed then. */
	get alive(): boolean {
		return !this.dead;
	}

	send(command: ToSession): void {
		if (command.type === 'start' || command.type === 'replay') this.pendingRuns++;
		this.port.post(command);
	}

	terminate(): void {
		this.dead = true;
		this.port.terminate();
	}

	private receive(m: FromSession): void {
		if (m.type === 'started') {
			this.run = m.run;
			this.pendingRuns = Math.max(0, this.pendingRuns - 1);
			if (this.pendingRuns > 0) return;
		} else if (m.type === 'refused') {
			if (m.command === 'start' || m.command === 'replay') this.pendingRuns = Math.max(0, this.pendingRuns - 1);
		} else if (m.type !== 'bench' && (this.pendingRuns > 0 || m.run !== this.run)) return;
		this.onMessage(m);
	}
}
