import { alloc, type Storage } from '../dtype';
import { ShapeError, ValueError, fmtShape } from '../errors';
import { fromData } from './util';
import type { OpAttrs, OpDef } from './types';

/** out = src ⊙ mask / (1 − p); p = 1 gives zeros rather than 0·∞ = NaN. */
function scaleByMask(src: Storage, mask: Storage, p: number, out: Storage): void {
	const scale = p === 1 ? 0 : 1 / (1 - p);
	for (let i = 0; i < out.length; i++) out[i] = src[i] * mask[i] * scale;
}

/**
 * Inverted dropout with a precomputed 0/1 `mask` (drawn by `functional.dropout` from a
 * seeded rng, so a run replays exactly): kept values are scaled by 1/(1−p) so the
 * expected output equals the input and nothing needs rescaling at eval time.
 */
export const dropout: OpDef<OpAttrs['dropout']> = {
	forward: ([x], { p, mask }) => {
		if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must be a probability in [0, 1], got ${p}`);
		if (mask.length !== x.size) {
			throw new ShapeError('dropout', `mask has ${mask.length} values but input ${fmtShape(x.shape)} has ${x.size} elements`);
		}
		const data = alloc(x.dtype, x.size);
		scaleByMask(x.data, mask, p, data);
		return { data, shape: [...x.shape] };
	},
	backward: ({ grad, inputs: [x], attrs: { p, mask } }) => {
		const dx = alloc(x.dtype, x.size);
		scaleByMask(grad.data, mask, p, dx);
		return [fromData(dx, x.shape)];
	},
	tex: { forward: 'y = \\frac{x \\odot m}{1 - p}', backward: '\\bar x = \\frac{\\bar y \\odot m}{1 - p}' }
};
