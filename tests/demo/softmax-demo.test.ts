import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEMO_W, DEMO_X, parseEntry, softmaxDemo, type Matrix } from '$lib/demo/softmax-demo';

/** dL/dW for L = softmax(W·x)[t], by hand: dL/dz_i = y_t(δ_ti − y_i), and z_i = Σ_j W_ij x_j. */
function closedForm(w: Matrix, x: number[], t: number): Matrix {
	const z = w.map((row) => row.reduce((s, v, j) => s + v * x[j], 0));
	const m = Math.max(...z);
	const e = z.map((v) => Math.exp(v - m));
	const y = e.map((v) => v / e.reduce((a, b) => a + b, 0));
	return y.map((yi, i) => x.map((xj) => y[t] * ((i === t ? 1 : 0) - yi) * xj));
}

const entry = fc.double({ min: -5, max: 5, noNaN: true });
const matrix = fc.array(fc.array(entry, { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 });

describe('softmaxDemo', () => {
	test('probabilities are positive and sum to 1', () => {
		const { probs } = softmaxDemo(DEMO_W, DEMO_X, 0);
		expect(probs.every((p) => p > 0)).toBe(true);
		expect(probs.reduce((a, b) => a + b, 0)).toBeAllclose(1, { atol: 1e-6 });
	});

	test('the loss is the probability of the target class', () => {
		const { probs, loss } = softmaxDemo(DEMO_W, DEMO_X, 2);
		expect(loss).toBeAllclose(probs[2], { atol: 1e-6 });
	});

	test('dL/dW from autograd matches the closed form for any W and target', () => {
		fc.assert(
			fc.property(matrix, fc.integer({ min: 0, max: 2 }), (w, t) => {
				expect(softmaxDemo(w, DEMO_X, t).gradW).toBeAllclose(closedForm(w, DEMO_X, t), { atol: 1e-5 });
			})
		);
	});

	test('each column of dL/dW sums to 0, because softmax ignores a shift of all logits', () => {
		const { gradW } = softmaxDemo(DEMO_W, DEMO_X, 1);
		const columnSums = [0, 1, 2].map((j) => gradW[0][j] + gradW[1][j] + gradW[2][j]);
		expect(columnSums).toBeAllclose([0, 0, 0], { atol: 1e-6 });
	});
});

describe('parseEntry', () => {
	test('reads decimals, signs, exponents and the typographic minus', () => {
		expect(parseEntry(' -0.5 ')).toEqual({ ok: true, value: -0.5 });
		expect(parseEntry('2e-1')).toEqual({ ok: true, value: 0.2 });
		expect(parseEntry('\u22123')).toEqual({ ok: true, value: -3 });
	});

	test('rejects blanks, text and values outside the allowed range', () => {
		for (const text of ['', '  ', 'abc', '1..2', 'Infinity', '1e9']) expect(parseEntry(text).ok).toBe(false);
	});
});
