import { readFileSync, readdirSync } from 'node:fs';
import { expect } from 'vitest';
import { gradcheck, tensor, type GradcheckOptions, type Tensor } from '$lib/engine';

/**
 * Checks every op against the PyTorch fixtures written by tests/reference/make_fixtures.py:
 * forward values, the gradient of sum(out · r) for the fixture's random r, and a float64
 * finite-difference gradcheck of the same call.
 */

interface FixtureTensor {
	shape: number[];
	data: number[];
}

interface FixtureInput extends FixtureTensor {
	/** Indices and masks arrive as float tensors of integers / 0-1, as the engine takes them. */
	kind: 'float' | 'index' | 'mask';
	requiresGrad: boolean;
}

interface FixtureCase {
	name: string;
	inputs: FixtureInput[];
	attrs: FixtureAttrs;
	out: FixtureTensor;
	r: number[];
	/** d sum(out · r) / d input, in float64 from the float32 inputs; null where no grad is taken. */
	grads: (number[] | null)[];
}

interface FixtureFile {
	op: string;
	torch: string;
	cases: FixtureCase[];
}

/** Attributes are JSON chosen per op; each op's call reads the ones its fixture writes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture file, not the type system, is the contract here
export type FixtureAttrs = Record<string, any>;

/** How the engine runs one op on a fixture's inputs, e.g. `([x], a) => x.softmax(a.dim)`. */
export type OpCall = (inputs: Tensor[], attrs: FixtureAttrs) => Tensor;

export interface CheckOptions {
	/** Forward and reference-gradient tolerance (allclose); widen only with a reason. */
	rtol?: number;
	atol?: number;
	gradcheck?: GradcheckOptions;
}

// The engine computes in float32 (ε ≈ 6e-8), so a correct op lands well inside rtol 1e-5;
// atol covers results that cancel to near zero. PyTorch's own float32 passes these bounds
// for every case (make_fixtures.py asserts it), so no case is too ill-conditioned to pass.
const RTOL = 1e-5;
const ATOL = 1e-6;

const FIXTURE_DIR = new URL('../reference/fixtures/', import.meta.url);

/** The ops that have a fixture file (the top-level `<op>.json` files; subfolders belong to nn, optim…). */
export function fixtureOps(): string[] {
	return readdirSync(FIXTURE_DIR)
		.filter((f) => f.endsWith('.json'))
		.map((f) => f.slice(0, -'.json'.length));
}

export function loadFixtures(op: string): FixtureFile {
	return JSON.parse(readFileSync(new URL(`${op}.json`, FIXTURE_DIR), 'utf8')) as FixtureFile;
}

function fromFixture({ data, shape }: FixtureTensor, requiresGrad = false): Tensor {
	return tensor(Float32Array.from(data), { shape, requiresGrad });
}

function withContext(where: string, stage: string, err: unknown): Error {
	const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
	return new Error(`${where}: ${stage} threw ${message}`, { cause: err });
}

/**
 * Run `call` on every case in `tests/reference/fixtures/<op>.json` and check, softly so that
 * one test reports every failing case:
 * - the output's shape and values against PyTorch's;
 * - each input's gradient of sum(out · r) against PyTorch's (and no gradient where none is asked);
 * - `gradcheck` of the same call in float64, which catches a backward that agrees with the
 *   fixture only by accident of its inputs.
 *
 * @example
 * checkOpFixtures('softmax', ([x], a) => x.softmax(a.dim));
 */
export function checkOpFixtures(op: string, call: OpCall, opts: CheckOptions = {}): void {
	const tol = { rtol: opts.rtol ?? RTOL, atol: opts.atol ?? ATOL };
	const { cases } = loadFixtures(op);
	expect(cases.length, `${op}: fixture file has no cases`).toBeGreaterThan(0);
	for (const c of cases) {
		const where = `${op} / ${c.name}`;
		const inputs = c.inputs.map((inp) => fromFixture(inp, inp.requiresGrad));
		let out: Tensor;
		try {
			out = call(inputs, c.attrs);
		} catch (err) {
			throw withContext(where, 'forward', err);
		}
		const expected = fromFixture(c.out);
		expect.soft(out, `${where}: output`).toBeAllclose(expected, tol);
		if (out.shape.join() !== expected.shape.join()) continue;

		// backward(r) seeds the output's gradient with r directly, which is d sum(out · r) / d out,
		// so this test does not also depend on mul and sum being right.
		try {
			out.backward(fromFixture({ data: c.r, shape: c.out.shape }));
		} catch (err) {
			throw withContext(where, 'backward', err);
		}
		c.inputs.forEach((inp, k) => {
			const grad = c.grads[k];
			if (grad === null) {
				expect.soft(inputs[k].grad, `${where}: input ${k} takes no gradient`).toBeNull();
			} else {
				expect.soft(inputs[k].grad, `${where}: gradient of input ${k}`).toBeAllclose({ data: grad, shape: inp.shape }, tol);
			}
		});

		let report;
		try {
			report = gradcheck((...xs) => call(xs, c.attrs), inputs, opts.gradcheck);
		} catch (err) {
			throw withContext(where, 'gradcheck', err);
		}
		expect.soft(report.ok, `${where}: gradcheck: ${report.summary}`).toBe(true);
	}
}
