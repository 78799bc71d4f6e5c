import { ShapeError } from '../../engine/index';

/**
 * Re-throw a ShapeError from one of the article's models with a one-line hint at its cause.
 * Other errors pass through unchanged.
 */
export function explain(e: unknown, hintFor: (err: ShapeError) => string | null): never {
	if (e instanceof ShapeError && !e.hint) {
		const hint = hintFor(e);
		if (hint) throw e.withHint(hint);
	}
	throw e;
}

/** The multiply fails (only) when hidden_dim is neither input_dim nor 1; when it is 1, one weight per row broadcasts. */
export function attentionMultiplyHint(inputDim: number, hiddenDim: number): string {
	return (
		`AttentionModule multiplies relu(x), whose last dim is input_dim = ${inputDim}, by softmax weights whose last dim is ` +
		`hidden_dim = ${hiddenDim}; the product only exists when hidden_dim equals input_dim (or is 1).`
	);
}

/** The attention's Linear was given an axis that is not the features the model was built for. */
export function featuresHint(inputDim: number, hiddenDim: number, lastDim: number): string {
	return `The attention's nn.Linear(${inputDim}, ${hiddenDim}) reads the last axis of its input as input_dim = ${inputDim} features, but that axis has ${lastDim}.`;
}

/** The attention's Linear was given a (B, C, H, W) frame, whose last axis is its width. */
export function widthHint(inputDim: number, hiddenDim: number, width: number): string {
	return `The attention's nn.Linear(${inputDim}, ${hiddenDim}) acts on the last axis of a (B, C, H, W) frame, its width of ${width} pixels, not on features`;
}

/**
 * With input_dim = 1 the multiply broadcasts relu(x) up to hidden_dim, so the attention's output
 * has hidden_dim features where the next layer, built for input_dim, expects one.
 */
export function broadcastHint(hiddenDim: number, layer: string): string {
	return `With input_dim = 1, AttentionModule's product broadcasts relu(x) up to hidden_dim = ${hiddenDim} features, but ${layer} was built for input_dim = 1.`;
}
