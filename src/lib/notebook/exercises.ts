/**
 * The contract between a lesson's `checks.ts` and the notebook kernel.
 *
 * A lesson's `checks.ts` exports `checks`, one entry per ` ```exercise ID ` cell in its
 * `index.md`. The kernel Worker runs the learner's code, then calls `check(scope)` with the
 * top-level variables that code defined, so a check inspects the real tensors the learner
 * made. `hint` is shown when a check fails; `solution` is code that passes, shown behind a
 * reveal and run by the test suite to prove the check can be passed.
 *
 * UI-free: imported by lesson checks, the kernel Worker, the build and the tests.
 *
 * @example
 * // lessons/02-attention-module/checks.ts
 * export const checks: Record<string, ExerciseCheck> = {
 *   'peak-frame': {
 *     check(scope) {
 *       const w = expectTensor(scope, 'weights', { shape: [4, 4] });
 *       if (!w.ok) return w.result;
 *       return argmax(row(w.tensor, 3)) === 1 ? pass('Frame 3 looks at frame 1.') : fail('Frame 3 should peak on frame 1.');
 *     },
 *     hint: 'Raise the score of frame 1 in row 3.',
 *     solution: 'const weights = …'
 *   }
 * };
 */
import { Tensor } from '../engine/index';

export interface CheckResult {
	pass: boolean;
	/** One or two sentences for the learner: what was found, and on failure what was expected. */
	message: string;
}

/** The learner's top-level variables after their code ran, by name. */
export type Scope = Record<string, unknown>;

export interface ExerciseCheck {
	check(scope: Scope): CheckResult | Promise<CheckResult>;
	/** Shown after a failed check: a nudge, not the answer. */
	hint: string;
	/** Code that passes the check; the tests run it, and learners can reveal it. */
	solution: string;
}

/** What a lesson's `checks.ts` exports. */
export interface LessonChecks {
	checks: Record<string, ExerciseCheck>;
}

export const pass = (message: string): CheckResult => ({ pass: true, message });
export const fail = (message: string): CheckResult => ({ pass: false, message });

export type Expected<T> = { ok: true; tensor: T } | { ok: false; result: CheckResult };

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Find the tensor `name` in the learner's scope, or a failed result that says what is wrong:
 * missing, not a tensor, wrong shape, or holding NaN/Infinity.
 *
 * @example
 * const w = expectTensor(scope, 'weights', { shape: [4, 4] });
 * if (!w.ok) return w.result;
 * w.tensor.data; // Float32Array
 */
export function expectTensor(scope: Scope, name: string, opts: { shape?: readonly number[] } = {}): Expected<Tensor> {
	if (!(name in scope) || scope[name] === undefined) {
		return { ok: false, result: fail(`No variable named \`${name}\` was defined. Declare it at the top level: \`const ${name} = …\`.`) };
	}
	const value = scope[name];
	if (!(value instanceof Tensor)) {
		const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
		const wrap = Array.isArray(value) ? ` Wrap it with \`tensor(${name})\`.` : '';
		return { ok: false, result: fail(`\`${name}\` should be a Tensor, but it is ${kind}.${wrap}`) };
	}
	if (opts.shape && (value.shape.length !== opts.shape.length || value.shape.some((d, i) => d !== opts.shape![i]))) {
		return { ok: false, result: fail(`\`${name}\` should have shape ${fmt(opts.shape)}, but it has shape ${fmt(value.shape)}.`) };
	}
	const bad = value.data.findIndex((v) => !Number.isFinite(v));
	if (bad >= 0) {
		return { ok: false, result: fail(`\`${name}\` holds ${value.data[bad]} at flat index ${bad}; every value should be a finite number.`) };
	}
	return { ok: true, tensor: value };
}

/** Index of the largest value (the first, on ties). */
export function argmax(values: ArrayLike<number>): number {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
	return best;
}

/** Row `i` of a 2-D tensor as a plain array. */
export function row(t: Tensor, i: number): number[] {
	const cols = t.shape[t.shape.length - 1];
	return Array.from(t.data.subarray(i * cols, (i + 1) * cols));
}

/** True when `a` and `b` agree to `tol` element-wise (absolute, plus relative to |b|). */
export function allClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])))) return false;
	return true;
}
