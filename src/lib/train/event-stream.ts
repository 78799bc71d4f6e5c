import type { TrainEvent } from './events';

/**
 * Every event a trainer emits from now on, as an async iterator that ends after `done` or
 * `error`; `subscribe` adds a listener and returns its remover, called when iteration ends.
 *
 * @example
 * for await (const e of eventStream((l) => trainer.onEvent(l))) if (e.type === 'step') plot(e);
 */
export function eventStream(subscribe: (listener: (event: TrainEvent) => void) => () => void): AsyncIterableIterator<TrainEvent> {
	const queue: TrainEvent[] = [];
	let notify: (() => void) | null = null;
	const unsubscribe = subscribe((e) => {
		queue.push(e);
		notify?.();
	});
	return (async function* () {
		try {
			for (;;) {
				while (queue.length > 0) {
					const e = queue.shift()!;
					yield e;
					if (e.type === 'done' || e.type === 'error') return;
				}
				await new Promise<void>((resolve) => (notify = resolve));
				notify = null;
			}
		} finally {
			unsubscribe();
		}
	})();
}
