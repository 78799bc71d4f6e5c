import { alloc, type DType, type Storage } from './dtype';
import { ShapeError, ValueError, fmtShape } from './errors';
import { checkShape, normDim, type Shape } from './shape';
import { Tensor, type NestedArray, type TensorOptions } from './tensor';
import { apply } from './autograd';

export interface FromDataOptions extends TensorOptions {
	/** Required with flat data: the shape to read it as. */
	shape?: Shape;
}

function nestedShape(value: NestedArray, path: number[] = []): number[] {
	if (!Array.isArray(value)) return [];
	if (value.length === 0) return [0];
	const inner = nestedShape(value[0], [...path, 0]);
	value.forEach((v, i) => {
		const s = nestedShape(v, [...path, i]);
		if (s.length !== inner.length || s.some((d, j) => d !== inner[j])) {
			throw new ShapeError(
				'tensor',
				`ragged nested array: element [${[...path, i].join('][')}] has shape ${fmtShape(s)} but element [${[...path, 0].join('][')}] has ${fmtShape(inner)}`
			);
		}
	});
	return [value.length, ...inner];
}

/**
 * Make a tensor from nested arrays, a number, or flat data with a shape.
 *
 * @example
 * tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * tensor(new Float32Array(6), { shape: [2, 3] });
 */
export function tensor(value: NestedArray | Storage | readonly number[], options: FromDataOptions = {}): Tensor {
	const dtype: DType = options.dtype ?? (value instanceof Float64Array ? 'float64' : 'float32');
	let data: Storage;
	let shape: number[];
	if (value instanceof Float32Array || value instanceof Float64Array) {
		shape = [...(options.shape ?? [value.length])];
		data = value instanceof (dtype === 'float64' ? Float64Array : Float32Array) ? value : alloc(dtype, value.length);
		if (data !== value) data.set(value);
	} else {
		shape = options.shape ? [...options.shape] : nestedShape(value as NestedArray);
		const flat = Array.isArray(value) ? (value as unknown[]).flat(Infinity) : [value];
		for (const v of flat) {
			if (typeof v !== 'number') throw new ValueError(`tensor: expected numbers, found ${typeof v} ${JSON.stringify(v)}`);
		}
		data = alloc(dtype, flat.length);
		data.set(flat as number[]);
	}
	checkShape('tensor', shape);
	return new Tensor(data, shape, { requiresGrad: options.requiresGrad });
}

export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
	const t = Tensor.full(shape, value, options.dtype);
	t.requiresGrad = options.requiresGrad ?? false;
	return t;
}
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
	return full(shape, 0, options);
}
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
	return full(shape, 1, options);
}
export function zerosLike(t: Tensor): Tensor {
	return zeros(t.shape, { dtype: t.dtype });
}
export function onesLike(t: Tensor): Tensor {
	return ones(t.shape, { dtype: t.dtype });
}

/** `[start, start+step, …)` below `end`, as `torch.arange`. */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
	const [lo, hi] = end === undefined ? [0, start] : [start, end];
	if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a finite nonzero number, got ${step}`);
	const n = Math.max(0, Math.ceil((hi - lo) / step));
	const data = alloc(options.dtype ?? 'float32', n);
	for (let i = 0; i < n; i++) data[i] = lo + i * step;
	return new Tensor(data, [n], { requiresGrad: options.requiresGrad });
}

/** Evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
	checkShape('linspace', [steps]);
	const data = alloc(options.dtype ?? 'float32', steps);
	for (let i = 0; i < steps; i++) data[i] = steps === 1 ? start : start + ((end - start) * i) / (steps - 1);
	return new Tensor(data, [steps], { requiresGrad: options.requiresGrad });
}

/** Join tensors along an existing `dim`; all other sizes must agree. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
	if (tensors.length === 0) throw new ValueError('cat: expected a non-empty list of tensors');
	return apply('cat', tensors, { dim: normDim('cat', dim, tensors[0].ndim) });
}

/** Join same-shaped tensors along a new `dim`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
	if (tensors.length === 0) throw new ValueError('stack: expected a non-empty list of tensors');
	const first = tensors[0].shape;
	tensors.forEach((t, i) => {
		if (t.ndim !== first.length || t.shape.some((d, j) => d !== first[j])) {
			throw new ShapeError(
				'stack',
				`every tensor must have the same shape, but tensor 0 is ${fmtShape(first)} and tensor ${i} is ${fmtShape(t.shape)}`
			);
		}
	});
	const d = normDim('stack', dim, first.length, 1);
	return cat(
		tensors.map((t) => t.unsqueeze(d)),
		d
	);
}

/** A one-hot encoding of integer `labels` ([N]) as [N, classes]. */
export function oneHot(labels: Tensor, classes: number): Tensor {
	const out = zeros([labels.size, classes]);
	labels.data.forEach((v, i) => {
		if (!Number.isInteger(v) || v < 0 || v >= classes)
			throw new ValueError(`oneHot: label ${v} at ${i} is not an integer in [0, ${classes})`);
		out.data[i * classes + v] = 1;
	});
	return out;
}
