import { sumKernel, keptShape } from '../kernels/reduce';
import type { OpDef, OpAttrs } from './types';

function outShape(shape: readonly number[], { dims, keepdim }: OpAttrs['sum']): number[] {
	return keepdim ? keptShape(shape, dims) : shape.filter((_, i) => !dims.includes(i));
}

/** Sum over `dims` (all when empty list was normalised from null), optionally keeping them as size 1. */
export const sum: OpDef<OpAttrs['sum']> = {
	forward: ([x], attrs) => ({ data: sumKernel(x.data, x.shape, attrs.dims), shape: outShape(x.shape, attrs) }),
	backward: ({ grad, inputs: [x], attrs }) => [grad.reshape(keptShape(x.shape, attrs.dims)).expand([...x.shape])],
	tex: { forward: 'y = \\sum_{i} x_i', backward: '\\bar x_i = \\bar y' }
};
