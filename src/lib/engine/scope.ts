/**
 * The module path ops run under (`encoder.attention.fc`). Modules push their name while
 * their forward runs, so traces and shape errors can say where an op came from.
 */
const stack: string[] = [];

/** The dotted path of the modules currently running, or `''` at top level. */
export function currentScope(): string {
	return stack.join('.');
}

/**
 * Run `fn` with `name` appended to the module path.
 *
 * @example
 * withScope('attention', () => x.relu()); // traced as attention.relu
 */
export function withScope<T>(name: string, fn: () => T): T {
	if (name === '') return fn();
	stack.push(name);
	try {
		return fn();
	} finally {
		stack.pop();
	}
}
