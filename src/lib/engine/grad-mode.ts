let enabled = true;

/** Whether ops run now record a graph for backward. */
export function isGradEnabled(): boolean {
	return enabled;
}

/**
 * Run `fn` without recording a graph, as `torch.no_grad()` does: outputs have
 * `requiresGrad` false and cost no memory for backward.
 *
 * @example
 * const logits = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
	const prev = enabled;
	enabled = false;
	try {
		return fn();
	} finally {
		enabled = prev;
	}
}
