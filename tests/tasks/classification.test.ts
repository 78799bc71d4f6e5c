import { describe, expect, test } from 'vitest';
import { Rng, ShapeError, ValueError, cat, tensor } from '$lib/engine';
import { AdamW } from '$lib/optim';
import { Trainer } from '$lib/train';
import {
	ArticleClassifier,
	AttentionClassifier,
	FrameEncoder,
	MeanPoolClassifier,
	classificationTask,
	keyFrameAttention,
	keyFrameShare,
	makeClassifier,
	type ClassifierVariant
} from '$lib/tasks/classification';
import { makeClassificationDataset } from '$lib/tasks/video';

const VARIANTS: ClassifierVariant[] = ['attention', 'baseline', 'article'];
const FRAMES = 6;
const DIM = 12;
const small = makeClassificationDataset({ seed: 3, frames: FRAMES, shapeSize: 7, trainSize: 4, valSize: 0 });
const batch = small.train.getBatch([0, 1, 2, 3]);

describe('classification models', () => {
	test.each(VARIANTS)('%s maps clips [B, T, H, W] to logits [B, classes] and frame weights [B, T]', (variant) => {
		const model = makeClassifier(variant, { numClasses: 4, dim: DIM, rng: new Rng(0) });
		const { logits, weights } = model.forward(batch.clips);
		expect(logits.shape).toEqual([4, 4]);
		expect(weights.shape).toEqual([4, FRAMES]);
	});

	test.each(VARIANTS)("%s's frame weights are non-negative and sum to 1 over time", (variant) => {
		const { weights } = makeClassifier(variant, { numClasses: 4, dim: DIM, rng: new Rng(1) }).forward(batch.clips);
		expect(weights.data.every((w) => w >= 0)).toBe(true);
		expect(weights.sum(1)).toBeAllclose(1, { atol: 1e-5 });
	});

	test('the baseline weighs every frame 1/T', () => {
		const { weights } = new MeanPoolClassifier({ dim: DIM, rng: new Rng(2) }).forward(batch.clips);
		expect(weights).toBeAllclose(1 / FRAMES);
	});

	test('the article variant keeps one distribution over time per feature, and its frame weights are their mean', () => {
		const { weights, featureWeights } = new ArticleClassifier({ dim: DIM, rng: new Rng(3) }).forward(batch.clips);
		expect(featureWeights.shape).toEqual([4, FRAMES, DIM]);
		expect(featureWeights.sum(1)).toBeAllclose(1, { atol: 1e-5 });
		expect(weights).toBeAllclose(featureWeights.mean(2), { atol: 1e-6 });
	});

	test('the article variant runs the article block with hidden = input, so its parameters are [dim, dim]', () => {
		const model = new ArticleClassifier({ dim: DIM, rng: new Rng(4) });
		const shapes = Object.fromEntries(model.namedParameters().map(([k, p]) => [k, p.shape]));
		expect(shapes['attention.attention.weight']).toEqual([DIM, DIM]);
		expect(shapes['fc.weight']).toEqual([4, DIM]);
	});

	test('the encoder encodes each frame on its own: reversing the frames reverses the features', () => {
		const encoder = new FrameEncoder({ dim: DIM, rng: new Rng(5) });
		const clips = batch.clips;
		const reversed = cat(
			Array.from({ length: FRAMES }, (_, t) => clips.slice(1, FRAMES - 1 - t, FRAMES - t)),
			1
		);
		const features = encoder.forward(clips);
		const expected = cat(
			Array.from({ length: FRAMES }, (_, t) => features.slice(1, FRAMES - 1 - t, FRAMES - t)),
			1
		);
		expect(encoder.forward(reversed)).toBeAllclose(expected, { atol: 1e-5 });
	});

	test('attention pooling ignores frame order: shuffled frames give the same logits', () => {
		const model = new AttentionClassifier({ dim: DIM, rng: new Rng(6) });
		const order = [3, 0, 5, 1, 4, 2];
		const shuffled = cat(
			order.map((t) => batch.clips.slice(1, t, t + 1)),
			1
		);
		expect(model.forward(shuffled).logits).toBeAllclose(model.forward(batch.clips).logits, { atol: 1e-5 });
	});

	test('the encoder rejects input that is not [B, T, H, W]', () => {
		expect(() => new FrameEncoder({ rng: new Rng(0) }).forward(batch.clips.reshape(4 * FRAMES, 16, 16))).toThrow(ShapeError);
	});
});

