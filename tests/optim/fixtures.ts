import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A committed fixture written by tests/reference/make_optim_fixtures.py. */
export function loadFixture<T>(relative: string): T {
	return JSON.parse(readFileSync(new URL(`../reference/fixtures/${relative}`, import.meta.url), 'utf8')) as T;
}

/** |actual − expected| ≤ atol + rtol·|expected| element by element, naming the first miss. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, atol = 1e-6, rtol = 1e-6): void {
	expect(actual.length, `${what}: length`).toBe(expected.length);
	for (let i = 0; i < expected.length; i++) {
		const err = Math.abs(actual[i] - expected[i]);
		if (!(err <= atol + rtol * Math.abs(expected[i]))) {
			expect.fail(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (error ${err.toExponential(2)})`);
		}
	}
}
