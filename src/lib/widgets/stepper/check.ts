/**
 * Gradient check of one recorded op: the engine's gradient from the trace against central finite
 * differences of the op's own forward, run in float64 on the recorded inputs. The checked scalar
 * is `sum(op(x) · ḡ)` with ḡ the recorded incoming gradient, so its derivative is exactly the
 * outgoing gradient the engine recorded. Large inputs are checked at a bounded, seeded sample of
 * entries; entries at a kink (ReLU at 0, a tie in max) are skipped, since no derivative exists there.
 *
 * @example
 * const report = checkStep(forwardStep, backwardStep); // { status: 'pass', checked: 12, … }
 */
import { Rng, Tensor, ops, type BackwardStep, type ForwardStep, type OpAttrs, type OpName } from '../../engine/index';

export interface InputCheck {
	index: number;
	/** Entries compared. */
	checked: number;
	/** Entries skipped because the op has no derivative there. */
	kinks: number;
	maxAbsError: number;
	/** Flat position of the worst entry, with both values, for the badge's explanation. */
	worst: { at: number; engine: number; numeric: number } | null;
	ok: boolean;
}

export interface StepCheck {
	status: 'pass' | 'fail' | 'skip';
	inputs: InputCheck[];
	summary: string;
}

export interface CheckOptions {
	/** Entries sampled per input at most (all when the input is this small). */
	samples?: number;
	eps?: number;
	/** The engine ran in float32, so its gradients carry float32 rounding. */
	atol?: number;
	rtol?: number;
	seed?: number;
}

type AnyForward = (inputs: readonly Tensor[], attrs: unknown) => { data: ArrayLike<number> };

/** The op's forward on float64 copies of `xs`, with the recorded attrs. */
function runOp(op: OpName, xs: readonly Tensor[], attrs: ForwardStep['attrs']): ArrayLike<number> {
	const forward = ops[op].forward as AnyForward;
	return forward(xs, attrs as unknown as OpAttrs[OpName]).data;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let s = 0;
	// Outputs with no incoming gradient add nothing, and skipping them keeps a masked −∞ from making NaN.
	for (let i = 0; i < a.length; i++) if (b[i] !== 0) s += a[i] * b[i];
	return s;
}

/** `n` distinct positions in [0, size), seeded; all of them when size ≤ n. */
export function samplePositions(size: number, n: number, rng: Rng): number[] {
	if (size <= n) return Array.from({ length: size }, (_, i) => i);
	const picked = new Set<number>();
	while (picked.size < n) picked.add(Math.floor(rng.uniform() * size));
	return [...picked].sort((a, b) => a - b);
}

/** Check backward step `back` against finite differences of forward step `fwd` (the same op). */
export function checkStep(fwd: ForwardStep, back: BackwardStep, opts: CheckOptions = {}): StepCheck {
	const samples = opts.samples ?? 12;
	const eps = opts.eps ?? 1e-5;
	const atol = opts.atol ?? 1e-4;
	const rtol = opts.rtol ?? 1e-2;
	const rng = new Rng(opts.seed ?? 0);
	if (fwd.op !== back.op || fwd.output.id !== back.outputId) {
		return { status: 'skip', inputs: [], summary: `forward ${fwd.op} and backward ${back.op} are not the same op` };
	}
	const xs = fwd.inputs.map((r) => new Tensor(Float64Array.from(r.values), [...r.shape]));
	const g = Float64Array.from(back.gradOutput.values);
	const value = () => dot(runOp(fwd.op, xs, fwd.attrs), g);
	const inputs: InputCheck[] = [];
	back.gradInputs.forEach((grad, index) => {
		if (!grad) return;
		const x = xs[index].data;
		let maxAbsError = 0;
		let worst: InputCheck['worst'] = null;
		let ok = true;
		let checked = 0;
		let kinks = 0;
		const base = value();
		for (const j of samplePositions(x.length, samples, rng)) {
			const orig = x[j];
			x[j] = orig + eps;
			const up = value();
			x[j] = orig - eps;
			const down = value();
			x[j] = orig;
			const right = (up - base) / eps;
			const left = (base - down) / eps;
			// One-sided slopes that disagree beyond curvature and rounding mean a kink at this entry (or no value at all).
			const noise = (1e-13 * (1 + Math.abs(base))) / eps;
			if (
				!Number.isFinite(right) ||
				!Number.isFinite(left) ||
				Math.abs(right - left) > noise + rtol * Math.max(Math.abs(right), Math.abs(left))
			) {
				kinks++;
				continue;
			}
			checked++;
			const numeric = (up - down) / (2 * eps);
			const engine = grad.values[j];
			const err = Math.abs(engine - numeric);
			if (!(err <= atol + rtol * Math.abs(numeric))) ok = false;
			if (worst === null || err > maxAbsError) {
				maxAbsError = err;
				worst = { at: j, engine, numeric };
			}
		}
		inputs.push({ index, checked, kinks, maxAbsError, worst, ok });
	});
	if (inputs.length === 0) return { status: 'skip', inputs, summary: 'no input of this op needs a gradient' };
	if (inputs.every((c) => c.checked === 0)) return { status: 'skip', inputs, summary: 'every sampled entry sits on a kink' };
	const bad = inputs.filter((c) => !c.ok);
	const entries = inputs.reduce((a, c) => a + c.checked, 0);
	const summary =
		bad.length === 0
			? `engine matches finite differences at ${entries} entr${entries === 1 ? 'y' : 'ies'} (max error ${Math.max(...inputs.map((c) => c.maxAbsError)).toExponential(1)})`
			: bad
					.map((c) => `input ${c.index}[${c.worst!.at}]: engine ${fmt(c.worst!.engine)} vs finite differences ${fmt(c.worst!.numeric)}`)
					.join('; ');
	return { status: bad.length === 0 ? 'pass' : 'fail', inputs, summary };
}

const fmt = (v: number) => (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(2));
