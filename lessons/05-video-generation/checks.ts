import { noGrad } from '$lib/engine';
import { NextFramePredictor, meanSquaredError, psnr, rollout } from '$lib/tasks/generation';
import { allClose, expectTensor, fail, pass, row, type ExerciseCheck } from '$lib/notebook/exercises';

const FRAMES = 5;
const fmt = (values: ArrayLike<number>) => `[${Array.from(values, (v) => v.toFixed(2)).join(', ')}]`;

export const checks: Record<string, ExerciseCheck> = {
	'causal-mask': {
		check(scope) {
			const scores = expectTensor(scope, 'scores', { shape: [FRAMES, FRAMES] });
			if (!scores.ok) return scores.result;
			const mask = expectTensor(scope, 'mask', { shape: [FRAMES, FRAMES] });
			if (!mask.ok) return mask.result;
			for (let i = 0; i < FRAMES; i++) {
				for (let j = 0; j < FRAMES; j++) {
					const want = j > i ? 1 : 0;
					if (mask.tensor.data[i * FRAMES + j] !== want) {
						const what = want
							? `frame ${j} is in frame ${i}'s future, so it must be masked (1)`
							: `frame ${j} is frame ${i}'s ${j === i ? 'own' : 'past'}, so it must stay visible (0)`;
						return fail(`\`mask[${i}, ${j}]\` is ${mask.tensor.data[i * FRAMES + j]}, but ${what}.`);
					}
				}
			}
			const weights = expectTensor(scope, 'weights', { shape: [FRAMES, FRAMES] });
			if (!weights.ok) return weights.result;
			const expected = scores.tensor.maskedFill(mask.tensor, -Infinity).softmax(-1);
			if (!allClose(weights.tensor.data, expected.data))
				return fail('`weights` should be `scores.maskedFill(mask, -Infinity).softmax(-1)`.');
			return pass(
				`Row 0 is ${fmt(row(expected, 0))}: the first frame can only look at itself. Row 4 is ${fmt(row(expected, 4))}: the last sees itself and every frame before it. Each row sums to 1.`
			);
		},
		hint: 'The mask is 1 strictly above the diagonal (j > i). Set those entries of `mask.data` in a double loop; entry (i, j) of a 5 × 5 tensor is at flat index i · 5 + j. Masking the diagonal too would leave frame 0 nothing to look at, and its softmax would be NaN.',
		solution:
			'const scores = randn([5, 5], { rng: new Rng(4) });\nconst mask = zeros([5, 5]);\nfor (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) mask.data[i * 5 + j] = 1;\nconst weights = scores.maskedFill(mask, -Infinity).softmax(-1);\nweights'
	},
	'rollout-two': {
		check(scope) {
			const model = scope.model;
			if (!(model instanceof NextFramePredictor))
				return fail('`model` should be the `tasks.generation.FrameTransformer` the starter made.');
			const context = expectTensor(scope, 'context', { shape: [2, 6, 16, 16] });
			if (!context.ok) return context.result;
			const future = expectTensor(scope, 'future', { shape: [2, 2, 16, 16] });
			if (!future.ok) return future.result;
			const expected = noGrad(() => rollout(model, context.tensor, 2));
			if (allClose(future.tensor.data, expected.data)) {
				return pass(
					"`future` is a real two-step rollout: the second frame was predicted from the context plus the model's own first prediction."
				);
			}
			const T = context.tensor.shape[1];
			const onePass = noGrad(() => model.forward(context.tensor).predictions);
			if (allClose(future.tensor.data, onePass.slice(1, T - 2, T).data)) {
				return fail(
					"Row T − 2 of one pass predicts frame T − 1, the context's own last frame, not a new one. Only the last row predicts past the context."
				);
			}
			const first = onePass.slice(1, T - 1, T);
			if (!allClose(future.tensor.slice(1, 0, 1).data, first.data))
				return fail("`future`'s first frame should be the last row of `model.forward(context).predictions`.");
			return fail(
				"`future`'s first frame is right, but its second is not the prediction from the context with that first frame appended (`cat([context, first], 1)`)."
			);
		},
		hint: 'Take the last row of `model.forward(context).predictions` (`slice(1, T - 1, T)`), append it to the context with `cat([context, first], 1)`, run the model on that, take its last row, and `cat` the two predictions along dim 1.',
		solution:
			"const task = tasks.generation.generationTask;\nconst data = task.makeData({ seed: 1, trainSize: 2, valSize: 2 });\nconst { context } = data.val.getBatch([0, 1]);\nconst model = new tasks.generation.FrameTransformer({\n\theight: 16,\n\twidth: 16,\n\tmaxFrames: 8,\n\tembedDim: 16,\n\tnumHeads: 2,\n\tnumLayers: 1,\n\tmlpDim: 32,\n\tpositional: 'sinusoidal',\n\tattention: true,\n\trng: new Rng(0)\n});\nconst T = context.shape[1];\nconst first = noGrad(() => model.forward(context).predictions).slice(1, T - 1, T);\nconst longer = cat([context, first], 1);\nconst second = noGrad(() => model.forward(longer).predictions).slice(1, T, T + 1);\nconst future = cat([first, second], 1);\nfuture.shape"
	},
	'psnr-copy-last': {
		check(scope) {
			const batch = scope.batch as { context?: unknown; cleanTargets?: unknown } | undefined;
			const context = expectTensor({ context: batch?.context }, 'context', { shape: [4, 6, 16, 16] });
			if (!context.ok) return fail('`batch` should be the 4 clips from `data.val.getBatch([0, 1, 2, 3])`.');
			const clean = expectTensor({ cleanTargets: batch?.cleanTargets }, 'cleanTargets', { shape: [4, 2, 16, 16] });
			if (!clean.ok) return fail('`batch` should be the 4 clips from `data.val.getBatch([0, 1, 2, 3])`.');
			const prediction = expectTensor(scope, 'prediction', { shape: [4, 1, 16, 16] });
			if (!prediction.ok) return prediction.result;
			const last = context.tensor.slice(1, 5, 6);
			if (!allClose(prediction.tensor.data, last.data)) {
				const firstFrame = allClose(prediction.tensor.data, context.tensor.slice(1, 0, 1).data);
				return fail(
					firstFrame
						? '`prediction` is the first context frame. Copy-last copies the last one, frame T − 1.'
						: '`prediction` should be the last context frame of each clip.'
				);
			}
			const truth = psnr(meanSquaredError(last, clean.tensor.slice(1, 0, 1)));
			const score = scope.psnrCopy;
			if (typeof score !== 'number' || Math.abs(score - truth) > 1e-3) {
				return fail(`\`psnrCopy\` should be a number, 10·log10(1 / MSE) = ${truth.toFixed(2)} dB for this prediction.`);
			}
			return pass(`Copy-last scores ${truth.toFixed(2)} dB on these 4 clips: the bar a learned generator has to clear.`);
		},
		hint: 'The context has T frames, numbered 0 … T − 1: `batch.context.slice(1, T - 1, T)` keeps only the last, with its frame axis.',
		solution:
			'const task = tasks.generation.generationTask;\nconst data = task.makeData({ seed: 0, trainSize: 4, valSize: 4 });\nconst batch = data.val.getBatch([0, 1, 2, 3]);\nconst T = batch.context.shape[1];\nconst prediction = batch.context.slice(1, T - 1, T);\nconst target = batch.cleanTargets.slice(1, 0, 1);\nconst mse = prediction.sub(target).square().mean().item();\nconst psnrCopy = 10 * Math.log10(1 / mse);\npsnrCopy'
	}
};
