import type { Rng, ShapeError, Tensor } from '../../engine/index';
import { AttentionModule, Linear, Module } from '../../nn/index';
import type { TorchClass } from '../../train/export/index';
import { attentionMultiplyHint, broadcastHint, explain, featuresHint, widthHint } from './hints';
import { VIDEO_GENERATOR_PY } from './python';

/**
 * The article's `VideoGenerator`, as written:
 *
 * ```python
 * x = self.attention(input)       # input is (batch, channels, height, width)
 * x = torch.mean(x, dim=1)
 * x = self.decoder(x)             # nn.Linear(input_dim, num_frames)
 * ```
 *
 * Even where it runs (hidden_dim = input_dim = width), it maps each image row to
 * `num_frames` numbers: the output is [B, H, num_frames], not frames of video.
 *
 * Shape: input [B, C, H, W] → [B, H, numFrames] (only when W = inputDim, and hiddenDim is inputDim or 1).
 */
export class VideoGenerator extends Module {
	attention: AttentionModule;
	decoder: Linear;

	constructor(
		readonly attentionInputDim = 512,
		readonly attentionHiddenDim = 256,
		readonly numFrames = 100,
		opts: { rng?: Rng } = {}
	) {
		super();
		this.attention = new AttentionModule(attentionInputDim, attentionHiddenDim, opts);
		this.decoder = new Linear(attentionInputDim, numFrames, opts);
	}

	forward(input: Tensor): Tensor {
		try {
			let x = this.attention.forward(input);
			x = x.mean(1);
			return this.decoder.forward(x);
		} catch (e) {
			return explain(e, (err) => this.hint(err, input));
		}
	}

	private hint(err: ShapeError, input: Tensor): string | null {
		const [inputDim, hiddenDim] = [this.attentionInputDim, this.attentionHiddenDim];
		if (err.op === 'mul') return attentionMultiplyHint(inputDim, hiddenDim);
		if (err.path === 'attention.attention' && input.ndim > 0) {
			const last = input.shape[input.ndim - 1];
			if (input.ndim !== 4) return featuresHint(inputDim, hiddenDim, last);
			const where = `; and where it runs (width = input_dim), it maps each image row to num_frames = ${this.numFrames} numbers, not to frames.`;
			return widthHint(inputDim, hiddenDim, last) + where;
		}
		if (err.path === 'decoder' && inputDim === 1 && hiddenDim !== 1) return broadcastHint(hiddenDim, 'decoder');
		if (input.ndim !== 4) return `VideoGenerator takes frames as (batch, channels, height, width), but this input is ${input.ndim}-D.`;
		return null;
	}

	/** The article's own Python for this model, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return {
			name: 'VideoGenerator',
			source: VIDEO_GENERATOR_PY,
			args: [this.attentionInputDim, this.attentionHiddenDim, this.numFrames].map(String)
		};
	}
}
