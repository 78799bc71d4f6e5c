import { describe, expect, it } from 'vitest';
import { RewindStore } from '$lib/parallel/train-rewind';

const params = (step: number) => Float32Array.of(step, -step);

describe('RewindStore', () => {
	it('keeps a copy every `every` steps and finds the latest at or before a step', () => {
		const store = new RewindStore(5, 10);
		const p = params(0);
		for (let s = 0; s <= 12; s++) store.record(s, s === 0 ? p : params(s));
		p[0] = 99;
		expect(store.steps()).toEqual([0, 5, 10]);
		expect(store.at(0)!.params).toEqual(params(0));
		expect(store.at(9)).toEqual({ step: 5, params: params(5) });
		expect(store.at(-1)).toBeNull();
	});

	it('never holds more than its capacity: it thins to every other snapshot and doubles the interval', () => {
		const store = new RewindStore(1, 8);
		for (let s = 0; s <= 1000; s++) {
			store.record(s, params(s));
			expect(store.steps().length).toBeLessThanOrEqual(8);
		}
		const steps = store.steps();
		expect(steps[0]).toBe(0);
		expect(store.every).toBe(128);
		expect(steps).toEqual([0, 128, 256, 384, 512, 640, 768, 896]);
	});

	it('forgets snapshots after a step, and records again past the last it kept', () => {
		const store = new RewindStore(2, 10);
		for (let s = 0; s <= 8; s++) store.record(s, params(s));
		store.truncate(4);
		expect(store.steps()).toEqual([0, 2, 4]);
		store.record(4, params(40));
		store.record(6, params(6));
		expect(store.at(5)!.params).toEqual(params(4));
		expect(store.steps()).toEqual([0, 2, 4, 6]);
	});

	it('rejects an interval or capacity it cannot keep', () => {
		expect(() => new RewindStore(0, 8)).toThrow('every must be an integer ≥ 1, got 0');
		expect(() => new RewindStore(1, 1)).toThrow('capacity must be an integer ≥ 2, got 1');
	});
});
