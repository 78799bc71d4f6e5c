/**
 * An op's formula with the recorded numbers put in, at one element of its output: the element with
 * the largest magnitude, so the worked example is never a row of zeros. Elementwise ops, matmul,
 * softmax and log-softmax get their terms written out; other ops (reshapes, convolutions, pools)
 * show the element's value, since their formula already says where it comes from.
 *
 * @example
 * forwardTex(mulStep); // 'y_{[0,2]} = a_{[0,2]} \\odot b_{[2]} = 0.53 \\cdot (-1.2) = -0.636'
 */
import type { BackwardStep, ForwardStep, OpName, TensorRecord } from '../../engine/index';

/** The symbols the op table's TeX uses for each input. */
export function inputNames(op: OpName, count: number): string[] {
	const fixed: Partial<Record<OpName, string[]>> = {
		add: ['a', 'b'],
		sub: ['a', 'b'],
		mul: ['a', 'b'],
		div: ['a', 'b'],
		pow: ['a', 'b'],
		matmul: ['A', 'B'],
		conv2d: ['X', 'W', 'b'],
		maxPool2d: ['X'],
		avgPool2d: ['X'],
		gather: ['x', 'idx'],
		indexSelect: ['x', 'idx'],
		maskedFill: ['x', 'm']
	};
	if (op === 'cat') return Array.from({ length: count }, (_, i) => `x^{(${i + 1})}`);
	return fixed[op] ?? Array.from({ length: count }, (_, i) => (i === 0 ? 'x' : `x_${i + 1}`));
}

/** The symbol of the op's output: capital where the table's TeX writes a matrix or an image. */
export function outputName(op: OpName): string {
	return ['matmul', 'conv2d', 'maxPool2d', 'avgPool2d'].includes(op) ? 'Y' : 'y';
}

const UNARY: Partial<
	Record<OpName, { f: (v: string) => string; d?: (x: number, y: number) => number; dTex: (v: string, y: string) => string }>
> = {
	exp: { f: (v) => `e^{${v}}`, d: (_x, y) => y, dTex: (_v, y) => y },
	log: { f: (v) => `\\ln ${v}`, d: (x) => 1 / x, dTex: (v) => `\\frac{1}{${v}}` },
	sqrt: { f: (v) => `\\sqrt{${v}}`, d: (_x, y) => 1 / (2 * y), dTex: (_v, y) => `\\frac{1}{2 \\cdot ${y}}` },
	abs: { f: (v) => `|${v}|`, d: (x) => Math.sign(x), dTex: (v) => `\\operatorname{sign}(${v})` },
	relu: { f: (v) => `\\max(${v}, 0)`, d: (x) => (x > 0 ? 1 : 0), dTex: (v) => `[${v} > 0]` },
	sigmoid: { f: (v) => `\\sigma(${v})`, d: (_x, y) => y * (1 - y), dTex: (_v, y) => `${y}\\,(1 - ${y})` },
	tanh: { f: (v) => `\\tanh ${v}`, d: (_x, y) => 1 - y * y, dTex: (_v, y) => `(1 - ${y}^2)` },
	neg: { f: (v) => `-${v}`, d: () => -1, dTex: () => '(-1)' },
	gelu: { f: (v) => `\\operatorname{gelu}(${v})`, dTex: (v) => `\\operatorname{gelu}'(${v})` }
};

const BINARY: Partial<Record<OpName, string>> = { add: '+', sub: '-', mul: '\\cdot', div: '\\div', pow: '^' };
const BINARY_TEX: Partial<Record<OpName, string>> = { add: '+', sub: '-', mul: '\\odot', div: '/', pow: '^' };

/** A number for TeX: three significant digits, negatives in parentheses when `paren`. */
export function num(v: number, paren = false): string {
	if (!Number.isFinite(v)) return Number.isNaN(v) ? '\\text{NaN}' : v > 0 ? '\\infty' : '-\\infty';
	const a = Math.abs(v);
	const s =
		a !== 0 && (a < 1e-3 || a >= 1e5)
			? v.toExponential(2).replace(/e([+-])(\d+)/, (_, sg, e) => `\\times 10^{${sg === '-' ? '-' : ''}${e}}`)
			: String(Number(v.toPrecision(3)));
	return paren && v < 0 ? `(${s})` : s;
}

