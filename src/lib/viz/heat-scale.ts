/**
 * What the tensor heatmaps (TensorHeatmap's SVG cells and the stepper's CanvasHeatmap) agree on: the summary
 * in their caption and the colour of a value.
 */
import { interpolateRdBu, interpolateViridis, scaleDiverging, scaleSequential, type ScaleDiverging, type ScaleSequential } from 'd3';

/** Min, max and mean of the finite values; NaN and ±Infinity are left out. */
export interface HeatStats {
	min: number;
	max: number;
	/** NaN when no value is finite. */
	mean: number;
}

/** The summary of `values`; `{min: 0, max: 0, mean: NaN}` when none is finite. */
export function heatStats(values: ArrayLike<number>): HeatStats {
	let min = Infinity;
	let max = -Infinity;
	let sum = 0;
	let count = 0;
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (!Number.isFinite(v)) continue;
		if (v < min) min = v;
		if (v > max) max = v;
		sum += v;
		count++;
	}
	return count === 0 ? { min: 0, max: 0, mean: NaN } : { min, max, mean: sum / count };
}

/**
 * The colour scale for values spanning `stats`: signed data gets a diverging scale centred on 0 (blue positive,
 * red negative, as the other heatmaps); one-signed data, such as attention weights, viridis from min to max.
 */
export function heatScale({ min, max }: HeatStats): ScaleDiverging<string> | ScaleSequential<string> {
	if (min < 0 && max > 0) {
		const m = Math.max(-min, max);
		return scaleDiverging(interpolateRdBu).domain([-m, 0, m]);
	}
	return scaleSequential(interpolateViridis).domain(min === max ? [min - 1, max + 1] : [min, max]);
}
