import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { Rng, ShapeError, randn, type Tensor } from '$lib/engine';
import { ObjectTracker, VideoClassifier, VideoGenerator } from '$lib/tasks/article';
import { fixtureState, runCase, toTensor, type LayerCase } from '../nn/fixtures';

/** Fixtures written by tests/reference/make_article_fixtures.py (see its docstring). */

const MODELS = { VideoClassifier, ObjectTracker, VideoGenerator };
type ModelName = keyof typeof MODELS;
type Model = InstanceType<(typeof MODELS)[ModelName]>;

/** One run of a model on randn(shape) in PyTorch: where it failed and PyTorch's message, or the output shape. */
interface TorchRun {
	model: ModelName;
	args: [number, number, number];
	shape: number[];
	path: string | null;
	error?: string;
	outputShape?: number[];
}

interface ArticleCase extends Omit<LayerCase, 'spec'> {
	spec: { type: ModelName; args: [number, number, number] };
}

interface ArticleFixture {
	model: string;
	torch: string;
	failures: TorchRun[];
	cases: ArticleCase[];
	grid?: TorchRun[];
}

function loadFixture(name: string): ArticleFixture {
	return JSON.parse(readFileSync(new URL(`../reference/fixtures/article/${name}.json`, import.meta.url), 'utf8')) as ArticleFixture;
}

const FIXTURES = ['videoClassifier', 'objectTracker', 'videoGenerator'].map(loadFixture);
const TRACKER = FIXTURES[1];

function build(model: ModelName, args: readonly number[], seed = 0): Model {
	const [inputDim, hiddenDim, outputs] = args;
	return new MODELS[model](inputDim, hiddenDim, outputs, { rng: new Rng(seed) });
}

/** Run the model as the article does, on randn(shape): its output, or the ShapeError it threw. */
function run(model: ModelName, args: readonly number[], shape: number[]): Tensor | ShapeError {
	try {
		return build(model, args).forward(randn(shape, { rng: new Rng(1) }));
	} catch (e) {
		if (e instanceof ShapeError) return e;
		throw e;
	}
}

const label = (r: { model: string; args: readonly number[]; shape: readonly number[] }) =>
	`${r.model}(${r.args.join(', ')}) on [${r.shape.join(',')}]`;

const MULTIPLY_HINT = (input: number, hidden: number) =>
	`AttentionModule multiplies relu(x), whose last dim is input_dim = ${input}, by softmax weights whose last dim is ` +
	`hidden_dim = ${hidden}; the product only exists when hidden_dim equals input_dim (or is 1).`;
const ONLY_RUNS = 'ObjectTracker never turns pixels into features, so it only runs when width = channels = input_dim.';
const WIDTH = (w: number) =>
	`The attention's nn.Linear(512, 256) acts on the last axis of a (B, C, H, W) frame, its width of ${w} pixels, not on features`;
const NOT_FRAMES = '; and where it runs (width = input_dim), it maps each image row to num_frames = 100 numbers, not to frames.';

/** The article's sizes (512, 256; 10 classes, 5 objects, 100 frames): Glance's message, and PyTorch's for the same input. */
const ARTICLE_RUNS: { run: string; glance: string; torch: string }[] = [
	{
		run: 'VideoClassifier(512, 256, 10) on [2,16,512]',
		glance: `attention → mul: cannot broadcast [2,16,512] with [2,16,256] at dim 2 (512 vs 256)\nHint: ${MULTIPLY_HINT(512, 256)}`,
		torch: 'The size of tensor a (512) must match the size of tensor b (256) at non-singleton dimension 2'
	},
	{
		run: 'ObjectTracker(512, 256, 5) on [2,3,32,32]',
		glance: `attention.attention → linear: input [2,3,32,32] must end in inFeatures = 512, but its last dim is 32\nHint: ${WIDTH(32)}; ${ONLY_RUNS}`,
		torch: 'mat1 and mat2 shapes cannot be multiplied (192x32 and 512x256)'
	},
	{
		run: 'ObjectTracker(512, 256, 5) on [2,3,32,512]',
		glance:
			`attention → mul: cannot broadcast [2,3,32,512] with [2,3,32,256] at dim 3 (512 vs 256)\nHint: ${MULTIPLY_HINT(512, 256)}` +
			' Even then, fc would get 3 channel means, not 512 features.',
		torch: 'The size of tensor a (512) must match the size of tensor b (256) at non-singleton dimension 3'
	},
	{
		run: 'ObjectTracker(512, 256, 5) on [2,3,224,224]',
		glance: `attention.attention → linear: input [2,3,224,224] must end in inFeatures = 512, but its last dim is 224\nHint: ${WIDTH(224)}; ${ONLY_RUNS}`,
		torch: 'mat1 and mat2 shapes cannot be multiplied (1344x224 and 512x256)'
	},
	{
		run: 'VideoGenerator(512, 256, 100) on [2,3,32,32]',
		glance: `attention.attention → linear: input [2,3,32,32] must end in inFeatures = 512, but its last dim is 32\nHint: ${WIDTH(32)}${NOT_FRAMES}`,
		torch: 'mat1 and mat2 shapes cannot be multiplied (192x32 and 512x256)'
	},
	{
		run: 'VideoGenerator(512, 256, 100) on [2,3,32,512]',
		glance: `attention → mul: cannot broadcast [2,3,32,512] with [2,3,32,256] at dim 3 (512 vs 256)\nHint: ${MULTIPLY_HINT(512, 256)}`,
		torch: 'The size of tensor a (512) must match the size of tensor b (256) at non-singleton dimension 3'
	},
	{
		run: 'VideoGenerator(512, 256, 100) on [2,3,224,224]',
		glance: `attention.attention → linear: input [2,3,224,224] must end in inFeatures = 512, but its last dim is 224\nHint: ${WIDTH(224)}${NOT_FRAMES}`,
		torch: 'mat1 and mat2 shapes cannot be multiplied (1344x224 and 512x256)'
	}
];