export function stridesOf(shape: readonly number[]): number[] {
	const s = new Array<number>(shape.length);
	let acc = 1;
	for (let d = shape.length - 1; d >= 0; d--) {
		s[d] = acc;
		acc *= shape[d];
	}
	return s;
}

export function unravel(flat: number, shape: readonly number[]): number[] {
	return stridesOf(shape).map((s, d) => Math.floor(flat / s) % shape[d]);
}

/** Flat position in `shape` of output multi-index `idx`, broadcasting (size-1 and missing leading dims). */
export function broadcastFlat(idx: readonly number[], shape: readonly number[]): number {
	const off = idx.length - shape.length;
	const strides = stridesOf(shape);
	let k = 0;
	for (let d = 0; d < shape.length; d++) k += (shape[d] === 1 ? 0 : idx[d + off]) * strides[d];
	return k;
}

/** `a = b = c` as aligned lines, one `= …` per line, so a long chain wraps instead of running off a phone. */
export function chain(lhs: string, ...rhs: string[]): string {
	return `\\begin{aligned} ${lhs} &= ${rhs.join(' \\\\ &= ')} \\end{aligned}`;
}

const sub = (name: string, idx: readonly number[]) => (idx.length === 0 ? name : `${name}_{[${idx.join(',')}]}`);

/** Flat index of the largest |value| (the first on ties). */
export function argMaxAbs(values: ArrayLike<number>): number {
	let best = 0;
	for (let i = 1; i < values.length; i++) if (Math.abs(values[i]) > Math.abs(values[best])) best = i;
	return best;
}

/** Values along `dim` through flat position `flat` of a tensor of `shape`. */
function row(t: TensorRecord, flat: number, dim: number): number[] {
	const d = dim < 0 ? dim + t.shape.length : dim;
	const stride = stridesOf(t.shape)[d];
	const at = unravel(flat, t.shape)[d];
	const start = flat - at * stride;
	return Array.from({ length: t.shape[d] }, (_, j) => t.values[start + j * stride]);
}

function sumTerms(terms: string[], max = 3): string {
	return terms.length <= max ? terms.join(' + ') : `${terms.slice(0, max).join(' + ')} + \\dots`;
}

/** The forward formula at the output element with the largest magnitude, numbers plugged in. */
export function forwardTex(step: ForwardStep): string {
	const { op, inputs, output } = step;
	const at = argMaxAbs(output.values);
	const idx = unravel(at, output.shape);
	const y = output.values[at];
	const names = inputNames(op, inputs.length);
	const lhs = sub(outputName(op), idx);
	const unary = UNARY[op];
	if (unary && inputs.length === 1) {
		const x = inputs[0].values[at];
		return chain(lhs, unary.f(sub('x', idx)), unary.f(num(x, true)), num(y));
	}
	const bin = BINARY[op];
	if (bin && inputs.length === 2) {
		const [a, b] = inputs.map((t) => broadcastFlat(idx, t.shape));
		const ia = unravel(a, inputs[0].shape);
		const ib = unravel(b, inputs[1].shape);
		const sym = BINARY_TEX[op];
		const va = num(inputs[0].values[a], true);
		const vb = num(inputs[1].values[b], true);
		const plugged = op === 'pow' ? `${va}^{${vb}}` : `${va} ${bin} ${vb}`;
		const symbolic = op === 'pow' ? `${sub(names[0], ia)}^{${sub(names[1], ib)}}` : `${sub(names[0], ia)} ${sym} ${sub(names[1], ib)}`;
		return chain(lhs, symbolic, plugged, num(y));
	}
	if (op === 'matmul' && inputs.length === 2 && inputs[0].shape.length >= 2 && inputs[1].shape.length >= 2) {
		// Linear multiplies by its weight transposed (transB) without copying it: B is stored [N, K].
		const [A, B] = inputs;
		const transA = step.attrs.transA === true;
		const transB = step.attrs.transB === true;
		const k = A.shape[A.shape.length - (transA ? 2 : 1)];
		const i = idx[idx.length - 2];
		const j = idx[idx.length - 1];
		const batch = idx.slice(0, -2);
		const terms = Array.from({ length: k }, (_, kk) => {
			const va = A.values[broadcastFlat([...batch, ...(transA ? [kk, i] : [i, kk])], A.shape)];
			const vb = B.values[broadcastFlat([...batch, ...(transB ? [j, kk] : [kk, j])], B.shape)];
			return `${num(va, true)} \\cdot ${num(vb, true)}`;
		});
		const a = transA ? `A_{k${i}}` : `A_{${i}k}`;
		const b = transB ? `B_{${j}k}` : `B_{k${j}}`;
		return chain(lhs, `\\sum_{k<${k}} ${a} ${b}`, sumTerms(terms, 2), num(y));
	}
	if ((op === 'softmax' || op === 'logSoftmax') && typeof step.attrs.dim === 'number') {
		const r = row(inputs[0], at, step.attrs.dim);
		const m = Math.max(...r);
		const s = r.reduce((acc, v) => acc + Math.exp(v - m), 0);
		const x = inputs[0].values[at];
		if (op === 'softmax')
			return chain(
				lhs,
				`\\frac{e^{${num(x)} - ${num(m, true)}}}{\\sum_j e^{x_j - ${num(m, true)}}}`,
				`\\frac{${num(Math.exp(x - m))}}{${num(s)}}`,
				num(y)
			);
		return chain(lhs, `${num(x)} - ${num(m, true)} - \\ln ${num(s)}`, num(y));
	}
	if (op === 'sum' && inputs.length === 1) {
		const n = inputs[0].values.length / Math.max(1, output.values.length);
		return chain(lhs, `\\textstyle\\sum (${n} \\text{ terms})`, num(y));
	}
	const from = sourceOf(step, at);
	return from ? chain(lhs, sub(names[0], from.idx), num(y)) : chain(lhs, num(y));
}

