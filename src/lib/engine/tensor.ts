import { alloc, dtypeOf, promote, type DType, type Storage } from './dtype';
import { ShapeError, ValueError, fmtShape } from './errors';
import { checkShape, normDim, normDims, numel, type Shape } from './shape';
import { apply, runBackward, type GraphNode } from './autograd';

/** A nested array of numbers, as `tensor()` accepts it. */
export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | number;

export interface TensorOptions {
	requiresGrad?: boolean;
	dtype?: DType;
}

let nextId = 1;

/**
 * An n-dimensional array of floats with reverse-mode autograd, shaped like PyTorch's.
 * Storage is a contiguous row-major `Float32Array` (or `Float64Array` for gradcheck).
 *
 * @example
 * const w = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * w.matmul(tensor([[1], [1]])).relu().sum().backward();
 * w.grad?.toArray(); // [[1, 1], [1, 1]]
 */
export class Tensor {
	readonly id = nextId++;
	readonly data: Storage;
	readonly shape: readonly number[];
	requiresGrad: boolean;
	grad: Tensor | null = null;
	/** How this tensor was computed; null for leaves and for results made without grad. */
	node: GraphNode | null = null;
	retainsGrad = false;

	constructor(data: Storage, shape: Shape, options: { requiresGrad?: boolean } = {}) {
		checkShape('tensor', shape);
		if (numel(shape) !== data.length) {
			throw new ShapeError('tensor', `${data.length} values cannot fill shape ${fmtShape(shape)} (${numel(shape)} elements)`);
		}
		this.data = data;
		this.shape = Object.freeze([...shape]);
		this.requiresGrad = options.requiresGrad ?? false;
	}