/** Inputs or sizes the article did not use, failing at the other steps: every one still gets a hint. */
const OTHER_RUNS: { run: string; glance: string }[] = [
	{
		run: 'VideoClassifier(512, 256, 10) on [2,16,256]',
		glance:
			'attention.attention → linear: input [2,16,256] must end in inFeatures = 512, but its last dim is 256\n' +
			"Hint: The attention's nn.Linear(512, 256) reads the last axis of its input as input_dim = 512 features, but that axis has 256."
	},
	{
		run: 'VideoClassifier(16, 16, 10) on [2,16]',
		glance:
			'fc → linear: input [2] must end in inFeatures = 16, but its last dim is 2\n' +
			'Hint: VideoClassifier takes a clip as (batch, frames, features), but this input is 2-D: ' +
			'mean over dim 1 averaged its features away, so fc gets one number per clip, not 16 features.'
	},
	{
		run: 'ObjectTracker(16, 16, 5) on [2,3,8,16]',
		glance:
			'fc → linear: input [2,3] must end in inFeatures = 16, but its last dim is 3\n' +
			`Hint: mean over (height, width) leaves one number per channel (3), but fc expects input_dim = 16 features: ${ONLY_RUNS}`
	},
	{
		run: 'ObjectTracker(16, 16, 5) on [2,8,16]',
		glance:
			'mean: dim 3 is out of range for a tensor with 3 dimensions (expected -3 to 2)\n' +
			'Hint: ObjectTracker takes frames as (batch, channels, height, width), but this input is 3-D.'
	},
	{
		run: 'VideoGenerator(16, 16, 100) on [2,8,32]',
		glance:
			'attention.attention → linear: input [2,8,32] must end in inFeatures = 16, but its last dim is 32\n' +
			"Hint: The attention's nn.Linear(16, 16) reads the last axis of its input as input_dim = 16 features, but that axis has 32."
	},
	{
		run: 'VideoGenerator(1, 4, 100) on [2,3,8,1]',
		glance:
			'decoder → linear: input [2,8,4] must end in inFeatures = 1, but its last dim is 4\n' +
			"Hint: With input_dim = 1, AttentionModule's product broadcasts relu(x) up to hidden_dim = 4 features, but decoder was built for input_dim = 1."
	}
];

const torchFailures = new Map(FIXTURES.flatMap((f) => f.failures).map((r) => [label(r), r]));

function torchFailure(name: string): TorchRun {
	const r = torchFailures.get(name);
	if (!r) throw new Error(`no PyTorch run for ${name} in tests/reference/fixtures/article: run npm run fixtures`);
	return r;
}

describe("the article's models, run as the article runs them", () => {
	test.each(ARTICLE_RUNS)('$run throws a ShapeError naming the module path, with a one-line hint', ({ run: name, glance }) => {
		const r = torchFailure(name);
		const err = run(r.model, r.args, r.shape);
		expect(err).toBeInstanceOf(ShapeError);
		expect((err as ShapeError).message).toBe(glance);
		expect((err as ShapeError).hint).not.toMatch(/\n/);
	});

	test.each(ARTICLE_RUNS)('PyTorch 1.13 confirms that $run fails, inside the same module', ({ run: name, torch }) => {
		const r = torchFailure(name);
		expect(r.error).toBe(torch);
		expect((run(r.model, r.args, r.shape) as ShapeError).path).toBe(r.path);
	});
});

