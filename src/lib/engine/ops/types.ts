import type { Storage } from '../dtype';
import type { Tensor } from '../tensor';

/** Window settings shared by the 2-D pooling ops, as [height, width] pairs. */
export interface Pool2dAttrs {
	kernel: [number, number];
	stride: [number, number];
	padding: [number, number];
}

/**
 * Which matmul operands are stored transposed: `transA` computes `a.mT @ b` and `transB` computes
 * `a @ b.mT` without forming the transpose (the kernel reads it while packing). Null: neither.
 */
export interface MatmulAttrs {
	transA: boolean;
	transB: boolean;
}

/**
 * Every primitive and the attributes it takes. Adding a name here without adding its
 * definition to the op table in `./index.ts` does not compile.
 */
export interface OpAttrs {
	add: null;
	sub: null;
	mul: null;
	div: null;
	pow: null;
	neg: null;
	exp: null;
	log: null;
	sqrt: null;
	abs: null;
	relu: null;
	sigmoid: null;
	tanh: null;
	gelu: null;
	sum: { dims: number[]; keepdim: boolean };
	max: { dims: number[]; keepdim: boolean };
	softmax: { dim: number };
	logSoftmax: { dim: number };
	matmul: MatmulAttrs | null;
	reshape: { shape: number[] };
	permute: { dims: number[] };
	expand: { shape: number[] };
	slice: { dim: number; start: number; end: number; step: number };
	cat: { dim: number };
	gather: { dim: number };
	indexSelect: { dim: number };
	maskedFill: { value: number };
	conv2d: { stride: [number, number]; padding: [number, number] };
	maxPool2d: Pool2dAttrs;
	avgPool2d: Pool2dAttrs;
	dropout: { p: number; mask: Storage };
}

export type OpName = keyof OpAttrs;

/** What a forward computes: raw output storage and shape, plus whatever backward needs. */
export interface ForwardResult<S> {
	data: Storage;
	shape: number[];
	saved?: S;
}

/** What backward receives. `needs[i]` says whether input i wants a gradient. */
export interface BackwardContext<A, S> {
	grad: Tensor;
	inputs: readonly Tensor[];
	out: Tensor;
	attrs: A;
	saved: S;
	needs: readonly boolean[];
}

/**
 * One primitive: forward and backward side by side. `forward` validates shapes and throws
 * `ShapeError` before touching data; `backward` returns one gradient per input (or null
 * where none is needed) with that input's exact shape. Backward runs under `noGrad`.
 */
export interface OpDef<A, S = unknown> {
	/** Inputs after the first that never receive a gradient (indices, masks). */
	readonly nonDifferentiable?: readonly number[];
	forward(inputs: readonly Tensor[], attrs: A): ForwardResult<S>;
	backward(ctx: BackwardContext<A, S>): (Tensor | null)[];
	/** The op's formula, and its gradient's, in TeX, for step-through views. */
	readonly tex: { readonly forward: string; readonly backward: string };
	/** The formulas for particular attributes, where they differ from `tex` (a transposed operand). */
	texFor?(attrs: A): { forward: string; backward: string };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each op narrows its own saved state
export type OpTable = { readonly [K in OpName]: OpDef<OpAttrs[K], any> };