	static full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
		checkShape('full', shape);
		const data = alloc(dtype, numel(shape));
		data.fill(value);
		return new Tensor(data, shape);
	}

	get dtype(): DType {
		return dtypeOf(this.data);
	}
	get ndim(): number {
		return this.shape.length;
	}
	get size(): number {
		return this.data.length;
	}
	/** True when the tensor was created by the user rather than computed by an op that tracks grad. */
	get isLeaf(): boolean {
		return this.node === null;
	}

	/** The single value of a one-element tensor. */
	item(): number {
		if (this.size !== 1) throw new ValueError(`item: only one-element tensors have an item, this one has shape ${fmtShape(this.shape)}`);
		return this.data[0];
	}

	/** The values as nested arrays (a plain number for a scalar). */
	toArray(): NestedArray {
		const build = (dim: number, offset: number): NestedArray => {
			if (dim === this.ndim) return this.data[offset];
			const step = numel(this.shape.slice(dim + 1));
			return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * step));
		};
		return build(0, 0);
	}

	/** A tensor sharing this one's values, cut from the graph. */
	detach(): Tensor {
		return new Tensor(this.data, this.shape);
	}
	clone(): Tensor {
		return new Tensor(this.data.slice(), this.shape);
	}
	to(dtype: DType): Tensor {
		const data = alloc(dtype, this.size);
		data.set(this.data);
		return new Tensor(data, this.shape, { requiresGrad: this.requiresGrad && this.isLeaf });
	}
	/** Keep `grad` on this non-leaf tensor after backward, as `Tensor.retain_grad()`. */
	retainGrad(): this {
		this.retainsGrad = true;
		return this;
	}
	requiresGrad_(flag = true): this {
		if (!this.isLeaf) throw new ValueError('requiresGrad_: only leaf tensors can change requiresGrad; use detach() first');
		this.requiresGrad = flag;
		return this;
	}
	zeroGrad(): void {
		this.grad = null;
	}

	/** Compute gradients of this tensor with respect to every leaf that requires grad. */
	backward(gradient?: Tensor): void {
		runBackward(this, gradient);
	}

	private lift(other: TensorLike): Tensor {
		return other instanceof Tensor ? other : Tensor.full([], other, this.dtype);
	}

	add(o: TensorLike): Tensor {
		return apply('add', [this, this.lift(o)], null);
	}
	sub(o: TensorLike): Tensor {
		return apply('sub', [this, this.lift(o)], null);
	}
	mul(o: TensorLike): Tensor {
		return apply('mul', [this, this.lift(o)], null);
	}
	div(o: TensorLike): Tensor {
		return apply('div', [this, this.lift(o)], null);
	}
	pow(o: TensorLike): Tensor {
		return apply('pow', [this, this.lift(o)], null);
	}
	neg(): Tensor {
		return apply('neg', [this], null);
	}
	exp(): Tensor {
		return apply('exp', [this], null);
	}
	log(): Tensor {
		return apply('log', [this], null);
	}
	sqrt(): Tensor {
		return apply('sqrt', [this], null);
	}
	abs(): Tensor {
		return apply('abs', [this], null);
	}
	relu(): Tensor {
		return apply('relu', [this], null);
	}
	sigmoid(): Tensor {
		return apply('sigmoid', [this], null);
	}
	tanh(): Tensor {
		return apply('tanh', [this], null);
	}
	/** Exact GELU, `x·Φ(x)`, as `torch.nn.functional.gelu` with its default `approximate='none'`. */
	gelu(): Tensor {
		return apply('gelu', [this], null);
	}
	square(): Tensor {
		return this.mul(this);
	}

	sum(dim: number | readonly number[] | null = null, keepdim = false): Tensor {
		return apply('sum', [this], { dims: normDims('sum', dim, this.ndim), keepdim });
	}
	mean(dim: number | readonly number[] | null = null, keepdim = false): Tensor {
		const dims = normDims('mean', dim, this.ndim);
		const count = dims.reduce((n, d) => n * this.shape[d], 1);
		return this.sum(dims, keepdim).div(count);
	}
	/** Population (`correction=0`) or sample (`correction=1`, the default) variance. */
	var(dim: number | readonly number[] | null = null, keepdim = false, correction = 1): Tensor {
		const dims = normDims('var', dim, this.ndim);
		const count = dims.reduce((n, d) => n * this.shape[d], 1);
		const centred = this.sub(this.mean(dims, true));
		return centred
			.square()
			.sum(dims, keepdim)
			.div(Math.max(count - correction, 0));
	}
	/** Largest value over `dim` (every dim when null), like `torch.amax`. */
	max(dim: number | readonly number[] | null = null, keepdim = false): Tensor {
		return apply('max', [this], { dims: normDims('max', dim, this.ndim), keepdim });
	}
	min(dim: number | readonly number[] | null = null, keepdim = false): Tensor {
		return this.neg().max(dim, keepdim).neg();
	}
	softmax(dim: number): Tensor {
		return apply('softmax', [this], { dim: normDim('softmax', dim, this.ndim) });
	}
	logSoftmax(dim: number): Tensor {
		return apply('logSoftmax', [this], { dim: normDim('logSoftmax', dim, this.ndim) });
	}
	/**
	 * Matrix product, as torch.matmul. `transA`/`transB` multiply by the transpose of the last two
	 * dims of this tensor / of `o` without forming it: `x.matmul(w, { transB: true })` is `x @ w.mT`.
	 */
	matmul(o: Tensor, opts: { transA?: boolean; transB?: boolean } = {}): Tensor {
		const transA = opts.transA ?? false;
		const transB = opts.transB ?? false;
		return apply('matmul', [this, o], transA || transB ? { transA, transB } : null);
	}

	/** A tensor of the same values in a new shape; one size may be -1 to be inferred. */
	reshape(...shape: number[] | [readonly number[]]): Tensor {
		const req = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
		return apply('reshape', [this], { shape: inferShape('reshape', req, this.size, this.shape) });
	}
	view(...shape: number[] | [readonly number[]]): Tensor {
		return this.reshape(...shape);
	}
	flatten(startDim = 0, endDim = -1): Tensor {
		if (this.ndim === 0) return this.reshape([1]);
		const s = normDim('flatten', startDim, this.ndim);
		const e = normDim('flatten', endDim, this.ndim);
		if (s > e) throw new ShapeError('flatten', `startDim ${startDim} comes after endDim ${endDim}`);
		const mid = this.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
		return this.reshape([...this.shape.slice(0, s), mid, ...this.shape.slice(e + 1)]);
	}
	permute(...dims: number[] | [readonly number[]]): Tensor {
		const list = (Array.isArray(dims[0]) ? dims[0] : dims) as number[];
		if (list.length !== this.ndim) {
			throw new ShapeError('permute', `got ${list.length} dims for a tensor of shape ${fmtShape(this.shape)}; give one per dimension`);
		}
		const norm = list.map((d) => normDim('permute', d, this.ndim));
		if (new Set(norm).size !== norm.length) throw new ShapeError('permute', `dims [${list.join(',')}] repeat a dimension`);
		return apply('permute', [this], { dims: norm });
	}
	transpose(dim0: number, dim1: number): Tensor {
		const a = normDim('transpose', dim0, this.ndim);
		const b = normDim('transpose', dim1, this.ndim);
		const dims = Array.from({ length: this.ndim }, (_, i) => i);
		dims[a] = b;
		dims[b] = a;
		return a === b ? this : apply('permute', [this], { dims });
	}
	/** Transpose of a matrix (a 0-D or 1-D tensor is returned as is), as PyTorch's `.T` for ≤ 2 dims. */
	get T(): Tensor {
		if (this.ndim <= 1) return this;
		if (this.ndim > 2)
			throw new ShapeError('T', `.T is for matrices, this tensor is ${fmtShape(this.shape)}; use .mT to transpose the last two dims`);
		return this.transpose(0, 1);
	}
	/** Transpose of the last two dims, for a batch of matrices, as PyTorch's `.mT`. */
	get mT(): Tensor {
		if (this.ndim < 2) throw new ShapeError('mT', `.mT needs at least 2 dims, this tensor is ${fmtShape(this.shape)}`);
		return this.transpose(-2, -1);
	}
	squeeze(dim?: number): Tensor {
		if (dim === undefined) return this.reshape(this.shape.filter((d) => d !== 1));
		const d = normDim('squeeze', dim, this.ndim);
		if (this.shape[d] !== 1) return this;
		return this.reshape(this.shape.filter((_, i) => i !== d));
	}
	unsqueeze(dim: number): Tensor {
		const d = normDim('unsqueeze', dim, this.ndim, 1);
		const shape = [...this.shape];
		shape.splice(d, 0, 1);
		return this.reshape(shape);
	}
	/** Broadcast to `shape` (sizes of -1 keep this tensor's size), as `Tensor.expand`. */
	expand(...shape: number[] | [readonly number[]]): Tensor {
		const req = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
		const lead = req.length - this.ndim;
		if (lead < 0) throw new ShapeError('expand', `cannot expand ${fmtShape(this.shape)} to fewer dimensions ${fmtShape(req)}`);
		const full = req.map((d, i) => (d === -1 && i >= lead ? this.shape[i - lead] : d));
		checkShape('expand', full);
		return apply('expand', [this], { shape: full });
	}
	/** Elements `start ≤ i < end` (step `step`) along `dim`; negative bounds count from the end. */
	slice(dim: number, start = 0, end?: number, step = 1): Tensor {
		if (this.ndim === 0) throw new ShapeError('slice', 'cannot slice a 0-d tensor; it has no dimension to slice');
		const d = normDim('slice', dim, this.ndim);
		const n = this.shape[d];
		if (!Number.isInteger(step) || step < 1) throw new ValueError(`slice: step must be a positive integer, got ${step}`);
		if (!Number.isInteger(start) || (end !== undefined && !Number.isInteger(end))) {
			throw new ValueError(`slice: start and end must be integers, got ${start} and ${end}`);
		}
		const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
		const s = clamp(start);
		const e = Math.max(clamp(end ?? n), s);
		return apply('slice', [this], { dim: d, start: s, end: e, step });
	}
	/** The `index`-th entry along `dim`, with that dim removed, like `x[:, i]`. */
	select(dim: number, index: number): Tensor {
		if (this.ndim === 0) throw new ShapeError('select', 'cannot select from a 0-d tensor; it has no dimension to index');
		const d = normDim('select', dim, this.ndim);
		const n = this.shape[d];
		if (!Number.isInteger(index) || index < -n || index >= n) {
			throw new ValueError(`select: index ${index} is out of range for dim ${dim} of size ${n}`);
		}
		const i = index < 0 ? index + n : index;
		return this.slice(d, i, i + 1).squeeze(d);
	}
	/** Pick values along `dim` at `index` (same rank as this tensor), as `torch.gather`. */
	gather(dim: number, index: Tensor): Tensor {
		return apply('gather', [this, index], { dim: normDim('gather', dim, this.ndim) });
	}
	/** Whole slices along `dim` at the positions listed in the 1-D `index`, as `torch.index_select`. */
	indexSelect(dim: number, index: Tensor): Tensor {
		return apply('indexSelect', [this, index], { dim: normDim('indexSelect', dim, this.ndim) });
	}
	/** `value` wherever `mask` (broadcastable, nonzero = true) is set, else this tensor's value. */
	maskedFill(mask: Tensor, value: number): Tensor {
		return apply('maskedFill', [this, mask], { value });
	}

	toString(): string {
		const vals =
			this.size <= 12 ? JSON.stringify(this.toArray()) : `[${Array.from(this.data.slice(0, 6), (v) => +v.toFixed(4)).join(', ')}, …]`;
		return `tensor(${vals}, shape=${fmtShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
	}
}

/** Resolve a requested shape containing at most one -1 against `size` elements. */
function inferShape(op: string, req: readonly number[], size: number, from: Shape): number[] {
	const free = req.filter((d) => d === -1).length;
	if (free > 1) throw new ShapeError(op, `only one dimension can be -1, got ${fmtShape(req)}`);
	checkShape(
		op,
		req.map((d) => (d === -1 ? 0 : d))
	);
	const known = req.reduce((n, d) => (d === -1 ? n : n * d), 1);
	const shape = req.map((d) => (d === -1 ? (known === 0 ? 0 : size / known) : d));
	if (numel(shape) !== size || shape.some((d) => !Number.isInteger(d))) {
		throw new ShapeError(op, `cannot reshape ${fmtShape(from)} (${size} elements) to ${fmtShape(req)}`);
	}
	return shape;
}

export function promoteOf(...ts: readonly Tensor[]): DType {
	return promote(...ts.map((t) => t.dtype));
}
