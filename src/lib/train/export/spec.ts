/**
 * How a module is written in an exported PyTorch file. A layer torch.nn already has is a call
 * (`nn.Linear(4, 8)`); a module torch.nn has no class for brings its own Python class and is
 * built by calling it (`AttentionModule(16, 16)`).
 */

/** A constructor call: `callee(...args)`. */
export interface TorchCall {
	/** What is called: `nn.Linear`, `nn.Sequential`. */
	callee: string;
	/** The arguments as Python source: `['4', '8', 'bias=False']`. */
	args: string[];
}

/** A Python class of the module's own, and the call that builds this instance of it. */
export interface TorchClass {
	/** The class that `source` defines; the module is built by calling it with `args`. */
	name: string;
	/** The class definition, in Python indented with four spaces. */
	source: string;
	/** The constructor call's arguments as Python source: `['16', '16', '10']`, `['4', 'query_dim=5']`. */
	args: string[];
	/** Standard-library modules the source uses besides torch and nn, e.g. `['math']`. */
	imports?: string[];
}

/**
 * A model class outside `$lib/nn` that can be exported: it returns its own PyTorch class. The
 * class's attribute names must be the TypeScript property names, so the state-dict keys match.
 *
 * @example
 * class Head extends Module {
 *   fc = new Linear(8, 2);
 *   forward(x: Tensor) { return this.fc.forward(x).relu(); }
 *   torchSource(): TorchClass {
 *     return { name: 'Head', args: [], source: HEAD_PY };  // HEAD_PY defines class Head(nn.Module)
 *   }
 * }
 */
export interface TorchExportable {
	torchSource(): TorchClass;
}

export function isTorchClass(spec: TorchCall | TorchClass): spec is TorchClass {
	return 'source' in spec;
}

/** Calls longer than this are written one argument per line. */
const MAX_CALL_WIDTH = 100;

/** `callee(a, b)` on one line when short, else one argument per line as black formats it. */
export function pyCall(callee: string, args: readonly string[]): string {
	const flat = `${callee}(${args.join(', ')})`;
	if (flat.length <= MAX_CALL_WIDTH && !flat.includes('\n')) return flat;
	return `${callee}(\n${args.map((a) => `${indent(a, 1)},`).join('\n')}\n)`;
}

/** Indent every line of `text` by `levels` × four spaces. */
export function indent(text: string, levels: number): string {
	const pad = '    '.repeat(levels);
	return text
		.split('\n')
		.map((line) => (line ? pad + line : line))
		.join('\n');
}

/** Indent every line but the first, for text placed after something already indented. */
export function indentTail(text: string, levels: number): string {
	const [first, ...rest] = text.split('\n');
	return [first, ...rest.map((line) => indent(line, levels))].join('\n');
}

/** A keyword argument: `kw('bias', 'False')` is `bias=False`. */
export function kw(name: string, value: string): string {
	return `${name}=${value}`;
}

/** An int pair as PyTorch layers accept it: one number when both agree, else a tuple. */
export function pyPair([a, b]: readonly [number, number]): string {
	return a === b ? String(a) : `(${a}, ${b})`;
}

/** A string literal in double quotes (JSON's escapes are valid Python for these purposes). */
export function pyStr(s: string): string {
	return JSON.stringify(s);
}
