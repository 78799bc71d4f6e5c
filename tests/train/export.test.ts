import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng, Tensor, noGrad, rand, randint, randn } from '$lib/engine';
import * as nn from '$lib/nn';
import { ObjectTracker, VideoClassifier, VideoGenerator } from '$lib/tasks/article';
import { fromSafetensors, toSafetensors } from '$lib/train';
import { exportToPyTorch, type ExportOptions, type TorchClass } from '$lib/train/export';

const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('./run_exported.py', import.meta.url));
const ARTICLE_PY = fileURLToPath(new URL('../reference/article_models.py', import.meta.url));
const rng = new Rng(7);

/** A model of the test's own, exported through its torchSource() hook. */
class PooledClassifier extends nn.Module {
	encoder = new nn.Linear(6, 8, { rng });
	pool = new nn.AttentionPooling(8, { rng });
	head = new nn.Linear(8, 3, { rng });

	forward(clip: Tensor): Tensor {
		return this.head.forward(this.pool.forward(this.encoder.forward(clip).relu()).pooled);
	}

	torchSource(): TorchClass {
		return {
			name: 'PooledClassifier',
			args: [],
			source: `class PooledClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(6, 8)
        self.pool = AttentionPooling(8)
        self.head = nn.Linear(8, 3)

    def forward(self, clip):
        pooled, _ = self.pool(self.encoder(clip).relu())
        return self.head(pooled)`
		};
	}
}

class CausalBlock extends nn.Module {
	attn = new nn.MultiHeadAttention(8, 2, { rng });
	norm = new nn.LayerNorm(8);

	forward(x: Tensor): { output: Tensor; weights: Tensor } {
		const { output, weights } = this.attn.forward(x, x, x, { causal: true });
		return { output: this.norm.forward(x.add(output)), weights: weights! };
	}

	torchSource(): TorchClass {
		return {
			name: 'CausalBlock',
			args: [],
			source: `class CausalBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = MultiHeadAttention(8, 2)
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        attended, weights = self.attn(x, x, x, causal=True)
        return self.norm(x + attended), weights`
		};
	}
}

interface ExportCase {
	name: string;
	build: () => nn.Module;
	inputs: () => Tensor[];
	/** Inputs that are indices (PyTorch needs them as int64). */
	indexInputs?: number[];
	opts?: ExportOptions;
	/** Also run the file as a script (its demo) and keep what it prints. */
	demo?: boolean;
}

const CASES: ExportCase[] = [
	{
		name: 'video_classifier',
		build: () => new VideoClassifier(16, 16, 10, { rng }),
		inputs: () => [randn([2, 5, 16], { rng })],
		opts: { inputShape: [2, 5, 16] },
		demo: true
	},
	{ name: 'object_tracker', build: () => new ObjectTracker(3, 3, 5, { rng }), inputs: () => [randn([2, 3, 4, 3], { rng })] },
	{ name: 'video_generator', build: () => new VideoGenerator(16, 16, 12, { rng }), inputs: () => [randn([2, 3, 8, 16], { rng })] },
	{
		name: 'renamed_generator',
		build: () => new VideoGenerator(8, 1, 4, { rng }),
		inputs: () => [randn([2, 3, 5, 8], { rng })],
		opts: { className: 'FrameRows' }
	},
	{
		name: 'mlp',
		build: () =>
			new nn.Sequential(
				new nn.Linear(6, 16, { rng }),
				new nn.GELU(),
				new nn.LayerNorm(16),
				new nn.Dropout(0.3),
				new nn.Linear(16, 4, { bias: false, rng }),
				new nn.Softmax(-1)
			),
		inputs: () => [randn([3, 6], { rng })],
		opts: { className: 'Mlp', inputShape: [3, 6] },
		demo: true
	},
	{
		name: 'conv_net',
		build: () =>
			new nn.Sequential(
				new nn.Conv2d(3, 6, 3, { padding: 1, rng }),
				new nn.ReLU(),
				new nn.MaxPool2d(2),
				new nn.Conv2d(6, 4, [3, 2], { stride: [2, 1], bias: false, rng }),
				new nn.MaxPool2d(3, { stride: 1, padding: 1 }),
				new nn.LayerNorm([2, 5], { eps: 1e-3 })
			),
		inputs: () => [randn([2, 3, 12, 12], { rng })]
	},
	{
		name: 'embedding',
		build: () => new nn.Sequential(new nn.Embedding(10, 4, { rng }), new nn.Linear(4, 3, { rng })),
		inputs: () => [randint(0, 10, [2, 5], { rng })],
		indexInputs: [0]
	},
	{
		name: 'attention_in_sequential',
		build: () => new nn.Sequential(new nn.Linear(6, 8, { rng }), new nn.AttentionModule(8, 8, { rng }), new nn.Linear(8, 2, { rng })),
		inputs: () => [randn([2, 4, 6], { rng })]
	},
	{ name: 'attention_pooling', build: () => new nn.AttentionPooling(4, { rng }), inputs: () => [randn([2, 5, 4], { rng })] },
	{ name: 'pooled_classifier', build: () => new PooledClassifier(), inputs: () => [randn([2, 5, 6], { rng })] },
	{ name: 'causal_block', build: () => new CausalBlock(), inputs: () => [randn([2, 5, 8], { rng })] },
	{
		name: 'cross_attention',
		build: () => new nn.MultiHeadAttention(8, 2, { bias: false, dropout: 0.2, rng }),
		inputs: () => [randn([2, 3, 8], { rng }), randn([2, 4, 8], { rng }), randn([2, 4, 8], { rng })]
	},
	{ name: 'spatial_saliency', build: () => new nn.SpatialAttention(4, { rng }), inputs: () => [randn([2, 4, 3, 3], { rng })] },
	{
		name: 'spatial_query',
		build: () => new nn.SpatialAttention(4, { queryDim: 5, rng }),
		inputs: () => [randn([2, 4, 3, 2], { rng }), randn([2, 5], { rng })]
	}
];