/** For ops that only move values (reshape, permute, expand), where the output element came from. */
function sourceOf(step: ForwardStep, at: number): { idx: number[] } | null {
	const { op, inputs, output, attrs } = step;
	const x = inputs[0];
	if (!x) return null;
	const idx = unravel(at, output.shape);
	if (op === 'reshape') return { idx: unravel(at, x.shape) };
	if (op === 'expand') return { idx: unravel(broadcastFlat(idx, x.shape), x.shape) };
	if (op === 'permute' && Array.isArray(attrs.dims) && attrs.dims.length === idx.length) {
		const src = new Array<number>(idx.length);
		attrs.dims.forEach((d, k) => (src[d < 0 ? d + idx.length : d] = idx[k]));
		return { idx: src };
	}
	return null;
}

/** The backward formula at the same element, with the incoming gradient and each outgoing gradient plugged in. */
export function backwardTex(fwd: ForwardStep, back: BackwardStep): string {
	const { op, inputs, output } = fwd;
	const at = argMaxAbs(output.values);
	const idx = unravel(at, output.shape);
	const g = back.gradOutput.values[at];
	const names = inputNames(op, inputs.length);
	const yName = `\\bar ${outputName(op)}`;
	const parts: [string, string][] = [[sub(yName, idx), num(g)]];
	const unary = UNARY[op];
	const gx = back.gradInputs[0];
	if (unary && inputs.length === 1 && gx && gx.values.length === output.values.length) {
		const x = inputs[0].values[at];
		const y = output.values[at];
		const d = unary.d ? num(unary.d(x, y), true) : unary.dTex(num(x, true), num(y, true));
		return lines([
			...parts,
			[
				sub('\\bar x', idx),
				`${sub(yName, idx)} \\cdot ${unary.dTex(sub('x', idx), sub('y', idx))} = ${num(g, true)} \\cdot ${d} = ${num(gx.values[at])}`
			]
		]);
	}
	back.gradInputs.forEach((grad, i) => {
		if (!grad) return;
		const elementwise =
			(BINARY[op] !== undefined || op === 'maskedFill' || op === 'dropout') && grad.values.length === output.values.length;
		const k = elementwise ? broadcastFlat(idx, grad.shape) : argMaxAbs(grad.values);
		parts.push([sub(`\\bar ${names[i] ?? 'x'}`, unravel(k, grad.shape)), num(grad.values[k])]);
	});
	return lines(parts);
}

function lines(rows: [string, string][]): string {
	return `\\begin{aligned} ${rows.map(([l, r]) => `${l} &= ${r}`).join(' \\\\ ')} \\end{aligned}`;
}
