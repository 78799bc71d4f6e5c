/**
 * Storage types. Models run in float32; float64 exists so gradcheck can take finite
 * differences precise enough to judge float32 gradients by.
 */
export type DType = 'float32' | 'float64';
export type Storage = Float32Array | Float64Array;

export function alloc(dtype: DType, n: number): Storage {
	return dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
}

export function dtypeOf(data: Storage): DType {
	return data instanceof Float64Array ? 'float64' : 'float32';
}

/** float64 wins, as in PyTorch's type promotion between float tensors. */
export function promote(...dtypes: DType[]): DType {
	return dtypes.includes('float64') ? 'float64' : 'float32';
}
