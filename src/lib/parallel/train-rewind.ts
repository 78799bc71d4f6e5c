/**
 * Parameter snapshots every `every` steps, in bounded memory: when `capacity` are held, every
 * other one is dropped and the interval doubles, so a run of any length keeps snapshots spread
 * evenly over it (step 0 always stays).
 *
 * @example
 * const rewind = new RewindStore(10, 64);
 * rewind.record(0, params0); // kept: step 0 always is
 * rewind.record(10, params10);
 * rewind.at(17); // { step: 10, params: params10 }
 */
export class RewindStore {
	private entries: { step: number; params: Float32Array }[] = [];
	private interval: number;

	constructor(
		every: number,
		private readonly capacity: number
	) {
		if (!Number.isInteger(every) || every < 1) throw new RangeError(`RewindStore: every must be an integer ≥ 1, got ${every}`);
		if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError(`RewindStore: capacity must be an integer ≥ 2, got ${capacity}`);
		this.interval = every;
	}

	/** Steps between snapshots now (it doubles as the run outgrows the capacity). */
	get every(): number {
		return this.interval;
	}

	/** Steps that have a snapshot, ascending. */
	steps(): number[] {
		return this.entries.map((e) => e.step);
	}

	/** Whether `step` is due a snapshot. */
	due(step: number): boolean {
		return step % this.interval === 0 && (this.entries.length === 0 || step > this.entries[this.entries.length - 1].step);
	}

	/** Keep a copy of `params` if `step` is due one. */
	record(step: number, params: Float32Array): void {
		if (!this.due(step)) return;
		this.entries.push({ step, params: params.slice() });
		if (this.entries.length > this.capacity) {
			this.interval *= 2;
			this.entries = this.entries.filter((e) => e.step % this.interval === 0);
		}
	}

	/** The latest snapshot at or before `step`, or null before the first. */
	at(step: number): { step: number; params: Float32Array } | null {
		let found: { step: number; params: Float32Array } | null = null;
		for (const e of this.entries) if (e.step <= step) found = e;
		return found;
	}

	/** Forget the snapshots after `step` (a replay from there makes them again). */
	truncate(step: number): void {
		this.entries = this.entries.filter((e) => e.step <= step);
	}

	clear(): void {
		this.entries = [];
	}
}
