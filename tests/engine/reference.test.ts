import { describe, expect, it } from 'vitest';
import { avgPool2d, bce, bceWithLogits, cat, conv2d, crossEntropy, maxPool2d, mseLoss, smoothL1Loss, stack } from '$lib/engine';
// Dropout draws its mask from the engine's Rng; the fixture fixes the mask instead, so the
// primitive is applied directly with it.
import { apply } from '$lib/engine/autograd';
import { checkOpFixtures, fixtureOps, type CheckOptions, type OpCall } from '../helpers/check-op';

/** How the engine spells each op the fixtures cover, reading the attrs make_fixtures.py writes. */
const calls: Record<string, OpCall> = {
	add: ([a, b]) => a.add(b),
	sub: ([a, b]) => a.sub(b),
	mul: ([a, b]) => a.mul(b),
	div: ([a, b]) => a.div(b),
	pow: ([a, b]) => a.pow(b),
	neg: ([x]) => x.neg(),
	exp: ([x]) => x.exp(),
	log: ([x]) => x.log(),
	sqrt: ([x]) => x.sqrt(),
	abs: ([x]) => x.abs(),
	relu: ([x]) => x.relu(),
	sigmoid: ([x]) => x.sigmoid(),
	tanh: ([x]) => x.tanh(),
	gelu: ([x]) => x.gelu(),

	sum: ([x], a) => x.sum(a.dim, a.keepdim),
	mean: ([x], a) => x.mean(a.dim, a.keepdim),
	max: ([x], a) => x.max(a.dim, a.keepdim),
	var: ([x], a) => x.var(a.dim, a.keepdim, a.correction),
	softmax: ([x], a) => x.softmax(a.dim),
	logSoftmax: ([x], a) => x.logSoftmax(a.dim),
	matmul: ([a, b]) => a.matmul(b),

	reshape: ([x], a) => x.reshape(a.shape),
	transpose: ([x], a) => x.transpose(a.dim0, a.dim1),
	permute: ([x], a) => x.permute(a.dims),
	squeeze: ([x], a) => x.squeeze(a.dim ?? undefined),
	unsqueeze: ([x], a) => x.unsqueeze(a.dim),
	expand: ([x], a) => x.expand(a.shape),
	slice: ([x], a) => x.slice(a.dim, a.start, a.end ?? undefined, a.step),
	select: ([x], a) => x.select(a.dim, a.index),
	cat: (xs, a) => cat(xs, a.dim),
	stack: (xs, a) => stack(xs, a.dim),

	gather: ([x, index], a) => x.gather(a.dim, index),
	indexSelect: ([x, index], a) => x.indexSelect(a.dim, index),
	maskedFill: ([x, mask], a) => x.maskedFill(mask, a.value),

	conv2d: ([x, w, b], a) => conv2d(x, w, b ?? null, { stride: a.stride, padding: a.padding }),
	maxPool2d: ([x], a) => maxPool2d(x, a.kernel, { stride: a.stride, padding: a.padding }),
	avgPool2d: ([x], a) => avgPool2d(x, a.kernel, { stride: a.stride, padding: a.padding }),
	dropout: ([x, keep], a) => apply('dropout', [x], { p: a.p, mask: keep.data }),

	crossEntropy: ([logits, target], a) => crossEntropy(logits, target, { labelSmoothing: a.labelSmoothing, reduction: a.reduction }),
	mseLoss: ([x, y], a) => mseLoss(x, y, { reduction: a.reduction }),
	smoothL1Loss: ([x, y], a) => smoothL1Loss(x, y, { beta: a.beta, reduction: a.reduction }),
	bceWithLogits: ([x, y], a) => bceWithLogits(x, y, { reduction: a.reduction }),
	bce: ([p, y], a) => bce(p, y, { reduction: a.reduction })
};

/** Per-op departures from the default checks, each with its reason. */
const options: Partial<Record<string, CheckOptions>> = {
	// The -1e9 fill values dominate sum(out · r), so float64 finite differences carry ~1e-7
	// of absolute noise, which a 1e-6 step would magnify to ~0.05. maskedFill is linear in x,
	// so a wide step costs no truncation error.
	maskedFill: { gradcheck: { eps: 1e-2 } }
};

describe('engine ops against PyTorch 1.13 reference fixtures', () => {
	it('has an engine call for every op fixture file, so none is silently skipped', () => {
		expect(Object.keys(calls).sort()).toEqual(fixtureOps().sort());
	});

	for (const [op, call] of Object.entries(calls)) {
		it(`${op} matches PyTorch forward and backward`, () => checkOpFixtures(op, call, options[op]));
	}
});
