import { noGrad, type Tensor } from '$lib/engine';
import { AttentionPooling } from '$lib/nn';
import { keyFrameAttention } from '$lib/tasks/classification';
import { allClose, argmax, expectTensor, fail, pass, row, type ExerciseCheck } from '$lib/notebook/exercises';

/** The key frame of the hand-made clip in `pool-frames`, and the weight it must get. */
const KEY_FRAME = 3;
const MIN_KEY_WEIGHT = 0.8;
/** `noise-breaks-mean`: the mean must fail at least this often, while attention holds. */
const MEAN_AT_MOST = 0.75;
const ATTENTION_AT_LEAST = 0.9;
const CLASSES = 4;

const fmt = (values: ArrayLike<number>) => Array.from(values, (v) => v.toFixed(2)).join(', ');

/** Share of clips whose largest class feature (0…3) of the pooled `[N, ≥4]` vector is the label. */
function pooledAccuracy(pooled: Tensor, labels: Tensor): number {
	const [n, d] = pooled.shape;
	let right = 0;
	for (let i = 0; i < n; i++) if (argmax(pooled.data.subarray(i * d, i * d + CLASSES)) === labels.data[i]) right++;
	return right / n;
}

export const checks: Record<string, ExerciseCheck> = {
	'pool-frames': {
		check(scope) {
			const features = expectTensor(scope, 'features', { shape: [1, 6, 4] });
			if (!features.ok) return features.result;
			const pool = scope.pool;
			if (!(pool instanceof AttentionPooling)) return fail('`pool` should be the `nn.AttentionPooling(4)` the starter made.');
			const weights = expectTensor(scope, 'weights', { shape: [1, 6] });
			if (!weights.ok) return weights.result;
			const fresh = noGrad(() => pool.forward(features.tensor).weights);
			if (!allClose(weights.tensor.data, fresh.data))
				return fail('`weights` should come from `pool.forward(features)`, after setting the score.');
			const w = row(weights.tensor, 0);
			const total = w.reduce((s, v) => s + v, 0);
			if (Math.abs(total - 1) > 1e-4) return fail(`The weights sum to ${total.toFixed(4)}, not 1.`);
			if (argmax(w) !== KEY_FRAME)
				return fail(`The weights are [${fmt(w)}]: they peak on frame ${argmax(w)}, not the key frame ${KEY_FRAME}.`);
			if (w[KEY_FRAME] < MIN_KEY_WEIGHT) {
				return fail(
					`Frame ${KEY_FRAME} gets ${w[KEY_FRAME].toFixed(2)} of the weight; make the score sharper, to at least ${MIN_KEY_WEIGHT}.`
				);
			}
			return pass(
				`The weights [${fmt(w)}] sum to 1 and put ${w[KEY_FRAME].toFixed(2)} on the key frame: the pooled vector is almost frame 3 alone.`
			);
		},
		hint: "A frame's score is `pool.score.weight` dotted with its 4 features. Only the key frame has feature 2, so weight feature 2 (and not feature 0, which every other frame has). A larger weight makes the softmax sharper.",
		solution:
			'const features = tensor([\n\t[\n\t\t[1.0, 0.0, 0.0, 0.2],\n\t\t[0.9, 0.1, 0.0, 0.0],\n\t\t[1.0, 0.0, 0.0, 0.0],\n\t\t[0.2, 0.0, 3.0, 0.0],\n\t\t[1.0, 0.2, 0.0, 0.0],\n\t\t[0.8, 0.0, 0.0, 0.1]\n\t]\n]);\nconst pool = new nn.AttentionPooling(4, { rng: new Rng(0) });\npool.score.weight.data.set([0, 0, 2, 0]);\nconst { pooled, weights } = pool.forward(features);\nweights'
	},
	'key-frame-share': {
		check(scope) {
			const weights = expectTensor(scope, 'weights', { shape: [4, 16] });
			if (!weights.ok) return weights.result;
			const keyFrames = expectTensor(scope, 'keyFrames', { shape: [4, 16] });
			if (!keyFrames.ok) return keyFrames.result;
			const share = scope.share;
			if (typeof share !== 'number' || !Number.isFinite(share)) {
				return fail('`share` should be a number: end the tensor computation with `.item()`.');
			}
			const truth = keyFrameAttention(weights.tensor, keyFrames.tensor);
			if (Math.abs(share - truth) > 1e-4) {
				const hint = Math.abs(share - 4 * truth) < 1e-4 ? ' That is the sum over the 4 clips; average them instead.' : '';
				return fail(
					`\`share\` is ${share.toFixed(4)}, but the key frames get ${truth.toFixed(4)} of a clip's attention on average.${hint}`
				);
			}
			return pass(
				`share = ${truth.toFixed(4)}, next to 1/16 = 0.0625 for the mean: untrained, the scores are nearly equal and attention is nearly uniform. Training moves it towards 1.`
			);
		},
		hint: "`weights.mul(keyFrames)` keeps each clip's weights on its key frames. Sum over the frames (dim 1) to get one share per clip, then take the mean over the clips.",
		solution:
			"const task = tasks.classification.classificationTask;\nconst data = task.makeData({ seed: 0, trainSize: 4, valSize: 4 });\nconst { clips, keyFrames } = data.val.getBatch([0, 1, 2, 3]);\nconst model = task.makeModel('attention', { rng: new Rng(0) });\nconst { weights } = noGrad(() => model.forward(clips));\nconst share = weights.mul(keyFrames).sum(1).mean().item();\nconst uniform = keyFrames.mean().item();\n[share, uniform]"
	},
	'noise-breaks-mean': {
		check(scope) {
			const clips = expectTensor(scope, 'clips', { shape: [64, 16, 5] });
			if (!clips.ok) return clips.result;
			const labels = expectTensor(scope, 'labels', { shape: [64] });
			if (!labels.ok) return labels.result;
			const pool = scope.pool;
			if (!(pool instanceof AttentionPooling) || pool.dim !== 5)
				return fail('`pool` should be the `nn.AttentionPooling(5)` the starter made.');
			const mean = pooledAccuracy(clips.tensor.mean(1), labels.tensor);
			const attention = pooledAccuracy(
				noGrad(() => pool.forward(clips.tensor).pooled),
				labels.tensor
			);
			const both = `The mean labels ${(100 * mean).toFixed(0)} % right and attention ${(100 * attention).toFixed(0)} %.`;
			if (mean > MEAN_AT_MOST) return fail(`${both} The mean still copes: raise \`sigma\`.`);
			if (attention < ATTENTION_AT_LEAST)
				return fail(`${both} Now attention fails too: the noise hides the marker as well. Lower \`sigma\` a little.`);
			return pass(
				`${both} Averaging 16 frames shrinks the key frame's signal 16 times but the noise only 4 times (√16); attention keeps the key frame's signal whole.`
			);
		},
		hint: 'Try values between 0.3 and 1.5. Too little noise and the mean still works; too much and the marker that attention reads is drowned as well.',
		solution:
			'const sigma = 0.6;\nconst rng = new Rng(3);\nconst N = 64;\nconst T = 16;\nconst labels = tensor(Array.from({ length: N }, (_, i) => i % 4));\nconst keyFrame = Array.from({ length: N }, (_, i) => (i * 7) % T);\nconst signal = new Float32Array(N * T * 5);\nfor (let i = 0; i < N; i++) {\n\tsignal[(i * T + keyFrame[i]) * 5 + (i % 4)] = 3;\n\tsignal[(i * T + keyFrame[i]) * 5 + 4] = 3;\n}\nconst noise = randn([N, T, 5], { rng }).mul(sigma);\nconst clips = noise.add(tensor(signal, { shape: [N, T, 5] }));\nconst pool = new nn.AttentionPooling(5);\npool.score.weight.data.set([0, 0, 0, 0, 2]);\nconst classOf = (row) => row.indexOf(Math.max(...row));\nconst accuracy = (pooled) => {\n\tconst predicted = pooled.slice(1, 0, 4).toArray().map(classOf);\n\treturn predicted.filter((c, i) => c === i % 4).length / N;\n};\nconst meanAccuracy = accuracy(clips.mean(1));\nconst attentionAccuracy = accuracy(noGrad(() => pool.forward(clips).pooled));\n[meanAccuracy, attentionAccuracy]'
	}
};
