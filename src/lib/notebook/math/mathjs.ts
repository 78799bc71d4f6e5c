/**
 * The mathjs instance math cells use: mathjs itself plus the activations lessons talk about
 * (`sigmoid`, `relu`), printed as TeX the way the lessons write them.
 *
 * mathjs cannot differentiate functions it does not know, so `differentiate` first rewrites the
 * activations into functions it does know: σ(u) = 1 / (1 + e^(−u)), relu(u) = (u + |u|) / 2
 * (whose derivative is undefined only at u = 0, as relu's is).
 */
import { all, create, type FunctionAssignmentNode, type MathNode } from 'mathjs';

export const math = create(all);

const sigmoid = math.typed('sigmoid', { number: (x: number) => 1 / (1 + Math.exp(-x)) });
const relu = math.typed('relu', { number: (x: number) => Math.max(x, 0) });
// mathjs fills in `${args[0]}` itself when it prints the node as TeX.
Object.assign(sigmoid, { toTex: { 1: '\\sigma\\left(${args[0]}\\right)' } });
Object.assign(relu, { toTex: { 1: '\\operatorname{relu}\\left(${args[0]}\\right)' } });
math.import({ sigmoid, relu });

/** Rewrites of functions mathjs can evaluate but not differentiate, into ones it can. */
const EXPANSIONS: Record<string, (u: string) => string> = {
	sigmoid: (u) => `1 / (1 + exp(-(${u})))`,
	relu: (u) => `((${u}) + abs(${u})) / 2`,
	square: (u) => `(${u})^2`
};

/** User functions (`f(x) = x^2 * sigmoid(x)`) a derivative may call, by name. */
export type FunctionDefs = ReadonlyMap<string, FunctionAssignmentNode>;

const MAX_INLINE_DEPTH = 20; // a function defined in terms of itself would otherwise inline forever

/** Replace calls to user functions with their bodies, so mathjs can differentiate through them. */
export function inlineFunctions(node: MathNode, defs: FunctionDefs, depth = 0): MathNode {
	if (depth > MAX_INLINE_DEPTH) throw new Error('A function that calls itself cannot be differentiated');
	return node.transform((call) => {
		const def = math.isFunctionNode(call) ? defs.get(call.fn.name) : undefined;
		if (!def || !math.isFunctionNode(call)) return call;
		if (def.params.length !== call.args.length) {
			throw new Error(`${def.name} takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'}, got ${call.args.length}`);
		}
		const body = def.expr.transform((m) => {
			const i = math.isSymbolNode(m) ? def.params.indexOf(m.name) : -1;
			return i >= 0 ? new math.ParenthesisNode(call.args[i]) : m;
		});
		return new math.ParenthesisNode(inlineFunctions(body, defs, depth + 1));
	});
}

function expandActivations(node: MathNode): MathNode {
	return node.transform((call) => {
		const expand = math.isFunctionNode(call) && call.args.length === 1 ? EXPANSIONS[call.fn.name] : undefined;
		if (!expand || !math.isFunctionNode(call)) return call;
		return math.parse(expand(expandActivations(call.args[0]).toString()));
	});
}

/**
 * The symbolic derivative of `node` with respect to `variable`, through user functions and activations.
 *
 * @example
 * differentiate(math.parse('x * sigmoid(x)'), 'x').toString(); // "(exp(-x) * (x + 1) + 1) / (exp(-x) + 1) ^ 2"
 */
export function differentiate(node: MathNode, variable: string, defs: FunctionDefs = new Map()): MathNode {
	return math.derivative(expandActivations(inlineFunctions(node, defs)), variable);
}

/** Every `derivative(expr, x)` call in `node` replaced by its result. */
export function resolveDerivatives(node: MathNode, defs: FunctionDefs): MathNode {
	return node.transform((call) => {
		if (!math.isFunctionNode(call) || call.fn.name !== 'derivative') return call;
		const [expr, variable] = call.args;
		if (call.args.length !== 2 || !math.isSymbolNode(variable)) {
			throw new Error('Write a derivative as derivative(expression, x), with the variable as a plain name');
		}
		return new math.ParenthesisNode(differentiate(resolveDerivatives(expr, defs), variable.name, defs));
	});
}

/**
 * TeX for a node. mathjs prints a symbol that is also a unit name upright (`b` is the bit), and
 * every user function upright (`\mathrm{f}`); one-letter names are printed as the italic
 * variables and functions of a textbook instead.
 */
export function toTex(node: MathNode): string {
	const letter = (name: string) => /^[A-Za-z]$/.test(name);
	const handler = (n: MathNode, options: object): string | undefined => {
		// The leading space matches mathjs's own symbols, so `\cdot` followed by `x` stays two tokens.
		if (math.isSymbolNode(n) && letter(n.name)) return ` ${n.name}`;
		// mathjs's own template for derivative() prints its argument without this handler.
		if (math.isFunctionNode(n) && n.fn.name === 'derivative' && n.args.length === 2) {
			return `\\frac{d}{d${n.args[1].toTex(options)}}\\left[${n.args[0].toTex(options)}\\right]`;
		}
		if (math.isFunctionNode(n) && letter(n.fn.name)) return `${n.fn.name}\\left(${n.args.map((a) => a.toTex(options)).join(',')}\\right)`;
		if (math.isFunctionAssignmentNode(n) && letter(n.name)) return `${n.name}\\left(${n.params.join(',')}\\right)=${n.expr.toTex(options)}`;
		return undefined;
	};
	return node.toTex({ parenthesis: 'auto', implicit: 'hide', handler });
}

/** Four significant digits: enough to watch a value move with a slider. */
export function formatNumber(value: unknown): string {
	return math.format(value as number, { precision: 4 });
}
