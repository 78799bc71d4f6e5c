import type { Rng, Tensor } from '../engine/index';
import { positiveInt } from './args';
import { ReLU, Softmax } from './activation';
import { Linear } from './linear';
import { Module } from './module';

/**
 * The article's attention block, exactly as its PyTorch is written:
 *
 * ```python
 * class AttentionModule(nn.Module):
 *     def __init__(self, input_dim, hidden_dim):
 *         self.relu = nn.ReLU()
 *         self.attention = nn.Linear(input_dim, hidden_dim)
 *         self.softmax = nn.Softmax(dim=1)
 *     def forward(self, input):
 *         x = self.relu(input)
 *         attention_weight = self.attention(x)
 *         attention_weight = self.softmax(attention_weight)
 *         output = torch.mul(x, attention_weight)
 *         return output
 * ```
 *
 * It is kept faithful, flaws included, because the lessons take it apart. The final product
 * multiplies `[…, inputDim]` by `[…, hiddenDim]`, so it only runs when the two are equal; with
 * the article's 512 and 256 it throws a `ShapeError` (`attention → mul: cannot broadcast …`).
 * And `dim=1` is the time axis of a `[B, T, D]` clip but the feature axis of a `[B, D]` batch.
 *
 * Shape:
 * - input `[B, T, inputDim]` (or `[B, inputDim]`), output the same shape; needs `hiddenDim = inputDim`
 * - `attention.weight` `[hiddenDim, inputDim]`, `attention.bias` `[hiddenDim]`
 *
 * @example
 * const attention = new AttentionModule(64, 64, { rng: new Rng(0) });
 * attention.forward(randn([2, 16, 64])).shape; // [2, 16, 64]
 * new AttentionModule(512, 256).forward(randn([2, 16, 512])); // throws ShapeError
 */
export class AttentionModule extends Module {
	relu: ReLU;
	attention: Linear;
	softmax: Softmax;

	constructor(inputDim: number, hiddenDim: number, opts: { rng?: Rng } = {}) {
		super();
		positiveInt('AttentionModule', 'inputDim', inputDim);
		positiveInt('AttentionModule', 'hiddenDim', hiddenDim);
		this.relu = new ReLU();
		this.attention = new Linear(inputDim, hiddenDim, { rng: opts.rng });
		this.softmax = new Softmax(1);
	}

	forward(input: Tensor): Tensor {
		const x = this.relu.forward(input);
		let attentionWeight = this.attention.forward(x);
		attentionWeight = this.softmax.forward(attentionWeight);
		return x.mul(attentionWeight);
	}
}
