/**
 * How a knob maps onto a range slider: linear in its step for small ranges, logarithmic for a rate
 * that spans decades (1e-5 to 1), and no slider at all for the seed (two billion values).
 *
 * @example
 * const s = sliderScale(noiseKnob)!; // linear, 100 positions
 * s.fromPosition(s.toPosition(0.3)); // 0.3
 */
import { scaleLog } from 'd3';
import type { KnobSpec } from '$lib/lab/config';

export interface SliderScale {
	/** Positions run 0…steps. */
	steps: number;
	toPosition(value: number): number;
	fromPosition(position: number): number;
}

/** More positions than this make a linear slider useless: one pixel would skip many values. */
const MAX_LINEAR_STEPS = 1000;
/** Positions of a log slider: ~40 per decade over lr's five decades. */
const LOG_STEPS = 200;

/** Round to the number of decimals in `step`, so 0.1 + 0.2 shows as 0.3. */
function roundToStep(value: number, step: number): number {
	const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
	return Number(value.toFixed(decimals));
}

export function sliderScale(knob: KnobSpec): SliderScale | null {
	const linearSteps = Math.round((knob.max - knob.min) / knob.step);
	if (linearSteps <= MAX_LINEAR_STEPS) {
		return {
			steps: linearSteps,
			toPosition: (v) => Math.round((Math.min(knob.max, Math.max(knob.min, v)) - knob.min) / knob.step),
			fromPosition: (p) => {
				const v = knob.min + Math.round(p) * knob.step;
				return knob.integer ? Math.round(v) : roundToStep(v, knob.step);
			}
		};
	}
	if (knob.integer || knob.min <= 0) return null;
	const scale = scaleLog().domain([knob.min, knob.max]).range([0, LOG_STEPS]).clamp(true);
	return {
		steps: LOG_STEPS,
		toPosition: (v) => Math.round(scale(v)),
		fromPosition: (p) => Math.min(knob.max, Math.max(knob.min, Number(scale.invert(p).toPrecision(2))))
	};
}

/** A knob's value as the number box shows it. */
export function formatKnob(value: number): string {
	return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : '';
}