describe('key-frame metrics', () => {
	test('keyFrameAttention averages, over clips, the weight that lands on key frames', () => {
		const weights = tensor([
			[0.7, 0.2, 0.1],
			[0.1, 0.3, 0.6]
		]);
		const keyFrames = tensor([
			[1, 0, 0],
			[0, 1, 1]
		]);
		expect(keyFrameAttention(weights, keyFrames)).toBeCloseTo((0.7 + 0.9) / 2, 6);
	});

	test('keyFrameShare is the share of frames that are key frames, which is what uniform weights get', () => {
		const keyFrames = tensor([
			[1, 0, 0, 0],
			[1, 1, 0, 0]
		]);
		expect(keyFrameShare(keyFrames)).toBeCloseTo(0.375, 6);
		expect(
			keyFrameAttention(
				tensor([
					[0.25, 0.25, 0.25, 0.25],
					[0.25, 0.25, 0.25, 0.25]
				]),
				keyFrames
			)
		).toBeCloseTo(0.375, 6);
	});

	test('the metrics reject weights and key frames of different shapes', () => {
		expect(() => keyFrameAttention(tensor([[0.5, 0.5]]), tensor([[1, 0, 0]]))).toThrow(ShapeError);
		expect(() => keyFrameShare(tensor([1, 0, 0]))).toThrow(ShapeError);
	});
});

describe('classificationTask', () => {
	test('offers the attention model first, then the baseline and the article variant, and headlines accuracy', () => {
		expect(classificationTask.variants).toEqual(VARIANTS);
		expect(classificationTask.headline).toEqual({ metric: 'accuracy', higherIsBetter: true });
	});

	test('rejects an unknown variant by name', () => {
		expect(() => classificationTask.makeModel('lstm', { rng: new Rng(0) })).toThrow(ValueError);
		expect(() => classificationTask.makeModel('lstm', { rng: new Rng(0) })).toThrow(/attention, baseline, article/);
	});

	test('rejects a model from elsewhere', () => {
		const encoder = new FrameEncoder({ rng: new Rng(0) });
		expect(() => classificationTask.loss(encoder, batch)).toThrow(/expected one of the task's models/);
	});

	test('gives every variant its attention as frame weights [B, T]', () => {
		for (const variant of VARIANTS) {
			const maps = classificationTask.attention(classificationTask.makeModel(variant, { dim: DIM, rng: new Rng(1) }), batch);
			expect(maps?.kind).toBe('frames');
			expect(maps?.weights.shape).toEqual([4, FRAMES]);
		}
	});

	test("evaluate reports the baseline's key-frame attention as exactly the uniform share", () => {
		const { val } = classificationTask.makeData({ seed: 5, frames: FRAMES, trainSize: 1, valSize: 70 });
		const model = classificationTask.makeModel('baseline', { dim: DIM, rng: new Rng(2) });
		const metrics = classificationTask.evaluate(model, val);
		expect(Object.keys(metrics).sort()).toEqual(['accuracy', 'keyFrameAttention', 'keyFrameShare', 'loss']);
		expect(metrics.keyFrameAttention).toBeCloseTo(metrics.keyFrameShare, 5);
		const all = val.getBatch(Array.from({ length: val.size }, (_, i) => i));
		expect(metrics.keyFrameShare).toBeCloseTo(keyFrameShare(all.keyFrames), 6);
	});

	// Measured over model seeds 0 and 3–6: after 120 steps accuracy was 0.98–1.0 and key-frame attention 0.85–0.99
	// (uniform share 0.25); at 100 steps one seed was still at 0.77. The bounds leave room for other float rounding
	// (a changed matmul kernel) to shift the run. A constant rate, not the cosine recipe: over so short a run the
	// recipe would spend most steps at small rates.
	test('a short run learns the class from the key frames and moves attention onto them', () => {
		const { train, val } = classificationTask.makeData({
			seed: 1,
			frames: 4,
			noise: 0.05,
			distractors: 2,
			shapeSize: 7,
			maxEventFrames: 1,
			trainSize: 256,
			valSize: 64
		});
		const model = classificationTask.makeModel('attention', { dim: 16, rng: new Rng(0) });
		const before = classificationTask.evaluate(model, val);
		const trainer = new Trainer({
			model,
			optimizer: new AdamW(model.parameters(), { lr: 3e-3, weightDecay: 1e-4 }),
			lossFn: classificationTask.loss,
			data: train,
			batchSize: 16,
			epochs: 100,
			seed: 0
		});
		trainer.trainSteps(120);
		const after = classificationTask.evaluate(model, val);
		expect(before.keyFrameAttention).toBeLessThan(before.keyFrameShare + 0.05);
		expect(after.accuracy).toBeGreaterThanOrEqual(0.8);
		expect(after.keyFrameAttention).toBeGreaterThan(after.keyFrameShare + 0.4);
	}, 120_000);
});
