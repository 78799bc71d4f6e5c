/** Timing for `npm run bench`: warm-up, then repeated samples, summarised by their median. */

export interface Budget {
	/** Run the function for this long first, so every engine is past its JIT and allocator warm-up. */
	warmupMs: number;
	/** How many timed samples; the median of them is reported. */
	samples: number;
	/** Each sample repeats the function until this much time has passed, so short calls are not timer noise. */
	sampleMs: number;
	/** Stop sampling once this much time has gone (after at least three samples), so slow peers cannot stall the run. */
	maxMs: number;
	/**
	 * 'cpu': this process's CPU time, so other programs competing for the cores do not count
	 * (on a shared machine wall-clock samples mostly measure the queue). 'wall': elapsed time.
	 */
	clock: Clock;
}

export type Clock = 'cpu' | 'wall';

function cpuMs(): number {
	const { user, system } = process.cpuUsage();
	return (user + system) / 1000;
}

export const clocks: Record<Clock, () => number> = { cpu: cpuMs, wall: () => performance.now() };

/** Full run: ~1.5 s per measured case on a fast engine. */
export const FULL: Budget = { warmupMs: 400, samples: 11, sampleMs: 100, maxMs: 8000, clock: 'cpu' };
/** `--quick`: a smoke run of every row, numbers only indicative. */
export const QUICK: Budget = { warmupMs: 100, samples: 3, sampleMs: 30, maxMs: 1500, clock: 'cpu' };

export interface Timing {
	/** Median milliseconds per call. */
	median: number;
	/** Fastest sample, milliseconds per call. */
	min: number;
	/** Every sample, milliseconds per call, in the order taken. */
	samples: number[];
}

export function median(values: readonly number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function summarise(samples: number[]): Timing {
	return { median: median(samples), min: Math.min(...samples), samples };
}

/**
 * Milliseconds per call of `fn` on the budget's clock. Warm-up calls run first; each sample
 * then averages as many calls as fit in `sampleMs` (at least one).
 *
 * @example
 * const t = time(() => a.matmul(b), FULL); // t.median ms per product
 */
export function time(fn: () => void, budget: Budget): Timing {
	return timeEach([fn], budget)[0];
}

/**
 * `time` for several functions at once, their samples taken in turn (one of each, then the next
 * round), so a stretch of time when the machine is slower for everyone (a busy neighbour on a
 * shared host) lands on all of them alike instead of on whichever was running. Each still gets
 * its own warm-up first.
 *
 * @example
 * const [small, large] = timeEach([() => a.matmul(a), () => b.matmul(b)], FULL);
 */
export function timeEach(fns: readonly (() => void)[], budget: Budget): Timing[] {
	const now = clocks[budget.clock];
	for (const fn of fns) {
		const start = performance.now();
		do fn();
		while (performance.now() - start < budget.warmupMs);
	}
	const samples: number[][] = fns.map(() => []);
	const began = performance.now();
	const maxMs = budget.maxMs * fns.length;
	for (let round = 0; round < budget.samples && (round < 3 || performance.now() - began < maxMs); round++) {
		fns.forEach((fn, i) => samples[i].push(sample(fn, now, budget.sampleMs)));
	}
	return samples.map(summarise);
}

/** Milliseconds per call of `fn`, averaged over as many calls as fit in `sampleMs` (at least one). */
function sample(fn: () => void, now: () => number, sampleMs: number): number {
	const t0 = now();
	let calls = 0;
	let elapsed = 0;
	do {
		fn();
		calls++;
		elapsed = now() - t0;
	} while (elapsed < sampleMs);
	return elapsed / calls;
}
