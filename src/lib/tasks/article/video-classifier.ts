import type { Rng, ShapeError, Tensor } from '../../engine/index';
import { AttentionModule, Linear, Module } from '../../nn/index';
import type { TorchClass } from '../../train/export/index';
import { attentionMultiplyHint, broadcastHint, explain, featuresHint } from './hints';
import { VIDEO_CLASSIFIER_PY } from './python';

/**
 * The article's `VideoClassifier`, as written:
 *
 * ```python
 * x = self.attention(input)   # AttentionModule(input_dim, hidden_dim)
 * x = torch.mean(x, dim=1)
 * x = self.fc(x)              # nn.Linear(input_dim, num_classes)
 * ```
 *
 * With the article's sizes (512, 256) it cannot run: see `attentionMultiplyHint`. It runs when
 * hidden_dim equals input_dim, or is 1 (one softmax weight per frame, broadcast over its features).
 *
 * Shape: input [B, T, inputDim] → logits [B, numClasses].
 */
export class VideoClassifier extends Module {
	attention: AttentionModule;
	fc: Linear;

	constructor(
		readonly attentionInputDim = 512,
		readonly attentionHiddenDim = 256,
		readonly numClasses = 10,
		opts: { rng?: Rng } = {}
	) {
		super();
		this.attention = new AttentionModule(attentionInputDim, attentionHiddenDim, opts);
		this.fc = new Linear(attentionInputDim, numClasses, opts);
	}

	forward(input: Tensor): Tensor {
		try {
			let x = this.attention.forward(input);
			x = x.mean(1);
			return this.fc.forward(x);
		} catch (e) {
			return explain(e, (err) => this.hint(err, input));
		}
	}

	private hint(err: ShapeError, input: Tensor): string | null {
		const [inputDim, hiddenDim] = [this.attentionInputDim, this.attentionHiddenDim];
		if (err.op === 'mul') return attentionMultiplyHint(inputDim, hiddenDim);
		if (input.ndim !== 3) {
			const lostFeatures = input.ndim === 2 && err.path === 'fc';
			return (
				`VideoClassifier takes a clip as (batch, frames, features), but this input is ${input.ndim}-D` +
				(lostFeatures ? `: mean over dim 1 averaged its features away, so fc gets one number per clip, not ${inputDim} features.` : '.')
			);
		}
		if (err.path === 'attention.attention') return featuresHint(inputDim, hiddenDim, input.shape[2]);
		// On a clip, fc can only fail after the multiply broadcast a 1-feature input up to hidden_dim.
		if (err.path === 'fc') return broadcastHint(hiddenDim, 'fc');
		return null;
	}

	/** The article's own Python for this model, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return {
			name: 'VideoClassifier',
			source: VIDEO_CLASSIFIER_PY,
			args: [this.attentionInputDim, this.attentionHiddenDim, this.numClasses].map(String)
		};
	}
}
