/**
 * Coalesce a burst of values (a slider drag fires `input` for every pixel) into at most one call of
 * `run` per animation frame, with the latest value. `flush` runs a pending value at once (on `change`).
 *
 * @example
 * const rebuild = coalesce((v: number) => lab.setKnob('data.noise', v));
 * rebuild.push(0.1); rebuild.push(0.2); // one setKnob(…, 0.2) on the next frame
 */
export interface Coalescer<T> {
	push(value: T): void;
	flush(): void;
	cancel(): void;
}

export type Schedule = (callback: () => void) => () => void;

/** The browser's next animation frame, cancellable. */
export const nextFrame: Schedule = (callback) => {
	const id = requestAnimationFrame(callback);
	return () => cancelAnimationFrame(id);
};

export function coalesce<T>(run: (value: T) => void, schedule: Schedule = nextFrame): Coalescer<T> {
	let pending: { value: T } | null = null;
	let cancelScheduled: (() => void) | null = null;
	const flush = () => {
		cancelScheduled?.();
		cancelScheduled = null;
		if (!pending) return;
		const { value } = pending;
		pending = null;
		run(value);
	};
	return {
		push(value) {
			pending = { value };
			cancelScheduled ??= schedule(flush);
		},
		flush,
		cancel() {
			cancelScheduled?.();
			cancelScheduled = null;
			pending = null;
		}
	};
}
