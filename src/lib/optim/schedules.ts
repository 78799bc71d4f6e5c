import { ValueError } from '../engine/index';
import type { Optimizer } from './optimizer';

/**
 * A learning-rate schedule: a pure function of the step (or epoch) number, so a lesson can
 * plot it without an optimizer and a resumed run picks up exactly where it was.
 */
export interface LrSchedule {
	/** The learning rate for step `t` (0 for the first step). */
	get(t: number): number;
}

function checkStep(owner: string, t: number): void {
	if (!Number.isInteger(t) || t < 0) throw new ValueError(`${owner}.get: step must be an integer ≥ 0, got ${t}`);
}
function checkPositiveInt(owner: string, what: string, v: number): void {
	if (!Number.isInteger(v) || v < 1) throw new ValueError(`${owner}: ${what} must be an integer ≥ 1, got ${v}`);
}
function checkLr(owner: string, lr: number): void {
	if (!(lr >= 0) || !Number.isFinite(lr)) throw new ValueError(`${owner}: lr must be a finite number ≥ 0, got ${lr}`);
}

/**
 * Multiply the rate by `gamma` every `stepSize` steps, as `torch.optim.lr_scheduler.StepLR`:
 * `lr · gamma^⌊t / stepSize⌋`.
 *
 * @example
 * new StepLR({ lr: 0.1, stepSize: 30, gamma: 0.1 }).get(45); // 0.01
 */
export class StepLR implements LrSchedule {
	readonly lr: number;
	readonly stepSize: number;
	readonly gamma: number;
	constructor(opts: { lr: number; stepSize: number; gamma?: number }) {
		checkLr('StepLR', opts.lr);
		checkPositiveInt('StepLR', 'stepSize', opts.stepSize);
		this.lr = opts.lr;
		this.stepSize = opts.stepSize;
		this.gamma = opts.gamma ?? 0.1;
		if (!(this.gamma > 0) || !Number.isFinite(this.gamma))
			throw new ValueError(`StepLR: gamma must be a finite number > 0, got ${this.gamma}`);
	}
	get(t: number): number {
		checkStep('StepLR', t);
		return this.lr * this.gamma ** Math.floor(t / this.stepSize);
	}
}

/**
 * Cosine annealing from `lr` down to `etaMin` over `tMax` steps, in the closed form of
 * `torch.optim.lr_scheduler.CosineAnnealingLR`: `etaMin + (lr − etaMin)·(1 + cos(πt/tMax))/2`.
 * Past `tMax` the cosine continues, rising again, as PyTorch's does.
 *
 * @example
 * new CosineAnnealingLR({ lr: 0.1, tMax: 100 }).get(50); // 0.05
 */
