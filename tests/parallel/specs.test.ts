import { describe, expect, it } from 'vitest';
import { Rng, noGrad } from '../../src/lib/engine/index';
import { appSpecs } from '../../src/lib/parallel/specs';
import { tasks } from '../../src/lib/tasks/index';

describe('app model specs', () => {
	it('registers each video task under its name', () => {
		expect(Object.keys(appSpecs).sort()).toEqual(['classification', 'generation', 'tracking']);
	});

	it('builds the same model and data a worker would, from a plain config', () => {
		const config = structuredClone({ variant: 'attention', data: { trainSize: 4, valSize: 2 }, dataSeed: 3 });
		const spec = appSpecs.classification;
		const a = spec.createModel(config, 5);
		const b = tasks.classification.makeModel('attention', { rng: new Rng(5) });
		expect([...a.stateDict().keys()]).toEqual([...b.stateDict().keys()]);
		for (const [k, t] of a.stateDict()) expect(Array.from(t.data)).toEqual(Array.from(b.stateDict().get(k)!.data));
		const data = spec.createData(config);
		const batch = data.train.getBatch([0, 1]);
		const { loss } = spec.lossFn(a, batch);
		expect(Number.isFinite(loss.item())).toBe(true);
		const snap = noGrad(() => spec.snapshot!(a, batch));
		expect(snap.attention.shape[0]).toBe(2);
	});
});
