import { describe, expect, test } from 'vitest';
import { buildLayer, fixtureState, loadLayerFixture, runCase, toTensor } from './fixtures';

// Same bounds as the op fixtures: the engine computes in float32 and the references are
// float64; make_nn_fixtures.py asserts PyTorch's own float32 result meets them.
const TOL = { rtol: 1e-5, atol: 1e-6 };

const LAYERS = [
	'linear',
	'activation',
	'sequential',
	'conv2d',
	'maxPool2d',
	'layerNorm',
	'dropout',
	'embedding',
	'multiHeadAttention',
	'attentionModule',
	'attentionPooling',
	'spatialAttention'
];

// PyTorch's MultiheadAttention prints its own class names; the structure must match otherwise.
const torchNames = (repr: string) =>
	repr.replace('MultiheadAttention(', 'MultiHeadAttention(').replace('NonDynamicallyQuantizableLinear(', 'Linear(');

describe.each(LAYERS)('%s matches torch.nn', (layer) => {
	const fixture = loadLayerFixture(layer);

	test.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
		const module = buildLayer(c.spec).train(c.training);
		expect([...module.stateDict().keys()], 'state-dict keys, in order').toEqual(c.state.map((s) => s.key));
		expect(String(module)).toBe(torchNames(c.repr));
		module.loadStateDict(fixtureState(c));

		const { outputs, inputs } = runCase(module, c);
		outputs.forEach((out, i) => expect(out, `output ${c.outputs[i].name}`).toBeAllclose(toTensor(c.outputs[i]), TOL));

		outputs
			.map((out, i) => out.mul(toTensor({ shape: c.outputs[i].shape, data: c.r[i] })).sum())
			.reduce((a, b) => a.add(b))
			.backward();
		c.grads.inputs.forEach((g, i) => {
			if (g !== null) expect(inputs[i].grad, `grad of input ${i}`).toBeAllclose({ shape: c.inputs[i].shape, data: g }, TOL);
		});
		for (const [key, p] of module.namedParameters()) {
			expect(p.grad, `grad of ${key}`).toBeAllclose({ shape: [...p.shape], data: c.grads.params[key] }, TOL);
		}
	});
});
