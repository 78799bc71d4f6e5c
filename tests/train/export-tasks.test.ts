import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Rng, Tensor, noGrad, rand, tensor } from '$lib/engine';
import { buildModel, buildPreviewData } from '$lib/lab/build';
import { defaultConfig, type LabConfig } from '$lib/lab/config';
import { labMetadata } from '$lib/lab/weights';
import type { Module } from '$lib/nn';
import { tasks, type TaskName } from '$lib/tasks';
import { fromSafetensors, toSafetensors } from '$lib/train';
import { exportToPyTorch } from '$lib/train/export';

/**
 * Every task model a lesson's lab can build, exported and run in real PyTorch 1.13 on the task's
 * own preview clips: the .py file must rebuild the architecture, load every weight under the same
 * keys (load_state_dict is strict), and compute the same outputs to float32 precision.
 */

const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('./run_exported.py', import.meta.url));
const rng = new Rng(11);

interface TaskCase {
	name: string;
	config: LabConfig;
	/** Python class the model exports as. */
	className: string;
}

const config = (task: TaskName, variant: string, model: Record<string, unknown> = {}): LabConfig => ({
	...defaultConfig(task, variant),
	model: model as LabConfig['model']
});

const CASES: TaskCase[] = [
	{ name: 'classification_attention', config: config('classification', 'attention'), className: 'AttentionClassifier' },
	{ name: 'classification_baseline', config: config('classification', 'baseline'), className: 'MeanPoolClassifier' },
	{ name: 'classification_article', config: config('classification', 'article'), className: 'ArticleClassifier' },
	{ name: 'tracking_attention', config: config('tracking', 'attention'), className: 'AttentionTracker' },
	{ name: 'tracking_baseline', config: config('tracking', 'baseline'), className: 'PoolingTracker' },
	{ name: 'generation_attention', config: config('generation', 'attention'), className: 'FrameTransformer' },
	{
		name: 'generation_learned_two_layers',
		config: config('generation', 'attention', { positional: 'learned', numLayers: 2 }),
		className: 'FrameTransformer'
	},
	{ name: 'generation_mlp', config: config('generation', 'mlp'), className: 'FrameTransformer' },
	{ name: 'generation_copy_last', config: config('generation', 'copy-last'), className: 'CopyLastFrame' },
	{ name: 'generation_linear', config: config('generation', 'linear'), className: 'LinearExtrapolation' }
];

/** The forward inputs the task feeds its model: two preview clips (and, for tracking, their first boxes). */
function inputsFor(c: LabConfig): Tensor[] {
	const batch = buildPreviewData(c).getBatch([0, 1]) as Record<string, Tensor>;
	if (c.task === 'tracking') {
		// The second clip's box is empty (x0 = x1): its template falls back to the uniform mask, which must export too.
		const boxes = batch.boxes.select(1, 0).data;
		return [batch.clips, tensor([[...boxes.subarray(0, 4)], [0.3, 0.3, 0.3, 0.6]])];
	}
	return [c.task === 'generation' ? batch.context : batch.clips];
}

/** Every parameter drawn from U(−0.5, 0.5), so zero biases and unit LayerNorm weights are not all that is tested. */
function randomise(model: Module): Module {
	for (const p of model.parameters()) p.data.set(rand(p.shape, { low: -0.5, high: 0.5, rng }).data);
	return model.eval();
}

/** Outputs in the order the Python driver flattens them: object values in order, arrays opened, nulls left out. */
function flatten(result: unknown): Tensor[] {
	if (result instanceof Tensor) return [result];
	if (result === null || result === undefined) return [];
	const values = Array.isArray(result) ? result : Object.values(result as Record<string, unknown>);
	return values.flatMap(flatten);
}

interface PythonResult {
	outputs?: { shape: number[]; data: number[] }[];
	error?: string;
}

describe('task models export to PyTorch 1.13 and compute the same outputs', () => {
	const expected = new Map<string, Tensor[]>();
	const exports = new Map<string, ReturnType<typeof exportToPyTorch>>();
	const models = new Map<string, Module>();
	let results: Record<string, PythonResult> = {};
	let setupError: unknown = null;
	let dir = '';

	beforeAll(() => {
		try {
			dir = mkdtempSync(join(tmpdir(), 'glance-export-tasks-'));
			const manifest = CASES.map((c) => {
				const model = randomise(buildModel(c.config));
				const inputs = inputsFor(c.config);
				// With the lab's settings in the metadata, as the export widget writes the file.
				const exported = exportToPyTorch(model, { inputShape: inputs.map((t) => t.shape), metadata: labMetadata(c.config) });
				models.set(c.name, model);
				exports.set(c.name, exported);
				expected.set(
					c.name,
					noGrad(() => flatten((model.forward as (...a: Tensor[]) => unknown)(...inputs)))
				);
				const paths = {
					python: join(dir, `${c.name}.py`),
					weights: join(dir, `${c.name}.safetensors`),
					inputs: join(dir, `${c.name}.in.safetensors`)
				};
				writeFileSync(paths.python, exported.python);
				writeFileSync(paths.weights, exported.weights);
				writeFileSync(paths.inputs, toSafetensors(new Map(inputs.map((t, i) => [`input.${i}`, t]))));
				return { name: c.name, ...paths, indexInputs: [], demo: false };
			});
			writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
			const run = spawnSync(PYTHON, [DRIVER, join(dir, 'manifest.json'), join(dir, 'results.json')], {
				encoding: 'utf8',
				timeout: 170_000
			});
			if (run.error || run.status !== 0) throw new Error(`${DRIVER} failed (${run.error?.message ?? run.status}):\n${run.stderr}`);
			results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, PythonResult>;
		} catch (e) {
			setupError = e;
		}
	}, 240_000);

	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	test.each(CASES.map((c) => [c.name, c.className]))('%s exports as class %s', (name, className) => {
		if (setupError) throw setupError;
		const { python, baseName } = exports.get(name)!;
		expect(python).toContain(`class ${className}(`);
		expect(baseName).toBe(className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
	});

	test.each(CASES.map((c) => c.name))('%s: load_model() loads every weight and forward matches to 1e-5', (name) => {
		if (setupError) throw setupError;
		const result = results[name];
		expect(result.error, 'the Python traceback').toBeUndefined();
		const want = expected.get(name)!;
		expect(want.length).toBeGreaterThan(0);
		expect(result.outputs).toHaveLength(want.length);
		result.outputs!.forEach((out, i) => {
			expect(out.shape, `output ${i} shape`).toEqual(want[i].shape);
			expect(out, `output ${i}`).toBeAllclose(want[i], { rtol: 1e-5, atol: 1e-5 });
		});
	});

	test('the weights file holds the state dict under the same keys, buffers included', () => {
		if (setupError) throw setupError;
		for (const name of ['generation_attention', 'tracking_baseline', 'generation_copy_last']) {
			const { tensors } = fromSafetensors(exports.get(name)!.weights);
			expect([...tensors.keys()], name).toEqual([...models.get(name)!.stateDict().keys()]);
		}
		expect([...fromSafetensors(exports.get('generation_attention')!.weights).tensors.keys()]).toContain('pos_encoding');
	});
});

test('every variant of every task builds a model that exports', () => {
	for (const task of Object.keys(tasks) as TaskName[]) {
		for (const variant of tasks[task].variants) {
			const { python, weights } = exportToPyTorch(buildModel(defaultConfig(task, variant)));
			expect(python, `${task}/${variant}`).toContain('def load_model(path):');
			expect(weights.byteLength).toBeGreaterThan(8);
		}
	}
});
