/**
 * A math cell's source: one mathjs expression or assignment per line, evaluated top to bottom in
 * one scope. Pure, so lines are parsed once and re-evaluated cheaply each time a slider moves.
 *
 *     a = 0.5  # slider -1..1 step 0.1      a number the learner drags
 *     f(x) = x^2 * sigmoid(a * x)            a function, shown as TeX
 *     f(2)                                   its value, recomputed as `a` moves
 *     derivative(f(x), x)                    shown symbolically
 *
 * `#` starts a comment, as in mathjs; the only comment Glance reads is `# slider MIN..MAX [step S]`
 * after a numeric assignment. A derivative with respect to a slider's variable would be 0, so a
 * derivative's variable should be one no slider sets (`x` above); its value is shown only when every
 * symbol in it has one.
 */
import type { FunctionAssignmentNode, MathNode } from 'mathjs';
import { formatNumber, math, resolveDerivatives, toTex } from './mathjs';

export interface Slider {
	name: string;
	initial: number;
	min: number;
	max: number;
	step: number;
}

export type MathLine =
	| { kind: 'blank'; line: number }
	| { kind: 'error'; line: number; text: string; message: string }
	| { kind: 'expr'; line: number; text: string; node: MathNode; slider: Slider | null };

export interface LineResult {
	line: number;
	/** The line as TeX, with any derivative worked out and the value appended. */
	tex: string;
	error: string | null;
	slider: Slider | null;
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?`;
const SLIDER = new RegExp(String.raw`#\s*slider\s+(${NUMBER})\s*\.\.\s*(${NUMBER})(?:\s+step\s+(${NUMBER}))?\s*$`, 'i');
const STEPS = 100; // default slider resolution: fine enough to look continuous, coarse enough to land on round values

/** Parse every line; a line that does not parse becomes an `error` line, and the rest still work. */
export function parseMathCell(source: string): MathLine[] {
	return source.split('\n').map((raw, i): MathLine => {
		const line = i + 1;
		const text = raw.trim();
		if (text === '' || text.startsWith('#')) return { kind: 'blank', line };
		try {
			const node = math.parse(text);
			return { kind: 'expr', line, text, node, slider: sliderOf(node, text) };
		} catch (err) {
			return { kind: 'error', line, text, message: err instanceof Error ? err.message : String(err) };
		}
	});
}

function sliderOf(node: MathNode, text: string): Slider | null {
	const m = SLIDER.exec(text);
	if (!m) return null;
	if (!math.isAssignmentNode(node) || !math.isSymbolNode(node.object))
		throw new Error('A slider goes on an assignment: a = 0.5  # slider -1..1');
	const initial = node.value.evaluate();
	const [min, max] = [Number(m[1]), Number(m[2])];
	if (typeof initial !== 'number') throw new Error(`A slider's starting value must be a number, got ${node.value.toString()}`);
	if (!(min < max)) throw new Error(`A slider's range must go up: ${min}..${max}`);
	const step = m[3] === undefined ? niceStep((max - min) / STEPS) : Number(m[3]);
	if (!(step > 0)) throw new Error(`A slider's step must be positive, got ${m[3]}`);
	return { name: node.object.name, initial: Math.min(Math.max(initial, min), max), min, max, step };
}

/** The 1, 2 or 5 × 10ⁿ at or below `raw`, so dragged values print as 0.37, not 0.3712. */
function niceStep(raw: number): number {
	const p = 10 ** Math.floor(Math.log10(raw));
	return raw / p >= 5 ? 5 * p : raw / p >= 2 ? 2 * p : p;
}

/**
 * Evaluate the lines in order with the sliders at `values` (a slider missing from it is at its initial value).
 *
 * @example
 * evaluateMathCell(parseMathCell('a = 2  # slider 0..4\na^2'), { a: 3 }).map((r) => r.tex); // ['a = 3', '{a}^{2} = 9']
 */
export function evaluateMathCell(lines: readonly MathLine[], values: Readonly<Record<string, number>> = {}): LineResult[] {
	const scope = new Map<string, unknown>();
	const defs = new Map<string, FunctionAssignmentNode>();
	const results: LineResult[] = [];
	for (const l of lines) {
		if (l.kind === 'blank') continue;
		if (l.kind === 'error') {
			results.push({ line: l.line, tex: '', error: l.message, slider: null });
			continue;
		}
		try {
			results.push({ line: l.line, tex: evaluateLine(l.node, l.slider, values, scope, defs), error: null, slider: l.slider });
		} catch (err) {
			results.push({ line: l.line, tex: '', error: err instanceof Error ? err.message : String(err), slider: l.slider });
		}
	}
	return results;
}

function evaluateLine(
	node: MathNode,
	slider: Slider | null,
	values: Readonly<Record<string, number>>,
	scope: Map<string, unknown>,
	defs: Map<string, FunctionAssignmentNode>
): string {
	if (slider) {
		const v = values[slider.name] ?? slider.initial;
		scope.set(slider.name, v);
		return `${symbolTex(slider.name)} = ${formatNumber(v)}`;
	}
	const resolved = resolveDerivatives(node, defs);
	const symbolic = node.toString() !== resolved.toString();
	if (math.isFunctionAssignmentNode(node)) {
		const fn = math.isFunctionAssignmentNode(resolved) ? resolved : node;
		defs.set(node.name, fn);
		fn.evaluate(scope);
		return toTex(fn);
	}
	let value: unknown;
	try {
		value = resolved.evaluate(scope);
	} catch (err) {
		// A derivative is worth showing symbolically even where its variable has no value.
		if (!symbolic) throw err;
	}
	const rhs = (n: MathNode) => (math.isAssignmentNode(n) ? n.value : n);
	const parts = [...(math.isAssignmentNode(node) ? [toTex(node.object)] : []), toTex(rhs(node))];
	if (symbolic) parts.push(toTex(rhs(resolved)));
	if (typeof value === 'number' || math.isMatrix(value) || Array.isArray(value)) parts.push(formatNumber(value));
	return dedupe(parts).join(' = ');
}

function symbolTex(name: string): string {
	return toTex(math.parse(name));
}

/** `a = 2 = 2` reads badly: drop a part equal to the one before it. */
function dedupe(parts: string[]): string[] {
	return parts.filter((p, i) => i === 0 || p.replaceAll(' ', '') !== parts[i - 1].replaceAll(' ', ''));
}
