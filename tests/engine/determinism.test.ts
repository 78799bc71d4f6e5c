import { expect, it } from 'vitest';
import pinned from '../determinism.json';
import { Rng, randn } from '../../src/lib/engine/index';
import { clipChecksum, makeClassificationDataset } from '../../src/lib/tasks/video/index';

/** The same computation the browser test runs in a playground cell, so Node and Chromium are held to one set of numbers. */
function seededNumbers() {
	const r = new Rng(42);
	const u32 = [r.nextU32(), r.nextU32(), r.nextU32()];
	const normals = [r.normal(), r.normal(), r.normal()];
	const x = randn([64], { rng: new Rng(7) });
	const ds = makeClassificationDataset({ seed: 0, trainSize: 4, valSize: 2, noise: 0.1, distractors: 2 });
	return { u32, normals, randnChecksum: clipChecksum(x.data as Float32Array), classificationTrain: clipChecksum(ds.train.data) };
}

it('Node reproduces the pinned seeded numbers bit for bit', () => {
	const { comment: _, ...expected } = pinned;
	expect(seededNumbers()).toEqual(expected);
});
