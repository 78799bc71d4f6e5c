import * as tf from '@tensorflow/tfjs-core';

/*
 * tfjs-core's Node build ships no gradient definitions: the `@tensorflow/tfjs` union package
 * registers them, and it is not a dependency here. Its ESM per-file sources cannot be mixed with
 * the CommonJS build the backends load (they would be a second engine). So the benchmark MLP's
 * three differentiable kernels get their gradients here, written as TensorFlow.js's own, and the
 * loss is one custom-gradient op, as `tf.losses.softmaxCrossEntropy` is internally.
 */

let registered = false;

/** Gradients of BatchMatMul (plain operands), broadcasting Add, and Relu, as TensorFlow.js defines them. */
export function registerMlpGradients(): void {
	if (registered) return;
	registered = true;
	tf.registerGradient({
		kernelName: tf.BatchMatMul,
		inputsToSave: ['a', 'b'],
		gradFunc: (dy, [a, b]) => ({
			a: () => tf.matMul(dy as tf.Tensor, b, false, true),
			b: () => tf.matMul(a, dy as tf.Tensor, true, false)
		})
	});
	tf.registerGradient({
		kernelName: tf.Add,
		inputsToSave: ['a', 'b'],
		gradFunc: (dy, [a, b]) => {
			const g = dy as tf.Tensor;
			const reduceTo = (x: tf.Tensor) => () => {
				const axes = tf.backend_util.getReductionAxes(x.shape, g.shape);
				return tf.reshape(axes.length > 0 ? tf.sum(g, axes) : g, x.shape);
			};
			return { a: reduceTo(a), b: reduceTo(b) };
		}
	});
	tf.registerGradient({
		kernelName: tf.Relu,
		inputsToSave: ['x'],
		gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.cast(tf.greater(x, 0), 'float32')) })
	});
}

/** Mean softmax cross-entropy of `logits` [N, C] against one-hot `labels`, with its closed-form gradient (softmax − labels) / N. */
export const meanSoftmaxCrossEntropy = tf.customGrad<tf.Scalar>((...args) => {
	const [logits, labels, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
	const logp = tf.logSoftmax(logits);
	// Tensors of the forward are freed when it returns; what the gradient reads is saved.
	save([logp, labels]);
	const value = tf.neg(tf.mean(tf.sum(tf.mul(labels, logp), 1))) as tf.Scalar;
	return {
		value,
		gradFunc: (dy, [lp, y]) => [tf.mul(dy, tf.div(tf.sub(tf.exp(lp), y), lp.shape[0])), tf.zerosLike(y)]
	};
});
