import { describe, expect, it } from 'vitest';
import { Rng, portableLog, randn, randint, rand } from '../../src/lib/engine/index';

describe('Rng', () => {
	it('gives the same stream for the same seed and a different one for another seed', () => {
		const a = new Rng(42);
		const b = new Rng(42);
		const c = new Rng(43);
		const xs = Array.from({ length: 5 }, () => a.nextU32());
		expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
		expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
	});

	it('pins the first outputs for seed 0, so every engine can be checked against them', () => {
		const r = new Rng(0);
		const first = [r.nextU32(), r.nextU32(), r.nextU32()];
		const again = new Rng(0);
		expect([again.nextU32(), again.nextU32(), again.nextU32()]).toEqual(first);
		expect(first.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
	});

	it('draws uniforms in [0, 1) with mean near 1/2', () => {
		const r = new Rng(1);
		const xs = Array.from({ length: 20000 }, () => r.uniform());
		expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...xs)).toBeLessThan(1);
		expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.01);
	});

	it('draws normals with mean 0 and variance 1', () => {
		const r = new Rng(2);
		const xs = Array.from({ length: 40000 }, () => r.normal());
		const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
		const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
		expect(Math.abs(mean)).toBeLessThan(0.02);
		expect(Math.abs(variance - 1)).toBeLessThan(0.03);
	});

	it('draws integers in [lo, hi) covering every value', () => {
		const r = new Rng(3);
		const seen = new Set(Array.from({ length: 1000 }, () => r.int(-2, 3)));
		expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
		expect(() => r.int(3, 3)).toThrowError('Rng.int: need integers lo < hi within 2^32 of each other, got [3, 3)');
	});

	it('shuffles into a permutation, reproducibly', () => {
		const a = new Rng(4).shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
		const b = new Rng(4).shuffle([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(a).toEqual(b);
		expect([...a].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(a).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});

	it('restores a saved state to replay the same numbers', () => {
		const r = new Rng(5);
		r.normal();
		const state = r.getState();
		const next = [r.normal(), r.uniform()];
		r.setState(state);
		expect([r.normal(), r.uniform()]).toEqual(next);
	});

	it('refuses a non-finite seed', () => {
		expect(() => new Rng(NaN)).toThrowError('Rng: seed must be a finite number, got NaN');
	});
});

describe('portableLog', () => {
	it('agrees with Math.log to within a few ulps', () => {
		for (const x of [1e-300, 1e-10, 0.1, 0.5, 1, 1.5, 2, Math.E, 10, 12345.678, 1e200]) {
			expect(Math.abs(portableLog(x) - Math.log(x))).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(Math.log(x))));
		}
	});
});

describe('random tensors', () => {
	it('randn, rand and randint are reproducible with a seeded rng', () => {
		expect(Array.from(randn([4], { rng: new Rng(9) }).data)).toEqual(Array.from(randn([4], { rng: new Rng(9) }).data));
		const u = rand([100], { rng: new Rng(1), low: -2, high: 2 });
		expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-2);
		expect(Math.max(...u.data)).toBeLessThan(2);
		const k = randint(0, 10, [50], { rng: new Rng(1) });
		expect(Array.from(k.data).every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
	});
});
