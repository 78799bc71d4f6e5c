import { AttentionModule } from '$lib/nn';
import { allClose, argmax, expectTensor, fail, pass, row, type ExerciseCheck } from '$lib/notebook/exercises';

// Frame 3 must clearly prefer frame 1, not just edge past the others.
const MIN_PEAK_WEIGHT = 0.5;

export const checks: Record<string, ExerciseCheck> = {
	'fix-sizes': {
		check(scope) {
			const x = expectTensor(scope, 'x', { shape: [2, 8, 16] });
			if (!x.ok) return x.result;
			const attention = scope.attention;
			if (!(attention instanceof AttentionModule)) return fail('`attention` should be an `nn.AttentionModule`.');
			const y = expectTensor(scope, 'y', { shape: [2, 8, 16] });
			if (!y.ok) return y.result;
			if (!allClose(y.tensor.data, attention.forward(x.tensor).data)) return fail('`y` should be `attention.forward(x)`.');
			const { inFeatures, outFeatures } = attention.attention;
			return outFeatures === 1
				? pass(
						`nn.AttentionModule(${inFeatures}, 1): one softmax weight per frame, broadcast over its 16 features. That is temporal attention pooling.`
					)
				: pass(
						`nn.AttentionModule(${inFeatures}, ${outFeatures}): every feature gets its own weights over the 8 frames. hiddenDim = 1 also works.`
					);
		},
		hint: 'The multiply needs the weights to end in the same size as x (16), or in 1. The first argument must match x too.',
		solution:
			'const x = randn([2, 8, 16], { rng: new Rng(1) });\nconst attention = new nn.AttentionModule(16, 16);\nconst y = attention.forward(x);'
	},
	'softmax-axis': {
		check(scope) {
			const scores = expectTensor(scope, 'scores', { shape: [2, 8, 16] });
			if (!scores.ok) return scores.result;
			const a = expectTensor(scope, 'a', { shape: [2, 8, 16] });
			if (!a.ok) return a.result;
			if (allClose(a.tensor.data, scores.tensor.softmax(-1).data)) {
				return fail(
					"`a` is normalised over the last dimension, the 16 features: each frame's weights sum to 1, but dim=1 means the 8 frames."
				);
			}
			if (!allClose(a.tensor.data, scores.tensor.softmax(1).data)) {
				return fail('`a` is not a softmax of `scores` over the frames: `a.sum(1)` should be all ones, and the order of the scores kept.');
			}
			return pass('a.sum(1) is 1 for every clip and feature: 2 × 16 = 32 separate distributions over the 8 frames, one per feature.');
		},
		hint: "In a [B, T, D] tensor dimension 0 is the clip, 1 the frame and 2 (or -1) the feature. Pass the frames' dimension to softmax.",
		solution: 'const scores = randn([2, 8, 16], { rng: new Rng(2) });\nconst a = scores.softmax(1);\na.sum(1)'
	},
	'peak-frame': {
		check(scope) {
			const scores = expectTensor(scope, 'scores', { shape: [4, 4] });
			if (!scores.ok) return scores.result;
			const weights = expectTensor(scope, 'weights', { shape: [4, 4] });
			if (!weights.ok) return weights.result;
			if (!allClose(weights.tensor.data, scores.tensor.softmax(-1).data)) {
				return fail('`weights` should be `scores.softmax(-1)`, so that every row sums to 1.');
			}
			const frame3 = row(weights.tensor, 3);
			const peak = argmax(frame3);
			const shown = frame3.map((w) => w.toFixed(2)).join(', ');
			if (peak !== 1) return fail(`Frame 3's weights are [${shown}]: they peak on frame ${peak}, not frame 1.`);
			if (frame3[1] < MIN_PEAK_WEIGHT)
				return fail(`Frame 3 peaks on frame 1 with ${shown.split(', ')[1]}; give it at least half the weight.`);
			return pass(`Frame 3 now puts ${frame3[1].toFixed(2)} of its attention on frame 1: [${shown}].`);
		},
		hint: "Frame 3's score for frame j is its query dotted with key j. Frame 1's key is [0, 1]: a query with a large second number and a negative first one favours it over frames 0 and 2.",
		solution:
			'const keys = tensor([[1, 0], [0, 1], [1, 1], [-1, 0]]);\nconst queries = tensor([[1, 0], [0, 1], [1, 1], [-2, 3]]);\nconst scores = queries.matmul(keys.T);\nconst weights = scores.softmax(-1);\nweights'
	}
};
