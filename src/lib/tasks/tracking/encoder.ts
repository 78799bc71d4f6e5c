import { ShapeError, cat, fmtShape, tensor, type Rng, type Tensor } from '../../engine/index';
import { Conv2d, MaxPool2d, Module } from '../../nn/index';
import type { TorchClass } from '../../train/export/index';
import { FRAME_ENCODER_PY } from './python';

export interface FrameEncoderOptions {
	/** Feature channels per cell, C. */
	channels: number;
	/** Add x and y coordinate planes to the input (CoordConv), so features can say where they are. */
	coordinates: boolean;
	rng?: Rng;
}

/**
 * The trackers' shared frame encoder: conv 3×3 → ReLU → max-pool 2 → conv 3×3 → ReLU → conv 3×3
 * → ReLU, all padded so only the pool changes the size. Each output cell sees a 12×12-pixel
 * patch around its own 2×2 pixels: wide enough to take in the 6-pixel ring target and tell it
 * from a filled disc, while the 2× pool keeps one cell per 2 pixels, fine enough to localise.
 *
 * With `coordinates`, two fixed planes holding each pixel's x and y (from −1 to 1) join the
 * frame as input channels: convolutions are translation-equivariant, so without them features
 * cannot encode absolute position, and a model that averages features over the frame (the
 * baseline) would have no way to know where anything is.
 *
 * Shape:
 * - frames `[N, H, W]` (H and W even) → features `[N, C, H/2, W/2]`
 * - `conv1.weight` `[C, 1 (3 with coordinates), 3, 3]`, `conv2.weight` and `conv3.weight` `[C, C, 3, 3]`
 *
 * @example
 * const enc = new FrameEncoder({ channels: 16, coordinates: false, rng: new Rng(0) });
 * enc.forward(rand([4, 16, 16])).shape; // [4, 16, 8, 8]
 */
export class FrameEncoder extends Module {
	readonly channels: number;
	readonly coordinates: boolean;
	conv1: Conv2d;
	pool: MaxPool2d;
	conv2: Conv2d;
	conv3: Conv2d;
	private coordPlanes: Tensor | null = null;

	constructor(opts: FrameEncoderOptions) {
		super();
		const { channels: C, coordinates, rng } = opts;
		this.channels = C;
		this.coordinates = coordinates;
		this.conv1 = new Conv2d(coordinates ? 3 : 1, C, 3, { padding: 1, rng });
		this.pool = new MaxPool2d(2);
		this.conv2 = new Conv2d(C, C, 3, { padding: 1, rng });
		this.conv3 = new Conv2d(C, C, 3, { padding: 1, rng });
	}

	forward(frames: Tensor): Tensor {
		if (frames.ndim !== 3 || frames.shape[1] % 2 !== 0 || frames.shape[2] % 2 !== 0) {
			throw new ShapeError('frameEncoder', `frames must be [N, H, W] with H and W even, got ${fmtShape(frames.shape)}`);
		}
		const [N, H, W] = frames.shape;
		let x = frames.reshape([N, 1, H, W]);
		if (this.coordinates) x = cat([x, this.planes(H, W).expand([N, 2, H, W])], 1);
		x = this.pool.forward(this.conv1.forward(x).relu());
		x = this.conv2.forward(x).relu();
		return this.conv3.forward(x).relu();
	}

	/** The x and y planes `[1, 2, H, W]`, made once per frame size. */
	private planes(H: number, W: number): Tensor {
		if (this.coordPlanes?.shape[2] === H && this.coordPlanes.shape[3] === W) return this.coordPlanes;
		const data = new Float32Array(2 * H * W);
		for (let y = 0; y < H; y++) {
			for (let x = 0; x < W; x++) {
				data[y * W + x] = W > 1 ? (2 * x) / (W - 1) - 1 : 0;
				data[H * W + y * W + x] = H > 1 ? (2 * y) / (H - 1) - 1 : 0;
			}
		}
		return (this.coordPlanes = tensor(data, { shape: [1, 2, H, W] }));
	}

	extraRepr(): string {
		return `channels=${this.channels}, coordinates=${this.coordinates}`;
	}

	/** The same encoder in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'FrameEncoder', source: FRAME_ENCODER_PY, args: [String(this.channels), this.coordinates ? 'True' : 'False'] };
	}
}
