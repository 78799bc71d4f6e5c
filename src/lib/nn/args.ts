import { ValueError } from '../engine/index';

/** A size a layer cannot be built without: a positive integer, or a clear error naming the layer and argument. */
export function positiveInt(layer: string, name: string, value: number): number {
	if (!Number.isInteger(value) || value < 1) throw new ValueError(`${layer}: ${name} must be a positive integer, got ${String(value)}`);
	return value;
}

export function nonNegativeInt(layer: string, name: string, value: number): number {
	if (!Number.isInteger(value) || value < 0) throw new ValueError(`${layer}: ${name} must be a non-negative integer, got ${String(value)}`);
	return value;
}

export function probability(layer: string, name: string, value: number): number {
	if (!(value >= 0 && value <= 1)) throw new ValueError(`${layer}: ${name} must be a probability in [0, 1], got ${String(value)}`);
	return value;
}

export type Pair = number | readonly [number, number];

/** A kernel/stride/padding argument as a [height, width] pair, each checked with `check`. */
export function pairOf(layer: string, name: string, value: Pair, check: typeof positiveInt): [number, number] {
	const [h, w] = typeof value === 'number' ? [value, value] : value;
	return [check(layer, `${name}[0]`, h), check(layer, `${name}[1]`, w)];
}
