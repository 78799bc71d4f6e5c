import { Rng, randn, tensor, type Tensor } from '$lib/engine/index';
import { Linear } from '$lib/nn/linear';
import { Module } from '$lib/nn/module';
import { mseLoss, type Dataset, type StepOutput } from '$lib/train/index';

export interface Batch {
	x: Tensor;
	y: Tensor;
}

/** `n` examples of y = x·w + 0.5 + small noise, with x in R^4; seeded, so every test sees the same data. */
export function regression(n: number, seed: number): Dataset<Batch> {
	const rng = new Rng(seed);
	const x = randn([n, 4], { rng });
	const w = [1.5, -2, 0.5, 1];
	const y = Array.from({ length: n }, (_, i) => w.reduce((s, wj, j) => s + wj * x.data[i * 4 + j], 0.5) + 0.05 * rng.normal());
	return {
		size: n,
		getBatch: (indices) => ({
			x: tensor(
				indices.flatMap((i) => Array.from(x.data.subarray(i * 4, i * 4 + 4))),
				{ shape: [indices.length, 4] }
			),
			y: tensor(
				indices.map((i) => y[i]),
				{ shape: [indices.length, 1] }
			)
		})
	};
}

/** A two-layer perceptron, seeded. */
export class Mlp extends Module {
	fc1: Linear;
	fc2: Linear;
	constructor(seed: number, hidden = 16) {
		super();
		const rng = new Rng(seed);
		this.fc1 = new Linear(4, hidden, { rng });
		this.fc2 = new Linear(hidden, 1, { rng });
	}
	forward(x: Tensor): Tensor {
		return this.fc2.forward(this.fc1.forward(x).relu());
	}
}

export const mse = (model: Mlp, b: Batch): StepOutput => ({ loss: mseLoss(model.forward(b.x), b.y) });