/** Every parameter drawn from U(−0.5, 0.5), so zero-initialised biases and unit LayerNorm weights are tested too. */
function randomise(model: nn.Module): nn.Module {
	for (const p of model.parameters()) p.data.set(rand(p.shape, { low: -0.5, high: 0.5, rng }).data);
	return model.eval();
}

function outputsOf(result: unknown): Tensor[] {
	return result instanceof Tensor ? [result] : Object.values(result as Record<string, Tensor>);
}

interface Prepared {
	model: nn.Module;
	python: string;
	weights: Uint8Array;
	expected: Tensor[];
}

interface PythonResult {
	outputs?: { shape: number[]; data: number[] }[];
	demo?: string;
	error?: string;
}

function requireTorch(): void {
	const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
	if (probe.error || probe.status !== 0) {
		const why = probe.error?.message ?? probe.stderr.trim().split('\n').at(-1);
		throw new Error(
			`These tests run the exported code in real PyTorch, but ${PYTHON} cannot import torch (${why}). ` +
				`Install it with: apt-get install python3-torch (CI's .ci/run does).`
		);
	}
}

describe('exportToPyTorch: the exported code runs in PyTorch 1.13 and gives Glance’s outputs', () => {
	const prepared = new Map<string, Prepared>();
	let results: Record<string, PythonResult> = {};
	let setupError: unknown = null;
	let dir = '';

	/** What Python gave for case `name`. Without PyTorch every test fails with the reason, rather than being skipped. */
	function pythonResult(name: string): PythonResult {
		if (setupError) throw setupError;
		return results[name];
	}

	/** The export of case `name`, made before PyTorch is needed. */
	function exported(name: string): Prepared {
		const p = prepared.get(name);
		if (!p) throw setupError ?? new Error(`no case named ${name}`);
		return p;
	}

	beforeAll(() => {
		try {
			exportAndRun();
		} catch (e) {
			setupError = e;
		}
	}, 180_000);

	function exportAndRun(): void {
		dir = mkdtempSync(join(tmpdir(), 'glance-export-'));
		const manifest = CASES.map((c) => {
			const model = randomise(c.build());
			const inputs = c.inputs();
			const { python, weights } = exportToPyTorch(model, c.opts);
			const expected = noGrad(() => outputsOf((model.forward as (...a: Tensor[]) => unknown)(...inputs)));
			prepared.set(c.name, { model, python, weights, expected });
			const paths = {
				python: join(dir, `${c.name}.py`),
				weights: join(dir, `${c.name}.safetensors`),
				inputs: join(dir, `${c.name}.in.safetensors`)
			};
			writeFileSync(paths.python, python);
			writeFileSync(paths.weights, weights);
			writeFileSync(paths.inputs, toSafetensors(new Map(inputs.map((t, i) => [`input.${i}`, t]))));
			return { name: c.name, ...paths, indexInputs: c.indexInputs ?? [], demo: c.demo ?? false };
		});
		writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
		requireTorch();
		const run = spawnSync(PYTHON, [DRIVER, join(dir, 'manifest.json'), join(dir, 'results.json')], { encoding: 'utf8', timeout: 120_000 });
		if (run.status !== 0) throw new Error(`${DRIVER} failed (status ${run.status}):\n${run.stderr}`);
		results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, PythonResult>;
	}

	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	test.each(CASES.map((c) => c.name))('%s: load_model() loads every weight and forward matches to 1e-5', (name) => {
		const result = pythonResult(name);
		expect(result.error, 'the Python traceback').toBeUndefined();
		const { expected } = exported(name);
		expect(result.outputs).toHaveLength(expected.length);
		result.outputs!.forEach((out, i) => expect(out, `output ${i}`).toBeAllclose(expected[i], { rtol: 1e-5, atol: 1e-5 }));
	});

	test('run as a script, the file loads its weights and runs the model on an input of the given shape', () => {
		expect(pythonResult('video_classifier').demo).toContain('output shapes: (2, 10)');
		expect(pythonResult('mlp').demo).toMatch(/^Mlp\(\n {2}\(0\): Linear\(in_features=6, out_features=16, bias=True\)/);
		expect(pythonResult('mlp').demo).toContain('output shapes: (3, 4)');
	});

	test('causal attention exports with its mask: no weight above the diagonal', () => {
		const weights = pythonResult('causal_block').outputs![1];
		expect(weights.shape).toEqual([2, 5, 5]);
		weights.data.forEach((w, k) => {
			const [i, j] = [Math.floor(k / 5) % 5, k % 5];
			if (j > i) expect(w).toBe(0);
		});
	});

	test('the weights file is the state dict, under the same keys', () => {
		const { model, weights } = exported('causal_block');
		const { tensors, metadata } = fromSafetensors(weights);
		expect(metadata).toEqual({ format: 'pt' });
		expect([...tensors.keys()]).toEqual([...model.stateDict().keys()]);
		for (const [key, t] of model.stateDict()) expect(tensors.get(key)!.data, key).toEqual(t.data);
	});

	test('an article model exports as the article wrote it, and needs nothing but torch', () => {
		const { python } = exported('video_classifier');
		const reference = readFileSync(ARTICLE_PY, 'utf8');
		for (const cls of ['AttentionModule', 'VideoClassifier']) {
			const source = reference
				.slice(reference.indexOf(`class ${cls}(`))
				.split('\n\n\n')[0]
				.trimEnd();
			expect(python, cls).toContain(source);
		}
		expect(python).toContain('def load_model(path):');
		expect(python).toContain('torch.frombuffer');
		expect(python).toContain('    return VideoClassifier(16, 16, 10)');
		expect(python).not.toMatch(/^(import|from) (safetensors|numpy)/m);
	});

	test('a Sequential exports as nn.Sequential of torch layers, defaults left out, in a class of the given name', () => {
		expect(exported('mlp').python).toContain(`class Mlp(nn.Sequential):
    """The model as Glance built it: these are the sizes its weights were trained at."""

    def __init__(self):
        super().__init__(
            nn.Linear(6, 16),
            nn.GELU(),
            nn.LayerNorm(16),
            nn.Dropout(0.3),
            nn.Linear(16, 4, bias=False),
            nn.Softmax(dim=-1),
        )`);
		const conv = exported('conv_net').python;
		expect(conv).toContain('nn.Conv2d(3, 6, 3, padding=1)');
		expect(conv).toContain('nn.Conv2d(6, 4, (3, 2), stride=(2, 1), bias=False)');
		expect(conv).toContain('nn.MaxPool2d(3, stride=1, padding=1)');
		expect(conv).toContain('nn.LayerNorm((2, 5), eps=0.001)');
		expect(exported('renamed_generator').python).toContain('class FrameRows(VideoGenerator):');
	});
});

describe('exportToPyTorch refuses what it cannot write', () => {
	class Mystery extends nn.Module {
		forward(x: Tensor): Tensor {
			return x;
		}
	}

	test('a module with no PyTorch form, naming its path and class', () => {
		const model = new nn.Sequential(new nn.Linear(2, 2), new nn.Sequential(new nn.ReLU(), new Mystery()));
		expect(() => exportToPyTorch(model)).toThrow(
			'exportToPyTorch: module "1.1" is a Mystery, which has no PyTorch form: it is not a layer from $lib/nn, ' +
				'and its class does not define torchSource() returning its Python class'
		);
		expect(() => exportToPyTorch(new Mystery())).toThrow('exportToPyTorch: the model is a Mystery, which has no PyTorch form');
	});

	test('a subclass that does not describe itself, since an inherited torchSource() describes the parent', () => {
		class Tweaked extends VideoClassifier {}
		expect(() => exportToPyTorch(new Tweaked(4, 4, 2))).toThrow('exportToPyTorch: the model is a Tweaked, which has no PyTorch form');
	});

	test('a class name Python cannot use, or one the file already defines', () => {
		const model = new nn.Sequential(new nn.AttentionModule(4, 4));
		expect(() => exportToPyTorch(model, { className: 'class' })).toThrow('className "class" is not a valid Python class name');
		expect(() => exportToPyTorch(model, { className: 'AttentionModule' })).toThrow(
			'className AttentionModule would clash with a name the exported file already defines or imports'
		);
	});
});
