/**
 * The trainer panel's curves as plain data: each step's training loss and headline metric, their
 * smoothed versions, and validation at each epoch's end. A replay truncates them to the step it
 * replays from and appends again. UI-free, so it is tested in Node.
 *
 * @example
 * const curves = new Curves('accuracy');
 * curves.add([{ step: 1, epoch: 1, loss: 1.4, metrics: { accuracy: 0.25 } }]);
 * curves.lossSeries(); // [{ name: 'train', x: [1], y: [1.4] }, { name: 'train (smoothed)', … }, { name: 'validation', … }]
 */
import type { StepPoint } from '../../parallel/train-protocol';
import type { Metrics } from '../../train/metrics';

/** Weight of the past in the smoothed curve: about the last 10 steps count. */
export const SMOOTHING = 0.9;

export interface Series {
	name: string;
	x: number[];
	y: number[];
}

interface EpochPoint {
	epoch: number;
	step: number;
	val: Metrics | null;
}

/** An exponential moving average, before debiasing, and how many finite values it has seen, per step. */
interface Ema {
	avg: number[];
	seen: number[];
}

/** Extend `ema` over `values` from index `from`; a non-finite value leaves the average where it was. */
function extend(values: readonly number[], from: number, ema: Ema): void {
	for (let i = from; i < values.length; i++) {
		const [avg, seen] = i === 0 ? [0, 0] : [ema.avg[i - 1], ema.seen[i - 1]];
		const ok = Number.isFinite(values[i]);
		ema.avg[i] = ok ? SMOOTHING * avg + (1 - SMOOTHING) * values[i] : avg;
		ema.seen[i] = ok ? seen + 1 : seen;
	}
}

/** Debiased, as TensorBoard's smoothing: the curve starts at the first value rather than near 0. */
const debiased = (ema: Ema) => ema.avg.map((v, i) => (ema.seen[i] === 0 ? NaN : v / (1 - SMOOTHING ** ema.seen[i])));

export class Curves {
	readonly steps: number[] = [];
	readonly loss: number[] = [];
	readonly metric: number[] = [];
	private readonly lossSmooth: Ema = { avg: [], seen: [] };
	private readonly metricSmooth: Ema = { avg: [], seen: [] };
	private epochs: EpochPoint[] = [];

	/**
	 * `metricName`: the per-step metric charted beside the loss; `valNames`: where validation reports it, in order of
	 * preference (a task's full evaluation may name it differently, e.g. generation's one-step `psnr1` for `psnr`).
	 */
	constructor(
		readonly metricName: string,
		readonly valNames: readonly string[] = [metricName]
	) {}

	get length(): number {
		return this.steps.length;
	}

	/** Append steps; a step at or before the last one held is ignored (a late duplicate). */
	add(points: readonly StepPoint[]): void {
		const from = this.steps.length;
		for (const p of points) {
			if (this.steps.length > 0 && p.step <= this.steps[this.steps.length - 1]) continue;
			this.steps.push(p.step);
			this.loss.push(p.loss);
			this.metric.push(p.metrics[this.metricName] ?? NaN);
		}
		extend(this.loss, from, this.lossSmooth);
		extend(this.metric, from, this.metricSmooth);
	}

	/** Record an epoch's validation; a repeat of an epoch replaces it. */
	addEpoch(epoch: number, step: number, val: Metrics | null): void {
		this.epochs = [...this.epochs.filter((e) => e.epoch !== epoch), { epoch, step, val }].sort((a, b) => a.step - b.step);
	}

	/** Forget everything after `step`. */
	truncate(step: number): void {
		let n = this.steps.length;
		while (n > 0 && this.steps[n - 1] > step) n--;
		for (const a of [this.steps, this.loss, this.metric, ...[this.lossSmooth, this.metricSmooth].flatMap((e) => [e.avg, e.seen])])
			a.length = n;
		this.epochs = this.epochs.filter((e) => e.step <= step);
	}

	clear(): void {
		this.truncate(-Infinity);
	}

	/** The latest smoothed loss, or NaN before any step. */
	get smoothedLoss(): number {
		return debiased(this.lossSmooth).at(-1) ?? NaN;
	}

	lossSeries(): Series[] {
		return this.series(this.loss, this.lossSmooth, ['loss']);
	}

	metricSeries(): Series[] {
		return this.series(this.metric, this.metricSmooth, this.valNames);
	}

	private series(raw: number[], smoothed: Ema, keys: readonly string[]): Series[] {
		const val = this.epochs.flatMap(({ step, val }) => {
			const key = keys.find((k) => val && Number.isFinite(val[k]));
			return key ? [{ step, value: val![key] }] : [];
		});
		return [
			{ name: 'train', x: [...this.steps], y: [...raw] },
			{ name: 'train (smoothed)', x: [...this.steps], y: debiased(smoothed) },
			{ name: 'validation', x: val.map((e) => e.step), y: val.map((e) => e.value) }
		];
	}
}

/** "42 s", "3 min 05 s", "1 h 02 min"; "—" when unknown. */
export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) return '—';
	const s = Math.round(seconds);
	if (s < 60) return `${s} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
	return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Seconds left at `stepsPerSecond`, or NaN when the rate is not known yet. */
export function eta(done: number, total: number, stepsPerSecond: number): number {
	return stepsPerSecond > 0 ? Math.max(0, total - done) / stepsPerSecond : NaN;
}
