import { ShapeError, ValueError, fmtShape, ones, zeros, type Tensor } from '../engine/index';
import { positiveInt } from './args';
import { Module, Parameter } from './module';
import { pyBool, pyFloat, pyTuple } from './repr';

export interface LayerNormOptions {
	/** Added to the variance before the square root, so a constant input does not divide by zero (default 1e-5). */
	eps?: number;
	/** Learn a per-element scale `weight` and shift `bias` (default true). */
	elementwiseAffine?: boolean;
}

/**
 * Normalise each sample over its last `normalizedShape.length` dims to mean 0 and variance 1
 * (the population variance, dividing by n as PyTorch does), then scale and shift per element,
 * as `torch.nn.LayerNorm`. Built from primitives, so a trace shows every step.
 *
 * Shape:
 * - input `[…, *normalizedShape]`, output the same shape
 * - `weight`, `bias` `normalizedShape`
 *
 * @example
 * const ln = new LayerNorm(8);
 * ln.forward(randn([2, 5, 8])).mean(-1); // ≈ 0 everywhere
 */
export class LayerNorm extends Module {
	readonly normalizedShape: readonly number[];
	readonly eps: number;
	weight: Parameter | null;
	bias: Parameter | null;

	constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
		super();
		const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
		if (shape.length === 0) throw new ValueError('LayerNorm: normalizedShape must name at least one dimension');
		shape.forEach((d, i) => positiveInt('LayerNorm', `normalizedShape[${i}]`, d));
		const eps = opts.eps ?? 1e-5;
		if (!(eps >= 0 && Number.isFinite(eps))) throw new ValueError(`LayerNorm: eps must be a finite number ≥ 0, got ${eps}`);
		this.normalizedShape = Object.freeze(shape);
		this.eps = eps;
		const affine = opts.elementwiseAffine ?? true;
		this.weight = affine ? new Parameter(ones(shape)) : null;
		this.bias = affine ? new Parameter(zeros(shape)) : null;
	}

	/** PyTorch's default: weight ones, bias zeros, so a fresh layer only normalises. */
	resetParameters(): void {
		this.weight?.data.fill(1);
		this.bias?.data.fill(0);
	}

	forward(x: Tensor): Tensor {
		const k = this.normalizedShape.length;
		const tail = x.shape.slice(x.ndim - k);
		if (x.ndim < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
			throw new ShapeError('layerNorm', `input ${fmtShape(x.shape)} must end in normalizedShape ${fmtShape(this.normalizedShape)}`);
		}
		const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
		const centred = x.sub(x.mean(dims, true));
		const variance = centred.square().mean(dims, true);
		const y = centred.div(variance.add(this.eps).sqrt());
		if (!this.weight || !this.bias) return y;
		return y.mul(this.weight).add(this.bias);
	}

	extraRepr(): string {
		return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.weight !== null)}`;
	}
}
