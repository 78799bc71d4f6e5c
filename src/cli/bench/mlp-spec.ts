import { Rng, crossEntropy, randn, tensor, type Tensor } from '../../lib/engine/index';
import { Linear, ReLU, Sequential } from '../../lib/nn/index';
import { defineModelSpec, specTable } from '../../lib/train/model-spec';
import type { Dataset } from '../../lib/train/trainer';

/*
 * The benchmark MLP as a model spec, so the same model and data run on one thread and in the
 * data-parallel workers (which bundle this module, so it imports no TensorFlow.js).
 */

/** Layer widths of the benchmark MLP, input to logits. */
export const MLP_SIZES = [128, 512, 128, 10] as const;
export const MLP_BATCH = 128;
const CLASSES = MLP_SIZES[MLP_SIZES.length - 1];

export interface MlpBatch {
	x: Tensor;
	y: Tensor;
}

export interface MlpConfig {
	examples: number;
	seed: number;
}

/** 128→512→128→10 with ReLUs, PyTorch's default initialisation. */
export function makeMlp(seed: number): Sequential {
	const rng = new Rng(seed);
	const [a, b, c, d] = MLP_SIZES;
	return new Sequential(new Linear(a, b, { rng }), new ReLU(), new Linear(b, c, { rng }), new ReLU(), new Linear(c, d, { rng }));
}

/** Gaussian inputs with labels cycling through the classes: the step's cost does not depend on what is learned. */
export function mlpData(examples: number, seed: number): Dataset<MlpBatch> {
	const width = MLP_SIZES[0];
	const x = randn([examples, width], { rng: new Rng(seed) }).data;
	return {
		size: examples,
		getBatch(indices) {
			const rows = new Float32Array(indices.length * width);
			indices.forEach((i, r) => rows.set(x.subarray(i * width, (i + 1) * width), r * width));
			const labels = Float32Array.from(indices, (i) => i % CLASSES);
			return { x: tensor(rows, { shape: [indices.length, width] }), y: tensor(labels) };
		}
	};
}

export const mlpSpec = defineModelSpec({
	name: 'bench-mlp',
	createModel: (_config: MlpConfig, seed: number) => makeMlp(seed),
	createData: (config: MlpConfig) => ({ train: mlpData(config.examples, config.seed) }),
	lossFn: (model: Sequential, batch: MlpBatch) => ({ loss: crossEntropy(model.forward(batch.x), batch.y) })
});

/** What the benchmark's worker threads can build. */
export const benchSpecs = specTable(mlpSpec);
