import { ShapeError, ValueError, fmtShape, type Tensor } from '../engine/index';

/** Named scalar results of a step or an evaluation (`{ loss: 0.41, accuracy: 0.87 }`). */
export type Metrics = Record<string, number>;

/**
 * Fraction of rows of `logits` [N, C] whose largest entry is at the class in `target` [N].
 * Ties go to the lowest class index, as `argmax` does.
 *
 * @example
 * accuracy(tensor([[2, 1], [0, 3]]), tensor([0, 0])); // 0.5
 */
export function accuracy(logits: Tensor, target: Tensor): number {
	if (logits.ndim !== 2 || target.ndim !== 1 || target.shape[0] !== logits.shape[0]) {
		throw new ShapeError(
			'accuracy',
			`logits must be [N, C] and target [N], got ${fmtShape(logits.shape)} and ${fmtShape(target.shape)}`,
			''
		);
	}
	const [n, c] = logits.shape;
	if (n === 0) return 0;
	let correct = 0;
	for (let i = 0; i < n; i++) {
		let best = 0;
		for (let j = 1; j < c; j++) if (logits.data[i * c + j] > logits.data[i * c + best]) best = j;
		if (best === target.data[i]) correct++;
	}
	return correct / n;
}

/**
 * A weighted running mean, for averaging per-batch values into a per-epoch value (weight
 * each batch by its size so the mean is over examples, not batches).
 *
 * @example
 * const m = new RunningMean(); m.add(1, 3); m.add(3, 1); m.mean; // 1.5
 */
export class RunningMean {
	private total = 0;
	private weight = 0;
	add(value: number, weight = 1): void {
		if (!(weight >= 0)) throw new ValueError(`RunningMean.add: weight must be ≥ 0, got ${weight}`);
		this.total += value * weight;
		this.weight += weight;
	}
	/** The mean so far; NaN before anything was added. */
	get mean(): number {
		return this.weight > 0 ? this.total / this.weight : NaN;
	}
	get count(): number {
		return this.weight;
	}
	reset(): void {
		this.total = 0;
		this.weight = 0;
	}
}

/** Running means of several named metrics at once. */
export class MetricsMean {
	private means = new Map<string, RunningMean>();
	add(values: Metrics, weight = 1): void {
		for (const [k, v] of Object.entries(values)) {
			let m = this.means.get(k);
			if (!m) this.means.set(k, (m = new RunningMean()));
			m.add(v, weight);
		}
	}
	get(): Metrics {
		return Object.fromEntries([...this.means].map(([k, m]) => [k, m.mean]));
	}
	reset(): void {
		this.means.clear();
	}
}
