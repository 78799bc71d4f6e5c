import type { Tensor as TfTensor } from '@tensorflow/tfjs-core';
import { time, timeEach, type Budget } from './measure';
import { MATMUL_CASES, gflops } from './matmul';
import { LR } from './mlp';
import { MLP_BATCH, MLP_SIZES, mlpData } from './mlp-spec';
import { usePeer, wasmFlavour } from './peers';
import { PEERS, type Peer, type Row } from './report';
import { meanSoftmaxCrossEntropy, registerMlpGradients } from './tf-grads';

export { PEERS, wasmFlavour };

/*
 * The TensorFlow.js side of the comparison. `bench.ts` imports this module only after Glance's
 * rows are measured: loading TensorFlow.js in Node (its node-fetch dependency) detaches an
 * ArrayBuffer, and from then on V8 guards every typed-array access in the process against
 * detachment, which measured ~2× slower for Glance's gemm. TensorFlow.js runs in that state
 * whatever we do; Glance's rows are taken before it.
 */

/** Fill in `peer`'s figures on rows made by `matmulRows`, with the same shapes; each result is read back, so its work is done. */
export async function addPeerMatmul(rows: Row[], peer: Peer, budget: Budget): Promise<void> {
	const tf = await usePeer(peer);
	const operands = MATMUL_CASES.map((c) => [tf.randomNormal(c.a, 0, 1, 'float32', 1), tf.randomNormal(c.b, 0, 1, 'float32', 2)]);
	const products = operands.map(([a, b]) => () => {
		const y = tf.matMul(a, b);
		y.dataSync();
		y.dispose();
	});
	// Sampled in turn, as Glance's were.
	timeEach(products, budget).forEach((t, i) => {
		rows[i].peers[peer] = gflops(MATMUL_CASES[i], t.median);
		rows[i].timings = { ...rows[i].timings, [peer]: t };
	});
	tf.dispose(operands.flat());
}

/**
 * The same step in TensorFlow.js: `variableGrads` for the gradients of the mean softmax
 * cross-entropy, `tf.train.sgd` for the update, intermediates freed by `tidy`.
 */
export async function addPeerMlp(row: Row, peer: Peer, budget: Budget): Promise<void> {
	const tf = await usePeer(peer);
	registerMlpGradients();
	const weights = MLP_SIZES.slice(1).flatMap((out, i) => {
		const fanIn = MLP_SIZES[i];
		const bound = 1 / Math.sqrt(fanIn);
		return [tf.variable(tf.randomUniform([fanIn, out], -bound, bound, 'float32', i)), tf.variable(tf.zeros([out]))];
	});
	const batch = mlpData(MLP_BATCH, 1).getBatch(Array.from({ length: MLP_BATCH }, (_, i) => i));
	const x = tf.tensor2d(batch.x.data as Float32Array, [MLP_BATCH, MLP_SIZES[0]]);
	const labels = tf.oneHot(tf.tensor1d(Int32Array.from(batch.y.data), 'int32'), MLP_SIZES[MLP_SIZES.length - 1]);
	const optimizer = tf.train.sgd(LR);
	const forward = () => {
		let h: TfTensor = x;
		for (let l = 0; l < weights.length; l += 2) {
			h = tf.add(tf.matMul(h, weights[l]), weights[l + 1]);
			if (l + 2 < weights.length) h = tf.relu(h);
		}
		return meanSoftmaxCrossEntropy(h, labels);
	};
	const t = time(
		() =>
			tf.tidy(() => {
				const { value, grads } = tf.variableGrads(forward);
				optimizer.applyGradients(grads);
				value.dataSync();
			}),
		budget
	);
	tf.dispose([...weights, x, labels]);
	optimizer.dispose();
	row.peers[peer] = t.median;
	row.timings = { ...row.timings, [peer]: t };
}
