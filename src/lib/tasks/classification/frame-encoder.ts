import { ShapeError, fmtShape, type Rng, type Tensor } from '../../engine/index';
import { Conv2d, Linear, MaxPool2d, Module } from '../../nn/index';
import type { TorchClass } from '../../train/export/index';
import { FRAME_ENCODER_PY } from './python';

export interface FrameEncoderOptions {
	/** Channels of the first and second convolution. */
	channels?: readonly [number, number];
	/** Features per frame, D: what the pooling over time sees. */
	dim?: number;
	rng?: Rng;
}

export const DEFAULT_CHANNELS: readonly [number, number] = [8, 16];
export const DEFAULT_DIM = 32;

/**
 * A small convolutional encoder applied to every frame of a clip on its own, with the same
 * weights for every frame: conv(3×3) → ReLU → max-pool(2) → conv(3×3) → ReLU → global max
 * pool → Linear. Two 3×3 convolutions around a 2× pool see an 8×8 window, enough to tell a
 * 5×5 shape from a 2×2 distractor dot. The global max pool asks "is this pattern anywhere in
 * the frame?", so the features do not depend on where the shape flashes, nor on the frame's
 * size. Frames are encoded independently: only the pooling over time that follows compares them.
 *
 * Shape:
 * - input clips `[B, T, H, W]` (one grey channel, as the synthetic clips are)
 * - output features `[B, T, dim]`
 * - `conv1.weight` `[channels[0], 1, 3, 3]`, `conv2.weight` `[channels[1], channels[0], 3, 3]`, `fc.weight` `[dim, channels[1]]`
 *
 * @example
 * const encoder = new FrameEncoder({ channels: [8, 16], dim: 32, rng: new Rng(0) });
 * encoder.forward(zeros([2, 8, 16, 16])).shape; // [2, 8, 32]
 */
export class FrameEncoder extends Module {
	readonly channels: readonly [number, number];
	readonly dim: number;
	conv1: Conv2d;
	pool: MaxPool2d;
	conv2: Conv2d;
	fc: Linear;

	constructor(opts: FrameEncoderOptions = {}) {
		super();
		this.channels = opts.channels ?? DEFAULT_CHANNELS;
		this.dim = opts.dim ?? DEFAULT_DIM;
		// padding 1 keeps a shape at the frame's edge as visible as one in the middle.
		this.conv1 = new Conv2d(1, this.channels[0], 3, { padding: 1, rng: opts.rng });
		this.pool = new MaxPool2d(2);
		this.conv2 = new Conv2d(this.channels[0], this.channels[1], 3, { padding: 1, rng: opts.rng });
		this.fc = new Linear(this.channels[1], this.dim, { rng: opts.rng });
	}

	forward(clips: Tensor): Tensor {
		if (clips.ndim !== 4) throw new ShapeError('frameEncoder', `clips must be [B, T, H, W], got ${fmtShape(clips.shape)}`);
		const [b, t, h, w] = clips.shape;
		// Frames become the batch of the 2-D layers: every frame goes through the same weights.
		let x = clips.reshape(b * t, 1, h, w);
		x = this.pool.forward(this.conv1.forward(x).relu());
		x = this.conv2.forward(x).relu().max([2, 3]);
		return this.fc.forward(x).reshape(b, t, this.dim);
	}

	extraRepr(): string {
		return `channels=(${this.channels.join(', ')}), dim=${this.dim}`;
	}

	/** The same encoder in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'FrameEncoder', source: FRAME_ENCODER_PY, args: [`(${this.channels.join(', ')})`, String(this.dim)] };
	}
}
