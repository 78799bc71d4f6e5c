import { noGrad } from './grad-mode';
import { Rng } from './random';
import { Tensor } from './tensor';

export interface GradcheckOptions {
	/** Finite-difference step (the inputs are promoted to float64, so 1e-6 is safe). */
	eps?: number;
	atol?: number;
	rtol?: number;
	/** Seed of the random weights `r` in the checked scalar `sum(fn(x) * r)`. */
	seed?: number;
}

export interface InputReport {
	index: number;
	ok: boolean;
	maxAbsError: number;
	maxRelError: number;
	/** Flat position of the worst element, for the error message. */
	worst: number;
	analytic: Float64Array;
	numeric: Float64Array;
}

export interface GradcheckReport {
	ok: boolean;
	inputs: InputReport[];
	summary: string;
}

/**
 * Compare the engine's gradients of `sum(fn(...inputs) * r)` with central finite
 * differences, both in float64. Only inputs with `requiresGrad` are checked.
 *
 * @example
 * const x = tensor([0.5, -1, 2], { requiresGrad: true });
 * gradcheck((t) => t.tanh().mul(t), [x]).ok; // true
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], opts: GradcheckOptions = {}): GradcheckReport {
	const eps = opts.eps ?? 1e-6;
	const atol = opts.atol ?? 1e-5;
	const rtol = opts.rtol ?? 1e-3;
	const xs = inputs.map((t) => {
		const c = t.to('float64');
		c.requiresGrad = t.requiresGrad;
		return c;
	});
	const out = fn(...xs);
	const rng = new Rng(opts.seed ?? 0);
	const r = new Tensor(
		Float64Array.from({ length: out.size }, () => rng.uniform() * 2 - 1),
		out.shape
	);
	const scalar = () =>
		noGrad(() =>
			fn(...xs)
				.mul(r)
				.sum()
				.item()
		);
	out.mul(r).sum().backward();

	const reports: InputReport[] = [];
	xs.forEach((x, index) => {
		if (!x.requiresGrad) return;
		const analytic = Float64Array.from(x.grad?.data ?? new Float64Array(x.size));
		const numeric = new Float64Array(x.size);
		for (let j = 0; j < x.size; j++) {
			const orig = x.data[j];
			x.data[j] = orig + eps;
			const up = scalar();
			x.data[j] = orig - eps;
			const down = scalar();
			x.data[j] = orig;
			numeric[j] = (up - down) / (2 * eps);
		}
		let maxAbsError = 0;
		let maxRelError = 0;
		let worst = -1;
		let ok = true;
		for (let j = 0; j < x.size; j++) {
			const err = Math.abs(analytic[j] - numeric[j]);
			// Relative to the larger of the value and atol, so near-zero gradients don't blow it up.
			const rel = err / Math.max(Math.abs(numeric[j]), atol);
			if (err > maxAbsError) {
				maxAbsError = err;
				worst = j;
			}
			maxRelError = Math.max(maxRelError, rel);
			if (!(err <= atol + rtol * Math.abs(numeric[j]))) ok = false;
		}
		reports.push({ index, ok, maxAbsError, maxRelError, worst, analytic, numeric });
	});
	const bad = reports.filter((r) => !r.ok);
	const summary =
		bad.length === 0
			? `gradcheck passed for ${reports.length} input(s)`
			: bad
					.map(
						(r) =>
							`input ${r.index}: element ${r.worst} analytic ${r.analytic[r.worst]} vs numeric ${r.numeric[r.worst]} (abs error ${r.maxAbsError.toExponential(2)})`
					)
					.join('; ');
	return { ok: bad.length === 0, inputs: reports, summary };
}
