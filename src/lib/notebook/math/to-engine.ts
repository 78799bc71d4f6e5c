/**
 * Three ways to the derivative of an activation f(x), side by side: mathjs's symbolic derivative,
 * the engine's autograd through f built from engine ops, and central finite differences. When all
 * three agree, the learner has checked the engine's backward pass with their own function.
 *
 * UI-free: mathjs and the engine only.
 */
import type { MathNode } from 'mathjs';
import { full, tensor, Tensor } from '../../engine/index';
import { differentiate, math, toTex } from './mathjs';

/** An expression that uses something the engine has no op for; the message names it and the alternatives. */
export class UnsupportedError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsupportedError';
	}
}

type Value = Tensor | number;
type Unary = (u: Tensor) => Tensor;

/** mathjs functions the engine can compute and differentiate. */
const FUNCTIONS: Record<string, Unary> = {
	exp: (u) => u.exp(),
	log: (u) => u.log(),
	sqrt: (u) => u.sqrt(),
	abs: (u) => u.abs(),
	tanh: (u) => u.tanh(),
	sigmoid: (u) => u.sigmoid(),
	relu: (u) => u.relu(),
	square: (u) => u.square()
};
export const ENGINE_FUNCTIONS = [...Object.keys(FUNCTIONS), 'max(u, 0)'];

const CONSTANTS: Record<string, number> = { e: Math.E, pi: Math.PI };

/**
 * Build `f` from engine ops, so the engine's autograd can differentiate it.
 *
 * @example
 * const f = toEngine(math.parse('x * sigmoid(x)'), 'x');
 * const x = tensor([1, 2], { requiresGrad: true });
 * f(x).sum().backward(); // x.grad holds f'(1), f'(2)
 */
export function toEngine(node: MathNode, variable: string): (x: Tensor) => Tensor {
	const build = compile(node, variable);
	return (x) => {
		const y = build(x);
		// A constant f still answers with one value per point, connected to x so its gradient is 0 rather than missing.
		return typeof y === 'number' ? x.mul(0).add(y) : y;
	};
}

function compile(node: MathNode, variable: string): (x: Tensor) => Value {
	if (math.isParenthesisNode(node)) return compile(node.content, variable);
	if (math.isConstantNode(node)) {
		const v = node.value;
		if (typeof v !== 'number') throw new UnsupportedError(`Only numbers can be constants, not ${JSON.stringify(v)}`);
		return () => v;
	}
	if (math.isSymbolNode(node)) {
		if (node.name === variable) return (x) => x;
		const c = CONSTANTS[node.name];
		if (c !== undefined) return () => c;
		throw new UnsupportedError(`Unknown symbol "${node.name}": f may use only ${variable} and the constants e and pi`);
	}
	if (math.isOperatorNode(node)) {
		const args = node.args.map((a) => compile(a, variable));
		const [a, b] = args;
		switch (node.fn) {
			case 'unaryPlus':
				return a;
			case 'unaryMinus':
				return (x) => negate(a(x));
			case 'add':
			case 'subtract':
			case 'multiply':
			case 'divide':
			case 'pow': {
				const op = node.fn;
				// `e^u` is exp(u): the engine's exp is exact where pow(e, u) would round e first.
				if (op === 'pow' && math.isSymbolNode(node.args[0]) && node.args[0].name === 'e') return (x) => lift(b(x), x).exp();
				return (x) => binary(op, a(x), b(x), x);
			}
		}
		throw new UnsupportedError(`The operator "${node.op}" has no engine op; use + - * / ^`);
	}
	if (math.isFunctionNode(node)) {
		const name = node.fn.name;
		const args = node.args.map((a) => compile(a, variable));
		if (name === 'max' && args.length === 2 && node.args.some(isZero)) {
			const u = isZero(node.args[0]) ? args[1] : args[0];
			return (x) => lift(u(x), x).relu();
		}
		const fn = FUNCTIONS[name];
		if (!fn) throw new UnsupportedError(`${name}() has no engine op. f can use + - * / ^ and ${ENGINE_FUNCTIONS.join(', ')}`);
		if (args.length !== 1) throw new UnsupportedError(`${name}() takes one argument here, got ${args.length}`);
		return (x) => fn(lift(args[0](x), x));
	}
	throw new UnsupportedError(`"${node.toString()}" is not something the engine can compute; write f as a formula in ${variable}`);
}

function isZero(node: MathNode): boolean {
	return math.isConstantNode(node) && node.value === 0;
}

/** A number as a 0-d tensor of x's dtype, so it broadcasts against x without changing its precision. */
function lift(v: Value, x: Tensor): Tensor {
	return typeof v === 'number' ? full([], v, { dtype: x.dtype }) : v;
}

function negate(v: Value): Value {
	return typeof v === 'number' ? -v : v.neg();
}

