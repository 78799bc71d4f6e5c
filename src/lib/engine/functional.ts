import { apply } from './autograd';
import { ShapeError, ValueError, fmtShape } from './errors';
import { lt, eq } from './compare';
import { getDefaultRng, type Rng } from './random';
import { alloc } from './dtype';
import { Tensor } from './tensor';

type Pair = number | [number, number];
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(loss: Tensor, reduction: Reduction): Tensor {
	if (reduction === 'mean') return loss.mean();
	if (reduction === 'sum') return loss.sum();
	return loss;
}

/**
 * 2-D convolution (cross-correlation, as PyTorch) of `x` [N, C, H, W] with `weight`
 * [O, C, kH, kW] and optional `bias` [O].
 *
 * @example
 * conv2d(x, w, b, { stride: 1, padding: 1 });
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: { stride?: Pair; padding?: Pair } = {}): Tensor {
	const inputs = bias ? [x, weight, bias] : [x, weight];
	return apply('conv2d', inputs, { stride: pair(opts.stride ?? 1), padding: pair(opts.padding ?? 0) });
}

export interface PoolOptions {
	stride?: Pair;
	padding?: Pair;
}

function poolAttrs(kernel: Pair, opts: PoolOptions) {
	const k = pair(kernel);
	return { kernel: k, stride: pair(opts.stride ?? k), padding: pair(opts.padding ?? 0) };
}

/** Max over `kernel` windows of `x` [N, C, H, W]; stride defaults to the kernel size. */
export function maxPool2d(x: Tensor, kernel: Pair, opts: PoolOptions = {}): Tensor {
	return apply('maxPool2d', [x], poolAttrs(kernel, opts));
}
/** Mean over `kernel` windows of `x` [N, C, H, W] (zero padding counted, as PyTorch's default). */
export function avgPool2d(x: Tensor, kernel: Pair, opts: PoolOptions = {}): Tensor {
	return apply('avgPool2d', [x], poolAttrs(kernel, opts));
}

/** Zero each element with probability `p` and scale the rest by 1/(1−p); identity when not training. */
export function dropout(x: Tensor, p: number, opts: { training?: boolean; rng?: Rng } = {}): Tensor {
	if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must be a probability in [0, 1], got ${p}`);
	if (opts.training === false || p === 0) return x;
	const rng = opts.rng ?? getDefaultRng();
	const mask = alloc(x.dtype, x.size);
	for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < p ? 0 : 1;
	return apply('dropout', [x], { p, mask });
}

function checkSame(op: string, a: Tensor, b: Tensor): void {
	if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) {
		throw new ShapeError(op, `input ${fmtShape(a.shape)} and target ${fmtShape(b.shape)} must have the same shape`);
	}
}

/**
 * Cross-entropy between `logits` [N, C] (or [N, C, d…]) and integer class `target` [N]
 * (or [N, d…]), with optional label smoothing, as `F.cross_entropy`.
 *
 * @example
 * crossEntropy(logits, tensor([0, 2, 1]), { labelSmoothing: 0.1 });
 */
export function crossEntropy(logits: Tensor, target: Tensor, opts: { labelSmoothing?: number; reduction?: Reduction } = {}): Tensor {
	const eps = opts.labelSmoothing ?? 0;
	if (!(eps >= 0 && eps <= 1)) throw new ValueError(`crossEntropy: labelSmoothing must be in [0, 1], got ${eps}`);
	if (logits.ndim < 2) throw new ShapeError('crossEntropy', `logits must be [N, C, …], got ${fmtShape(logits.shape)}`);
	const want = [logits.shape[0], ...logits.shape.slice(2)];
	if (target.ndim !== want.length || target.shape.some((d, i) => d !== want[i])) {
		throw new ShapeError('crossEntropy', `target ${fmtShape(target.shape)} must be ${fmtShape(want)} for logits ${fmtShape(logits.shape)}`);
	}
	const classes = logits.shape[1];
	target.data.forEach((v, i) => {
		if (!Number.isInteger(v) || v < 0 || v >= classes) {
			throw new ValueError(`crossEntropy: target[${i}] = ${v} is not a class index in [0, ${classes})`);
		}
	});
	const logp = logits.logSoftmax(1);
	const nll = logp.gather(1, target.unsqueeze(1)).squeeze(1).neg();
	const loss = eps === 0 ? nll : nll.mul(1 - eps).add(logp.mean(1).mul(-eps));
	return reduce(loss, opts.reduction ?? 'mean');
}

/** Mean squared error, as `F.mse_loss`. */
export function mseLoss(input: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
	checkSame('mseLoss', input, target);
	return reduce(input.sub(target).square(), opts.reduction ?? 'mean');
}

/** Smooth L1 (Huber-like) loss with threshold `beta`, as `F.smooth_l1_loss`. */
export function smoothL1Loss(input: Tensor, target: Tensor, opts: { beta?: number; reduction?: Reduction } = {}): Tensor {
	checkSame('smoothL1Loss', input, target);
	const beta = opts.beta ?? 1;
	if (!(beta >= 0)) throw new ValueError(`smoothL1Loss: beta must be ≥ 0, got ${beta}`);
	const d = input.sub(target);
	const ad = d.abs();
	if (beta === 0) return reduce(ad, opts.reduction ?? 'mean');
	const small = lt(ad, beta);
	const loss = d
		.square()
		.mul(0.5 / beta)
		.mul(small)
		.add(ad.sub(0.5 * beta).mul(small.neg().add(1)));
	return reduce(loss, opts.reduction ?? 'mean');
}

/** Binary cross-entropy on logits, computed stably as `max(x,0) − x·y + log(1 + e^{−|x|})`. */
export function bceWithLogits(logits: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
	checkSame('bceWithLogits', logits, target);
	const loss = logits.relu().sub(logits.mul(target)).add(logits.abs().neg().exp().add(1).log());
	return reduce(loss, opts.reduction ?? 'mean');
}

/** Binary cross-entropy on probabilities in [0, 1]; logs are clamped at −100 as `F.binary_cross_entropy`. */
export function bce(probs: Tensor, target: Tensor, opts: { reduction?: Reduction } = {}): Tensor {
	checkSame('bce', probs, target);
	probs.data.forEach((v, i) => {
		if (!(v >= 0 && v <= 1)) throw new ValueError(`bce: input[${i}] = ${v} is not a probability in [0, 1]`);
	});
	const logP = probs.log().maskedFill(eq(probs, 0), -100);
	const q = probs.neg().add(1);
	const logQ = q.log().maskedFill(eq(q, 0), -100);
	const loss = target.mul(logP).add(target.neg().add(1).mul(logQ)).neg();
	return reduce(loss, opts.reduction ?? 'mean');
}