describe('failures at other sizes and inputs', () => {
	test.each(OTHER_RUNS)('$run fails where PyTorch fails, with a hint at the cause', ({ run: name, glance }) => {
		const r = torchFailure(name);
		const err = run(r.model, r.args, r.shape);
		expect(err).toBeInstanceOf(ShapeError);
		expect((err as ShapeError).message).toBe(glance);
		expect((err as ShapeError).path).toBe(r.path);
	});

	test('every failure PyTorch recorded is checked above', () => {
		expect([...torchFailures.keys()].sort()).toEqual([...ARTICLE_RUNS, ...OTHER_RUNS].map((r) => r.run).sort());
	});
});

// Same bounds as the nn fixtures: make_article_fixtures.py asserts PyTorch's own float32 result meets them.
const TOL = { rtol: 1e-5, atol: 1e-6 };

describe('where a size choice lets them run, they match PyTorch 1.13 (output and every gradient)', () => {
	const cases = FIXTURES.flatMap((f) => f.cases);

	test.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
		const model = build(c.spec.type, c.spec.args);
		expect([...model.stateDict().keys()], 'state-dict keys, in order').toEqual(c.state.map((s) => s.key));
		expect(String(model)).toBe(c.repr);
		model.loadStateDict(fixtureState(c as unknown as LayerCase));

		const {
			outputs: [out],
			inputs: [input]
		} = runCase(model, c as unknown as LayerCase);
		expect(out, 'output').toBeAllclose(toTensor(c.outputs[0]), TOL);

		out
			.mul(toTensor({ shape: c.outputs[0].shape, data: c.r[0] }))
			.sum()
			.backward();
		expect(input.grad, 'grad of the input').toBeAllclose({ shape: c.inputs[0].shape, data: c.grads.inputs[0]! }, TOL);
		for (const [key, p] of model.namedParameters()) {
			expect(p.grad, `grad of ${key}`).toBeAllclose({ shape: [...p.shape], data: c.grads.params[key] }, TOL);
		}
	});
});

describe('ObjectTracker on frames with 1 or 3 channels', () => {
	const grid = TRACKER.grid!;
	let glance: { torch: TorchRun; result: Tensor | ShapeError }[] = [];
	beforeAll(() => {
		glance = grid.map((r) => ({ torch: r, result: run('ObjectTracker', r.args, r.shape) }));
	});

	test('PyTorch fails on every frame wider than it has channels, at every input and hidden size in the grid', () => {
		const [inputDims, widths] = [new Set(grid.map((r) => r.args[0])), new Set(grid.map((r) => r.shape[3]))];
		expect(inputDims.size).toBeGreaterThanOrEqual(6);
		expect(widths).toEqual(new Set([1, 3, 4, 32, 224, 256, 512]));
		for (const r of grid) {
			const [, channels, , width] = r.shape;
			if (width !== channels) expect(r.path, label(r)).not.toBeNull();
		}
	});

	test('it runs only when width = channels = input_dim (and hidden_dim can multiply), in PyTorch as in Glance', () => {
		for (const { torch: r, result } of glance) {
			const [inputDim, hiddenDim] = r.args;
			const [, channels, , width] = r.shape;
			const runs = width === channels && channels === inputDim && (hiddenDim === inputDim || hiddenDim === 1 || inputDim === 1);
			expect(r.path === null, label(r)).toBe(runs);
			if (runs) expect((result as Tensor).shape, label(r)).toEqual(r.outputShape);
		}
	});

	test('Glance fails at every grid point PyTorch fails at, inside the same module', () => {
		for (const { torch: r, result } of glance.filter((g) => g.torch.path !== null)) {
			expect(result, label(r)).toBeInstanceOf(ShapeError);
			expect((result as ShapeError).path, label(r)).toBe(r.path);
		}
	});

	test("every failure's hint says why: the Linear reads the width and fc reads the channels, not features", () => {
		for (const { torch: r, result } of glance.filter((g) => g.torch.path !== null)) {
			const { hint, op } = result as ShapeError;
			const [inputDim, hiddenDim] = r.args;
			const channels = r.shape[1];
			if (op === 'mul') {
				expect(hint, label(r)).toContain(MULTIPLY_HINT(inputDim, hiddenDim));
				if (channels !== inputDim) expect(hint, label(r)).toContain(`fc would get ${channels} channel means, not ${inputDim} features`);
			} else {
				expect(hint, label(r)).toMatch(/its width of \d+ pixels, not on features|leaves one number per channel/);
				expect(hint, label(r)).toContain(ONLY_RUNS);
			}
		}
	});
});