function binary(op: 'add' | 'subtract' | 'multiply' | 'divide' | 'pow', a: Value, b: Value, x: Tensor): Value {
	if (typeof a === 'number' && typeof b === 'number') {
		return op === 'add' ? a + b : op === 'subtract' ? a - b : op === 'multiply' ? a * b : op === 'divide' ? a / b : a ** b;
	}
	const t = lift(a, x);
	return op === 'add' ? t.add(b) : op === 'subtract' ? t.sub(b) : op === 'multiply' ? t.mul(b) : op === 'divide' ? t.div(b) : t.pow(b);
}

/** Between the grid points the comparison uses: off zero, where relu and abs have no derivative. */
export const DEFAULT_POINTS = [-1.9, -1.4, -0.9, -0.4, 0.1, 0.6, 1.1, 1.6, 2.1];
/** Autograd runs in float32 like the models do, so it agrees with exact values to about 1e-6 relative. */
export const DEFAULT_TOLERANCE = 1e-4;
/** Central differences in float64: truncation error ~h², rounding ~1e-16/h; both far below the tolerance at this h. */
const FD_STEP = 1e-5;

export interface DerivativeRow {
	x: number;
	/** False where f itself has no real value (log of a negative): no method is judged there. */
	defined: boolean;
	f: number;
	symbolic: number;
	autograd: number;
	finiteDiff: number;
}

export interface DerivativeComparison {
	/** TeX of f(x) and of mathjs's f′(x). */
	fTex: string;
	dfTex: string;
	rows: DerivativeRow[];
	/** Largest |autograd − symbolic| and |finite difference − symbolic| over the defined rows. */
	maxAutogradDiff: number;
	maxFiniteDiffDiff: number;
	/** Each difference must be at most tolerance · (1 + |symbolic|): absolute near 0, relative for large slopes. */
	tolerance: number;
	agree: boolean;
	/** f and the symbolic f′ on a fine grid, for a chart. */
	curve: { x: number[]; f: number[]; df: number[] };
}

const CURVE = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);

/**
 * Compare f′ three ways at `points`. Throws a mathjs parse error or `UnsupportedError` for an expression it cannot use.
 *
 * @example
 * compareDerivatives('x * sigmoid(x)').agree; // true
 */
export function compareDerivatives(
	expression: string,
	options: { points?: readonly number[]; tolerance?: number } = {}
): DerivativeComparison {
	const points = [...(options.points ?? DEFAULT_POINTS)];
	const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
	const node = math.parse(expression);
	const variable = 'x';
	const f = toEngine(node, variable);
	const df = differentiate(node, variable);
	const fAt = node.compile();
	const dfAt = df.compile();

	const x = tensor(points, { requiresGrad: true });
	f(x).sum().backward();
	const autograd = Array.from(x.grad?.data ?? points.map(() => 0));

	const x64 = (shift: number) =>
		tensor(
			points.map((p) => p + shift),
			{ dtype: 'float64' }
		);
	const plus = f(x64(FD_STEP)).data;
	const minus = f(x64(-FD_STEP)).data;

	// mathjs answers log(-1) with a complex number, which Number() turns into NaN: outside f's real domain.
	const real = (v: unknown) => (typeof v === 'number' ? v : NaN);
	const rows: DerivativeRow[] = points.map((p, i) => {
		const fx = real(fAt.evaluate({ [variable]: p }));
		return {
			x: p,
			defined: Number.isFinite(fx),
			f: fx,
			symbolic: real(dfAt.evaluate({ [variable]: p })),
			autograd: autograd[i],
			finiteDiff: (plus[i] - minus[i]) / (2 * FD_STEP)
		};
	});
	const judged = rows.filter((r) => r.defined);
	const close = (got: number, want: number) => Math.abs(got - want) <= tolerance * (1 + Math.abs(want));
	const maxDiff = (pick: (r: DerivativeRow) => number) => Math.max(0, ...judged.map((r) => Math.abs(pick(r) - r.symbolic)));
	return {
		fTex: `f(${variable}) = ${toTex(node)}`,
		dfTex: `f'(${variable}) = ${toTex(df)}`,
		rows,
		maxAutogradDiff: maxDiff((r) => r.autograd),
		maxFiniteDiffDiff: maxDiff((r) => r.finiteDiff),
		tolerance,
		// NaN fails `close`, so a method that breaks down where f is defined counts as disagreeing.
		agree: judged.length > 0 && judged.every((r) => close(r.autograd, r.symbolic) && close(r.finiteDiff, r.symbolic)),
		curve: {
			x: CURVE,
			f: CURVE.map((p) => real(fAt.evaluate({ [variable]: p }))),
			df: CURVE.map((p) => real(dfAt.evaluate({ [variable]: p })))
		}
	};
}
