import { Tensor, ValueError } from '../engine/index';

/**
 * The norm of all gradients together, as if concatenated into one vector; parameters
 * without a gradient are skipped. `normType` is p ≥ 1 or `Infinity` (largest |g|).
 *
 * @example
 * gradNorm(model.parameters()); // √(Σ g²) over every parameter
 */
export function gradNorm(params: Iterable<Tensor>, normType = 2): number {
	if (!(normType >= 1)) throw new ValueError(`gradNorm: normType must be ≥ 1 or Infinity, got ${normType}`);
	let acc = 0;
	for (const p of params) {
		const g = p.grad?.data;
		if (!g) continue;
		for (let i = 0; i < g.length; i++) {
			const a = Math.abs(g[i]);
			// NaN must win here, as in PyTorch, or a diverged gradient would look clippable.
			if (normType === Infinity) acc = a > acc || Number.isNaN(a) ? a : acc;
			else acc += normType === 2 ? a * a : a ** normType;
		}
	}
	return normType === Infinity ? acc : normType === 2 ? Math.sqrt(acc) : acc ** (1 / normType);
}

/**
 * Scale gradients so their total norm is at most `maxNorm`, as
 * `torch.nn.utils.clip_grad_norm_`, and return the total norm before clipping. The scale
 * is `min(1, maxNorm / (total + 1e-6))`, applied even when it is 1, as PyTorch does.
 *
 * Each scaled gradient is a new tensor: the engine may hand one gradient tensor to several
 * leaves (`a + b`), so scaling in place could clip it twice.
 *
 * @example
 * loss.backward();
 * const norm = clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): number {
	if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm: maxNorm must be a number ≥ 0, got ${maxNorm}`);
	const list = [...params];
	const total = gradNorm(list, normType);
	const coef = Math.min(maxNorm / (total + 1e-6), 1);
	for (const p of list) {
		const g = p.grad;
		if (!g) continue;
		const data = g.data.slice();
		for (let i = 0; i < data.length; i++) data[i] *= coef;
		p.grad = new Tensor(data, g.shape);
	}
	return total;
}
