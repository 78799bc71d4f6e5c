import type { Rng } from '../../engine/index';

/**
 * Constant-velocity motion with elastic bounces off the walls of a box, per frame. Entry t is the
 * state at frame t: position, and the velocity that carries it to frame t + 1. A bounce reflects
 * the overshoot back inside and flips that axis's velocity, so the path is exactly what a ball on
 * a frictionless table would do, sampled once per frame.
 */
export interface Trajectory {
	readonly x: number[];
	readonly y: number[];
	readonly vx: number[];
	readonly vy: number[];
}

/** Where a moving point may be: both ends inclusive. */
export interface Bounds {
	readonly xMin: number;
	readonly xMax: number;
	readonly yMin: number;
	readonly yMax: number;
}

/**
 * One axis of one step. The generators' option checks keep |v| ≤ hi − lo, so one reflection
 * always lands back inside.
 */
function step(p: number, v: number, lo: number, hi: number): [number, number] {
	const next = p + v;
	if (next < lo) return [2 * lo - next, -v];
	if (next > hi) return [2 * hi - next, -v];
	return [next, v];
}

/**
 * Follow a point from (x, y) with velocity (vx, vy) for `frames` frames inside `bounds`.
 *
 * @example
 * bounce(1, 1, 2, -1, { xMin: 0, xMax: 10, yMin: 0, yMax: 10 }, 8).x; // [1, 3, 5, 7, 9, 9, 7, 5]
 */
export function bounce(x: number, y: number, vx: number, vy: number, bounds: Bounds, frames: number): Trajectory {
	const path: Trajectory = { x: [x], y: [y], vx: [vx], vy: [vy] };
	for (let t = 1; t < frames; t++) {
		[x, vx] = step(x, vx, bounds.xMin, bounds.xMax);
		[y, vy] = step(y, vy, bounds.yMin, bounds.yMax);
		path.x.push(x);
		path.y.push(y);
		path.vx.push(vx);
		path.vy.push(vy);
	}
	return path;
}

/** A start drawn uniformly inside `bounds` and a velocity whose components have magnitude in [minSpeed, maxSpeed] and random signs. */
export function randomBounce(rng: Rng, bounds: Bounds, minSpeed: number, maxSpeed: number, frames: number): Trajectory {
	const x = bounds.xMin + (bounds.xMax - bounds.xMin) * rng.uniform();
	const y = bounds.yMin + (bounds.yMax - bounds.yMin) * rng.uniform();
	const speed = () => (minSpeed + (maxSpeed - minSpeed) * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1);
	const vx = speed();
	const vy = speed();
	return bounce(x, y, vx, vy, bounds, frames);
}
