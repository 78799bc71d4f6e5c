import { ShapeError, cat, fmtShape, type Rng, type Tensor } from '../../engine/index';
import { Linear, Module, SpatialAttention } from '../../nn/index';
import { boxFromCentre, boxMask, cellCentres } from './box-ops';
import type { TorchClass } from '../../train/export/index';
import { FrameEncoder } from './encoder';
import { ATTENTION_TRACKER_PY, POOLING_TRACKER_PY } from './python';

export interface TrackerOptions {
	/** Feature channels per cell of the encoder's map, C. */
	channels?: number;
	/** Hidden units of the baseline's box MLP. */
	hidden?: number;
	rng?: Rng;
}

/** What a tracker returns for a batch of clips. */
export interface TrackerOutput {
	/** Predicted boxes `[B, T, 4]`: `x0, y0, x1, y1` as fractions of the frame. */
	boxes: Tensor;
	/** Attention over the feature map's cells in every frame, `[B, T, h, w]`, or null for a model without attention. */
	weights: Tensor | null;
}

export const DEFAULT_CHANNELS = 16;
export const DEFAULT_HIDDEN = 32;

/**
 * A single-object tracker: given a clip and the target's box in its first frame (as real
 * trackers are initialised), predict the target's box in every frame.
 *
 * Both trackers start alike: encode every frame with a shared `FrameEncoder`, then pool the
 * first frame's features inside its given box into a template `[B, C]`, the description of
 * what to follow. They differ in how they find it.
 */
export abstract class Tracker extends Module {
	encoder: FrameEncoder;

	constructor(channels: number, coordinates: boolean, rng?: Rng) {
		super();
		this.encoder = new FrameEncoder({ channels, coordinates, rng });
	}

	abstract forward(clips: Tensor, firstBox: Tensor): TrackerOutput;

	/**
	 * Encode every frame and pool the template from frame 0.
	 *
	 * Shape: clips `[B, T, H, W]`, firstBox `[B, 4]` → features `[B·T, C, h, w]`, template `[B, C]`.
	 */
	protected encode(clips: Tensor, firstBox: Tensor): { features: Tensor; template: Tensor } {
		if (clips.ndim !== 4) throw new ShapeError('tracker', `clips must be [B, T, H, W], got ${fmtShape(clips.shape)}`);
		const [B, T, H, W] = clips.shape;
		if (firstBox.ndim !== 2 || firstBox.shape[0] !== B || firstBox.shape[1] !== 4) {
			throw new ShapeError('tracker', `firstBox must be [B=${B}, 4], got ${fmtShape(firstBox.shape)}`);
		}
		const features = this.encoder.forward(clips.reshape([B * T, H, W]));
		const [, C, h, w] = features.shape;
		const first = features.reshape([B, T, C, h * w]).select(1, 0);
		const template = first.matmul(boxMask(firstBox, h, w).unsqueeze(-1)).squeeze(-1);
		return { features, template };
	}
}

/**
 * The attention tracker. In every frame a `SpatialAttention` queried with the template scores
 * each cell of the feature map by how much it looks like the target, and a softmax turns the
 * scores into a map summing to 1. The box centre is that map's expected cell position
 * (soft-argmax), so the map must sit on the target for the box to be right: attention is not
 * a by-product here, it is the localisation. The box's width and height come from a linear
 * read-out of the attended features (what the target looks like, hence how big it is).
 *
 * No coordinate channels: position enters only through the soft-argmax, which keeps the
 * encoder translation-equivariant (up to its zero padding at the borders), so a ring is
 * recognised the same way anywhere in the frame.
 *
 * Shape:
 * - clips `[B, T, H, W]`, firstBox `[B, 4]` → boxes `[B, T, 4]`, weights `[B, T, H/2, W/2]`
 * - `size.weight` `[2, C]`, `size.bias` `[2]`; see `FrameEncoder` and `SpatialAttention` for the rest
 *
 * @example
 * const model = new AttentionTracker({ rng: new Rng(0) });
 * const { boxes, weights } = model.forward(batch.clips, batch.boxes.select(1, 0)); // [B, T, 4], [B, T, 8, 8]
 */
export class AttentionTracker extends Tracker {
	attention: SpatialAttention;
	size: Linear;

	constructor(opts: TrackerOptions = {}) {
		const C = opts.channels ?? DEFAULT_CHANNELS;
		super(C, false, opts.rng);
		this.attention = new SpatialAttention(C, { queryDim: C, rng: opts.rng });
		this.size = new Linear(C, 2, { rng: opts.rng });
	}

	forward(clips: Tensor, firstBox: Tensor): TrackerOutput {
		const [B, T] = clips.shape;
		const { features, template } = this.encode(clips, firstBox);
		const [, C, h, w] = features.shape;
		const query = template
			.unsqueeze(1)
			.expand([B, T, C])
			.reshape([B * T, C]);
		const { pooled, weights } = this.attention.forward(features, query);
		const centre = weights.reshape([B * T, h * w]).matmul(cellCentres(h, w));
		const size = this.size.forward(pooled).sigmoid();
		return { boxes: boxFromCentre(centre, size).reshape([B, T, 4]), weights: weights.reshape([B, T, h, w]) };
	}

	/** The same model in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'AttentionTracker', source: ATTENTION_TRACKER_PY, args: [String(this.encoder.channels)] };
	}
}

/**
 * The baseline: the same encoder (with coordinate channels, its only way to know where things
 * are) and the same template, but global average pooling instead of attention: every cell
 * counts the same, and an MLP must read the target's box out of the frame's mean features and
 * the template. It shows what attention buys.
 *
 * Shape:
 * - clips `[B, T, H, W]`, firstBox `[B, 4]` → boxes `[B, T, 4]`, weights null
 * - `fc1.weight` `[hidden, 2C]`, `fc2.weight` `[4, hidden]` (centre x, y, width, height, through a sigmoid)
 *
 * @example
 * const model = new PoolingTracker({ rng: new Rng(0) });
 * model.forward(batch.clips, batch.boxes.select(1, 0)).boxes.shape; // [B, T, 4]
 */
export class PoolingTracker extends Tracker {
	fc1: Linear;
	fc2: Linear;

	constructor(opts: TrackerOptions = {}) {
		const C = opts.channels ?? DEFAULT_CHANNELS;
		const hidden = opts.hidden ?? DEFAULT_HIDDEN;
		super(C, true, opts.rng);
		this.fc1 = new Linear(2 * C, hidden, { rng: opts.rng });
		this.fc2 = new Linear(hidden, 4, { rng: opts.rng });
	}

	forward(clips: Tensor, firstBox: Tensor): TrackerOutput {
		const [B, T] = clips.shape;
		const { features, template } = this.encode(clips, firstBox);
		const C = features.shape[1];
		const mean = features.mean([2, 3]);
		const query = template
			.unsqueeze(1)
			.expand([B, T, C])
			.reshape([B * T, C]);
		const out = this.fc2.forward(this.fc1.forward(cat([mean, query], 1)).relu()).sigmoid();
		const box = boxFromCentre(out.slice(1, 0, 2), out.slice(1, 2, 4));
		return { boxes: box.reshape([B, T, 4]), weights: null };
	}

	/** The same model in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'PoolingTracker', source: POOLING_TRACKER_PY, args: [String(this.encoder.channels), String(this.fc1.outFeatures)] };
	}
}
