import type { Rng, ShapeError, Tensor } from '../../engine/index';
import { AttentionModule, Linear, Module } from '../../nn/index';
import type { TorchClass } from '../../train/export/index';
import { attentionMultiplyHint, explain, widthHint } from './hints';
import { OBJECT_TRACKER_PY } from './python';

/** Why the tracker fails on every real frame, whichever step the failure surfaces at. */
const ONLY_RUNS = 'ObjectTracker never turns pixels into features, so it only runs when width = channels = input_dim.';

/**
 * The article's `ObjectTracker`, as written:
 *
 * ```python
 * x = self.attention(input)       # input is (batch, channels, height, width)
 * x = torch.mean(x, dim=(2, 3))
 * x = self.fc(x)                  # nn.Linear(input_dim, 4 * num_objects)
 * ```
 *
 * `nn.Linear` acts on the last axis, so the attention's Linear runs over the frame's width,
 * not over features, and needs width = input_dim; the mean over (height, width) then leaves
 * one number per channel, which `fc` reads as `input_dim` features, so it also needs
 * channels = input_dim. A frame with 1 or 3 channels satisfies both only if it is 1 or 3
 * pixels wide: for any real frame it fails, at any input_dim and hidden_dim.
 *
 * Shape: input [B, C, H, W] → [B, 4·numObjects] (only when W = C = inputDim, and hiddenDim is inputDim or 1).
 */
export class ObjectTracker extends Module {
	attention: AttentionModule;
	fc: Linear;

	constructor(
		readonly attentionInputDim = 512,
		readonly attentionHiddenDim = 256,
		readonly numObjects = 5,
		opts: { rng?: Rng } = {}
	) {
		super();
		this.attention = new AttentionModule(attentionInputDim, attentionHiddenDim, opts);
		this.fc = new Linear(attentionInputDim, 4 * numObjects, opts);
	}

	forward(input: Tensor): Tensor {
		try {
			let x = this.attention.forward(input);
			x = x.mean([2, 3]);
			return this.fc.forward(x);
		} catch (e) {
			return explain(e, (err) => this.hint(err, input));
		}
	}

	private hint(err: ShapeError, input: Tensor): string | null {
		const [inputDim, hiddenDim] = [this.attentionInputDim, this.attentionHiddenDim];
		if (input.ndim !== 4) return `ObjectTracker takes frames as (batch, channels, height, width), but this input is ${input.ndim}-D.`;
		const [, channels, , width] = input.shape;
		if (err.path === 'attention.attention') return `${widthHint(inputDim, hiddenDim, width)}; ${ONLY_RUNS}`;
		if (err.op === 'mul') {
			const then = channels === inputDim ? '' : ` Even then, fc would get ${channels} channel means, not ${inputDim} features.`;
			return attentionMultiplyHint(inputDim, hiddenDim) + then;
		}
		if (err.path === 'fc') {
			return `mean over (height, width) leaves one number per channel (${channels}), but fc expects input_dim = ${inputDim} features: ${ONLY_RUNS}`;
		}
		return null;
	}

	/** The article's own Python for this model, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return {
			name: 'ObjectTracker',
			source: OBJECT_TRACKER_PY,
			args: [this.attentionInputDim, this.attentionHiddenDim, this.numObjects].map(String)
		};
	}
}
