import { ValueError, type Rng } from '../../engine/index';
import { checkFit } from './options';
import { randomBounce, type Trajectory } from './motion';
import { fillRect, frameView, randomIntensity } from './raster';

/**
 * Distractor dots: small squares that wander and bounce in every frame. At 2 × 2 pixels a dot is
 * smaller than every shape a task cares about, so it never looks like one, yet it is as bright.
 */
export const DOT_SIZE = 2;
export const DOT_MIN_SPEED = 0.5;
export const DOT_MAX_SPEED = 1.5;

/** A dot's path (its top-left corner, continuous; drawn at the rounded position) and brightness. */
export interface Dot {
	readonly path: Trajectory;
	readonly intensity: number;
}

/** `count` dots with random starts, velocities and brightness inside a `height × width` frame. */
export function randomDots(rng: Rng, count: number, frames: number, height: number, width: number): Dot[] {
	const bounds = { xMin: 0, xMax: width - DOT_SIZE, yMin: 0, yMax: height - DOT_SIZE };
	return Array.from({ length: count }, () => ({
		path: randomBounce(rng, bounds, DOT_MIN_SPEED, DOT_MAX_SPEED, frames),
		intensity: randomIntensity(rng)
	}));
}

/** Draw every dot in every frame of a `[T, H, W]` buffer, max-blended. */
export function drawDots(data: Float32Array, dots: readonly Dot[], frames: number, height: number, width: number): void {
	for (let t = 0; t < frames; t++) {
		const frame = frameView(data, t, height, width);
		for (const dot of dots) fillRect(frame, Math.round(dot.path.x[t]), Math.round(dot.path.y[t]), DOT_SIZE, DOT_SIZE, dot.intensity, 'max');
	}
}

/** Check that `count` dots fit a `height × width` frame, with room to move at full speed (a bounce must land back inside in one step). */
export function checkDotsFit(where: string, count: number, height: number, width: number): void {
	if (count === 0) return;
	const room = Math.min(height, width) - DOT_SIZE;
	if (room < DOT_MAX_SPEED) {
		throw new ValueError(
			`${where}: a ${height}×${width} frame is too small for ${DOT_SIZE}×${DOT_SIZE} distractor dots moving ${DOT_MAX_SPEED} px per frame; use at least ${DOT_SIZE + Math.ceil(DOT_MAX_SPEED)} px a side`
		);
	}
	checkFit(where, count, DOT_SIZE * DOT_SIZE, `distractor dots of ${DOT_SIZE}×${DOT_SIZE} px`, height, width);
}
