import { noGrad, type Tensor } from '$lib/engine';
import { ObjectTracker } from '$lib/tasks/article';
import { boxIoU, cellCentres, successCurve, SUCCESS_THRESHOLDS } from '$lib/tasks/tracking';
import type { Box } from '$lib/tasks/video';
import { allClose, expectTensor, fail, pass, row, type ExerciseCheck } from '$lib/notebook/exercises';

/** Row `i` of an `[N, 4]` tensor of boxes. */
function boxAt(boxes: Tensor, i: number): Box {
	const [x0, y0, x1, y1] = row(boxes, i);
	return [x0, y0, x1, y1];
}

const fmt = (values: ArrayLike<number>, digits = 2) => `[${Array.from(values, (v) => v.toFixed(digits)).join(', ')}]`;

export const checks: Record<string, ExerciseCheck> = {
	'fix-tracker-input': {
		check(scope) {
			const frames = expectTensor(scope, 'frames', { shape: [2, 8, 6, 6] });
			if (!frames.ok) return frames.result;
			const tracker = scope.tracker;
			if (!(tracker instanceof ObjectTracker))
				return fail("`tracker` should be the article's `tasks.article.ObjectTracker` the starter made.");
			if (tracker.attentionInputDim !== 8 || tracker.attentionHiddenDim !== 8 || tracker.numObjects !== 1) {
				return fail('Keep the tracker as built, `ObjectTracker(8, 8, 1)`: the fix is in what you feed its layers.');
			}
			const boxes = expectTensor(scope, 'boxes', { shape: [2, 4] });
			if (!boxes.ok) return boxes.result;
			const expected = noGrad(() => tracker.fc.forward(tracker.attention.forward(frames.tensor.permute(0, 2, 3, 1)).mean([1, 2])));
			if (!allClose(boxes.tensor.data, expected.data)) {
				return fail(
					'`boxes` has the right shape but not the right values: apply `tracker.attention` to the features-last maps [2, 6, 6, 8], average over the 6 × 6 positions, then apply `tracker.fc`.'
				);
			}
			return pass(
				"It runs: every Linear now reads 8 features. But look at what the article's Softmax(dim=1) normalises on [B, H, W, C]: the 6 rows, separately for each column and feature. One distribution over all 36 positions is what tracking needs."
			);
		},
		hint: '`frames.permute(0, 2, 3, 1)` puts the channels last: [2, 6, 6, 8]. After `tracker.attention`, `.mean([1, 2])` averages the 6 × 6 positions, leaving [2, 8] for `tracker.fc`.',
		solution:
			'const frames = randn([2, 8, 6, 6], { rng: new Rng(1) });\nconst tracker = new tasks.article.ObjectTracker(8, 8, 1, { rng: new Rng(2) });\nconst featuresLast = frames.permute(0, 2, 3, 1);\nconst attended = tracker.attention.forward(featuresLast);\nconst boxes = tracker.fc.forward(attended.mean([1, 2]));\nboxes'
	},
	'soft-argmax': {
		check(scope) {
			const scores = expectTensor(scope, 'scores', { shape: [4, 4] });
			if (!scores.ok) return scores.result;
			const weights = expectTensor(scope, 'weights');
			if (!weights.ok) return weights.result;
			if (weights.tensor.size !== 16)
				return fail(`\`weights\` should hold one weight per cell, 16 in all; it holds ${weights.tensor.size}.`);
			const total = Array.from(weights.tensor.data).reduce((s, v) => s + v, 0);
			if (Math.abs(total - 1) > 1e-4) {
				return fail(
					`\`weights\` sums to ${total.toFixed(3)}, not 1: a softmax over each row makes ${scores.tensor.shape[0]} distributions, not one over the map.`
				);
			}
			const expected = scores.tensor.reshape([16]).softmax(0);
			if (!allClose(weights.tensor.data, expected.data))
				return fail('`weights` sums to 1 but is not the softmax of `scores` over all 16 cells.');
			const centre = expectTensor(scope, 'centre', { shape: [2] });
			if (!centre.ok) return centre.result;
			const truth = expected.reshape([1, 16]).matmul(cellCentres(4, 4)).reshape([2]);
			if (!allClose(centre.tensor.data, truth.data))
				return fail(`\`centre\` is ${fmt(centre.tensor.data)}; the expected cell centre is ${fmt(truth.data)}.`);
			return pass(
				`centre = ${fmt(truth.data)}: pulled towards the cell at row 2, column 3 (centre [0.88, 0.63]) by its score of 4, and a little towards the rest of the map.`
			);
		},
		hint: 'Flatten the map before the softmax so that all 16 cells compete: `scores.reshape([16]).softmax(0)`, then reshape back to [4, 4].',
		solution:
			'const scores = tensor([\n\t[0, 0, 0, 0],\n\t[0, 1, 0, 0],\n\t[0, 0, 0, 4],\n\t[0, 0, 0, 1]\n]);\nconst weights = scores.reshape([16]).softmax(0).reshape([4, 4]);\nconst cells = tasks.tracking.cellCentres(4, 4); // [16, 2]: cell centres (x, y)\nconst centre = weights.reshape([1, 16]).matmul(cells).reshape([2]);\ncentre'
	},
	'box-iou': {
		check(scope) {
			const pred = expectTensor(scope, 'pred', { shape: [4, 4] });
			if (!pred.ok) return pred.result;
			const truth = expectTensor(scope, 'truth', { shape: [4, 4] });
			if (!truth.ok) return truth.result;
			const iou = expectTensor(scope, 'iou', { shape: [4] });
			if (!iou.ok) return iou.result;
			const expected = Array.from({ length: 4 }, (_, i) => boxIoU(boxAt(pred.tensor, i), boxAt(truth.tensor, i)));
			if (!allClose(iou.tensor.data, expected)) return fail(`\`iou\` is ${fmt(iou.tensor.data)}; the boxes' IoUs are ${fmt(expected)}.`);
			return pass(`iou = ${fmt(expected)}: 1 for the perfect box, 0 for the one that misses, and partial overlaps in between.`);
		},
		hint: 'The union is the two areas added up, minus the intersection, which the sum counts twice.',
		solution:
			'const pred = tensor([\n\t[0.1, 0.1, 0.5, 0.5],\n\t[0.2, 0.2, 0.6, 0.6],\n\t[0.0, 0.0, 0.2, 0.2],\n\t[0.3, 0.1, 0.7, 0.9]\n]);\nconst truth = tensor([\n\t[0.1, 0.1, 0.5, 0.5],\n\t[0.3, 0.3, 0.7, 0.7],\n\t[0.5, 0.5, 0.9, 0.9],\n\t[0.3, 0.3, 0.7, 0.7]\n]);\nconst col = (boxes, k) => boxes.select(1, k);\nconst minimum = (a, b) => a.add(b).sub(a.sub(b).abs()).mul(0.5);\nconst maximum = (a, b) => a.add(b).add(a.sub(b).abs()).mul(0.5);\nconst side = (lo, hi) => {\n\tconst start = maximum(col(pred, lo), col(truth, lo));\n\tconst end = minimum(col(pred, hi), col(truth, hi));\n\treturn end.sub(start).relu();\n};\nconst inter = side(0, 2).mul(side(1, 3));\nconst area = (b) => col(b, 2).sub(col(b, 0)).mul(col(b, 3).sub(col(b, 1)));\nconst iou = inter.div(area(pred).add(area(truth)).sub(inter));\niou'
	},
	'success-curve': {
		check(scope) {
			const ious = expectTensor(scope, 'ious');
			if (!ious.ok) return ious.result;
			if (ious.tensor.ndim !== 1) return fail('`ious` should be a 1-D tensor, one IoU per frame.');
			const curve = expectTensor(scope, 'curve', { shape: [SUCCESS_THRESHOLDS] });
			if (!curve.ok) return curve.result;
			const expected = successCurve(ious.tensor.data);
			if (!allClose(curve.tensor.data, expected)) {
				const startsAtZero = curve.tensor.data[0] === 1 && allClose(curve.tensor.data.subarray(1), expected.slice(0, -1));
				const why = startsAtZero ? ' The first threshold should be 0.05, not 0: every frame passes θ = 0, and θ = 1 is missing.' : '';
				return fail(
					`\`curve\` starts ${fmt(curve.tensor.data.subarray(0, 4))}…; the success curve starts ${fmt(expected.slice(0, 4))}….${why}`
				);
			}
			const auc = scope.auc;
			const truthAuc = expected.reduce((s, v) => s + v, 0) / expected.length;
			if (typeof auc !== 'number' || Math.abs(auc - truthAuc) > 1e-4)
				return fail(`\`auc\` should be the curve's mean, ${truthAuc.toFixed(4)}, as a number.`);
			const mean = Array.from(ious.tensor.data).reduce((s, v) => s + v, 0) / ious.tensor.size;
			return pass(
				`Success AUC = ${truthAuc.toFixed(3)}, next to a mean IoU of ${mean.toFixed(3)}: each frame adds its IoU rounded down to a multiple of 0.05, so the area sits just below the mean.`
			);
		},
		hint: 'The 20 thresholds are 1/20, 2/20, …, 20/20: `arange(1, 21).div(20)`.',
		solution:
			'const ious = tensor([0.92, 0.81, 0.64, 0.57, 0.43, 0.12, 0.0, 0.77]);\nconst thresholds = arange(1, 21).div(20);\nconst curve = ge(ious.unsqueeze(0), thresholds.unsqueeze(1)).mean(1);\nconst auc = curve.mean().item();\ncurve'
	}
};
