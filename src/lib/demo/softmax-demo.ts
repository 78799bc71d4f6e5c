import { tensor, type Tensor } from '$lib/engine';

export type Matrix = number[][];

export interface SoftmaxDemoResult {
	/** z = W·x, one logit per class. */
	logits: number[];
	/** y = softmax(z). */
	probs: number[];
	/** L = y[target]. */
	loss: number;
	/** dL/dW, same layout as W. */
	gradW: Matrix;
}

export const DEMO_W: Matrix = [
	[0.5, -0.2, 0.1],
	[-0.3, 0.8, 0.4],
	[0.2, 0.1, -0.6]
];
export const DEMO_X = [1, 2, -1];

/** Far inside float32 range; beyond a few tens softmax is already one-hot, so larger entries show nothing new. */
export const MAX_ENTRY = 100;

/**
 * y = softmax(W·x) and the gradient of L = y[target] with respect to W, by the engine's autograd.
 * L is written as sum(y * onehot(target)) so the graph is matmul → softmax → mul → sum.
 *
 * @example
 * softmaxDemo(DEMO_W, DEMO_X, 0).gradW; // 3×3, each column sums to 0
 */
export function softmaxDemo(w: Matrix, x: readonly number[], target: number): SoftmaxDemoResult {
	const W = tensor(w, { requiresGrad: true });
	const logits = W.matmul(tensor(x.map((v) => [v])));
	const probs = logits.softmax(0);
	const loss = probs.mul(tensor(x.map((_, i) => [i === target ? 1 : 0]))).sum();
	loss.backward();
	return { logits: [...logits.data], probs: [...probs.data], loss: loss.item(), gradW: rows(W.grad) };
}

function rows(t: Tensor | null): Matrix {
	if (t === null) throw new Error('softmaxDemo: W received no gradient');
	return t.toArray() as Matrix;
}

export type ParsedEntry = { ok: true; value: number } | { ok: false; message: string };

/**
 * Read a typed matrix entry; plain decimals and exponents ("-0.5", "2e-1") are numbers.
 *
 * @example
 * parseEntry(' -0.5 '); // { ok: true, value: -0.5 }
 * parseEntry('abc');    // { ok: false, message: 'Not a number' }
 */
export function parseEntry(text: string): ParsedEntry {
	const trimmed = text.trim().replaceAll('\u2212', '-');
	const value = Number(trimmed);
	if (trimmed === '' || !Number.isFinite(value)) return { ok: false, message: 'Not a number' };
	if (Math.abs(value) > MAX_ENTRY) return { ok: false, message: `Keep it between −${MAX_ENTRY} and ${MAX_ENTRY}` };
	return { ok: true, value };
}