export class CosineAnnealingLR implements LrSchedule {
	readonly lr: number;
	readonly tMax: number;
	readonly etaMin: number;
	constructor(opts: { lr: number; tMax: number; etaMin?: number }) {
		checkLr('CosineAnnealingLR', opts.lr);
		checkPositiveInt('CosineAnnealingLR', 'tMax', opts.tMax);
		this.lr = opts.lr;
		this.tMax = opts.tMax;
		this.etaMin = opts.etaMin ?? 0;
		checkLr('CosineAnnealingLR', this.etaMin);
	}
	get(t: number): number {
		checkStep('CosineAnnealingLR', t);
		return this.etaMin + ((this.lr - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2;
	}
}

/**
 * Ramp the rate linearly up to `lr` over the first `steps` steps, then hold it:
 * `lr · min(1, (t + 1)/steps)`. The first step already moves (at `lr/steps`) rather than
 * wasting a step at rate 0. PyTorch: `LambdaLR(opt, lambda t: min(1, (t + 1) / steps))`.
 *
 * @example
 * new LinearWarmup({ lr: 1e-3, steps: 100 }).get(0); // 1e-5
 */
export class LinearWarmup implements LrSchedule {
	readonly lr: number;
	readonly steps: number;
	constructor(opts: { lr: number; steps: number }) {
		checkLr('LinearWarmup', opts.lr);
		checkPositiveInt('LinearWarmup', 'steps', opts.steps);
		this.lr = opts.lr;
		this.steps = opts.steps;
	}
	get(t: number): number {
		checkStep('LinearWarmup', t);
		return this.lr * Math.min(1, (t + 1) / this.steps);
	}
}

/**
 * Run schedules one after another: `schedules[i]` takes over at `milestones[i − 1]` and
 * counts its own steps from 0 there, as `torch.optim.lr_scheduler.SequentialLR`.
 *
 * @example
 * new SequentialLR([new LinearWarmup({ lr, steps: 10 }), new CosineAnnealingLR({ lr, tMax: 90 })], [10]);
 */
export class SequentialLR implements LrSchedule {
	readonly schedules: readonly LrSchedule[];
	readonly milestones: readonly number[];
	constructor(schedules: readonly LrSchedule[], milestones: readonly number[]) {
		if (schedules.length !== milestones.length + 1) {
			throw new ValueError(`SequentialLR: ${schedules.length} schedules need ${schedules.length - 1} milestones, got ${milestones.length}`);
		}
		milestones.forEach((m, i) => {
			checkPositiveInt('SequentialLR', `milestones[${i}]`, m);
			if (i > 0 && m <= milestones[i - 1]) throw new ValueError(`SequentialLR: milestones must increase, got [${milestones.join(', ')}]`);
		});
		this.schedules = [...schedules];
		this.milestones = [...milestones];
	}
	get(t: number): number {
		checkStep('SequentialLR', t);
		const i = this.milestones.filter((m) => m <= t).length;
		return this.schedules[i].get(i === 0 ? t : t - this.milestones[i - 1]);
	}
}

/**
 * Linear warmup over `warmupSteps`, then cosine annealing to `etaMin` at `totalSteps`:
 * the usual schedule for training attention models from scratch.
 *
 * @example
 * const schedule = warmupCosine({ lr: 3e-3, warmupSteps: 20, totalSteps: 500 });
 */
export function warmupCosine(opts: { lr: number; warmupSteps: number; totalSteps: number; etaMin?: number }): SequentialLR {
	const { lr, warmupSteps, totalSteps } = opts;
	if (!(totalSteps > warmupSteps))
		throw new ValueError(`warmupCosine: totalSteps (${totalSteps}) must exceed warmupSteps (${warmupSteps})`);
	return new SequentialLR(
		[new LinearWarmup({ lr, steps: warmupSteps }), new CosineAnnealingLR({ lr, tMax: totalSteps - warmupSteps, etaMin: opts.etaMin })],
		[warmupSteps]
	);
}

/**
 * Applies a schedule to an optimizer the way PyTorch's schedulers do: construction sets
 * the rate for step 0, and each `step()` (called after `optimizer.step()`) moves to the next.
 *
 * @example
 * const sched = new LrScheduler(opt, new StepLR({ lr: 0.1, stepSize: 10 }));
 * for (…) { loss.backward(); opt.step(); opt.zeroGrad(); sched.step(); }
 */
export class LrScheduler {
	/** Steps taken so far; the optimizer's rate is `schedule.get(t)`. */
	t = 0;
	readonly optimizer: Optimizer;
	readonly schedule: LrSchedule;
	constructor(optimizer: Optimizer, schedule: LrSchedule) {
		this.optimizer = optimizer;
		this.schedule = schedule;
		optimizer.lr = schedule.get(0);
	}
	step(): void {
		this.t++;
		this.optimizer.lr = this.schedule.get(this.t);
	}
	/** Jump to step `t`, e.g. when resuming from a checkpoint. */
	seek(t: number): void {
		this.optimizer.lr = this.schedule.get(t);
		this.t = t;
	}
}
