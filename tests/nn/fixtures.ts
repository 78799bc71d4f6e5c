import { readFileSync } from 'node:fs';
import { Tensor, tensor } from '$lib/engine';
import * as nn from '$lib/nn';

/** Fixtures written by tests/reference/make_nn_fixtures.py (see its docstring for the format). */

export interface FixtureTensor {
	shape: number[];
	data: number[];
}

export interface FixtureInput extends FixtureTensor {
	kind: 'float' | 'index' | 'mask';
	requiresGrad: boolean;
}

/** How to build the layer: `new <type>(...args, opts)`; Sequential's args are specs themselves. */
export interface LayerSpec {
	type: keyof typeof LAYERS;
	args: (number | number[] | LayerSpec)[];
	opts: Record<string, number | boolean>;
}

export interface LayerCase {
	name: string;
	spec: LayerSpec;
	repr: string;
	training: boolean;
	state: ({ key: string } & FixtureTensor)[];
	inputs: FixtureInput[];
	/** Which input each positional forward argument is (self-attention passes one tensor three times). */
	refs: number[];
	options: Record<string, boolean | FixtureInput>;
	outputs: ({ name: string } & FixtureTensor)[];
	r: number[][];
	grads: { inputs: (number[] | null)[]; params: Record<string, number[]> };
}

export interface LayerFixture {
	layer: string;
	torch: string;
	cases: LayerCase[];
	articleSizesError?: string;
}

export function loadLayerFixture(layer: string): LayerFixture {
	return JSON.parse(readFileSync(new URL(`../reference/fixtures/nn/${layer}.json`, import.meta.url), 'utf8')) as LayerFixture;
}

const LAYERS = {
	Linear: nn.Linear,
	ReLU: nn.ReLU,
	GELU: nn.GELU,
	Softmax: nn.Softmax,
	Sequential: nn.Sequential,
	Conv2d: nn.Conv2d,
	MaxPool2d: nn.MaxPool2d,
	LayerNorm: nn.LayerNorm,
	Dropout: nn.Dropout,
	Embedding: nn.Embedding,
	MultiHeadAttention: nn.MultiHeadAttention,
	AttentionModule: nn.AttentionModule,
	AttentionPooling: nn.AttentionPooling,
	SpatialAttention: nn.SpatialAttention
};

export function buildLayer(spec: LayerSpec): nn.Module {
	if (spec.type === 'Sequential') return new nn.Sequential(...spec.args.map((s) => buildLayer(s as LayerSpec) as nn.TensorModule));
	// The fixture, not the type system, guarantees the arguments fit the constructor.
	const Ctor = LAYERS[spec.type] as unknown as new (...args: unknown[]) => nn.Module;
	return new Ctor(...spec.args, spec.opts);
}

export function toTensor(t: FixtureTensor, requiresGrad = false): Tensor {
	return tensor(Float32Array.from(t.data), { shape: t.shape, requiresGrad });
}

export function fixtureState(c: LayerCase): Map<string, Tensor> {
	return new Map(c.state.map((s) => [s.key, toTensor(s)]));
}

function isTensorJson(v: unknown): v is FixtureInput {
	return typeof v === 'object' && v !== null && 'shape' in v && 'data' in v;
}

/** Run the case's forward on `module`: the named outputs, in the fixture's order, and the input tensors. */
export function runCase(module: nn.Module, c: LayerCase): { outputs: Tensor[]; inputs: Tensor[] } {
	const inputs = c.inputs.map((i) => toTensor(i, i.requiresGrad));
	const args: unknown[] = c.refs.map((i) => inputs[i]);
	if (Object.keys(c.options).length > 0) {
		args.push(Object.fromEntries(Object.entries(c.options).map(([k, v]) => [k, isTensorJson(v) ? toTensor(v) : v])));
	}
	const forward = module.forward as (...a: unknown[]) => Tensor | Record<string, Tensor>;
	const result = forward.apply(module, args);
	const outputs = c.outputs.map((o) => (result instanceof Tensor ? result : result[o.name]));
	return { outputs, inputs };
}
