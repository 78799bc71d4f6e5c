import { describe, expect, it } from 'vitest';
import { tensor } from '$lib/engine/index';
import { CosineAnnealingLR, LinearWarmup, LrScheduler, SGD, SequentialLR, StepLR, warmupCosine, type LrSchedule } from '$lib/optim/index';
import { expectClose, loadFixture } from './fixtures';

interface ScheduleFixture {
	cases: { name: string; schedule: Record<string, number | string>; lrs: number[] }[];
}

function build(spec: Record<string, number | string>): LrSchedule {
	const { type, ...opts } = spec as Record<string, number> & { type: string };
	if (type === 'StepLR') return new StepLR(opts as never);
	if (type === 'CosineAnnealingLR') return new CosineAnnealingLR(opts as never);
	if (type === 'LinearWarmup') return new LinearWarmup(opts as never);
	return warmupCosine(opts as never);
}

describe('schedules match torch.optim.lr_scheduler', () => {
	for (const c of loadFixture<ScheduleFixture>('optim/schedules.json').cases) {
		it(`${c.name}: the rate before each step matches PyTorch`, () => {
			const s = build(c.schedule);
			expectClose(
				c.lrs.map((_, t) => s.get(t)),
				c.lrs,
				c.name,
				1e-12,
				1e-9
			);
		});
	}
});

describe('schedule behaviour', () => {
	it('StepLR multiplies by gamma at each stepSize boundary', () => {
		const s = new StepLR({ lr: 1, stepSize: 2, gamma: 0.5 });
		expect([0, 1, 2, 3, 4].map((t) => s.get(t))).toEqual([1, 1, 0.5, 0.5, 0.25]);
	});

	it('SequentialLR restarts the next schedule from its own step 0 at each milestone', () => {
		const s = new SequentialLR([new LinearWarmup({ lr: 1, steps: 2 }), new StepLR({ lr: 4, stepSize: 1, gamma: 0.5 })], [2]);
		expect([0, 1, 2, 3].map((t) => s.get(t))).toEqual([0.5, 1, 4, 2]);
	});

	it('LrScheduler sets the rate for step 0 on creation and the next one on each step', () => {
		const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: 9 });
		const sched = new LrScheduler(opt, new StepLR({ lr: 0.1, stepSize: 1, gamma: 0.1 }));
		expect(opt.lr).toBe(0.1);
		sched.step();
		expect(opt.lr).toBeCloseTo(0.01, 15);
		sched.seek(3);
		expect(opt.lr).toBeCloseTo(1e-4, 15);
	});

	it('rejects steps and settings that are not schedules', () => {
		expect(() => new StepLR({ lr: 0.1, stepSize: 0 })).toThrow('StepLR: stepSize must be an integer ≥ 1, got 0');
		expect(() => new CosineAnnealingLR({ lr: 0.1, tMax: 5 }).get(-1)).toThrow('CosineAnnealingLR.get: step must be an integer ≥ 0, got -1');
		expect(() => new SequentialLR([new LinearWarmup({ lr: 1, steps: 2 })], [2])).toThrow('1 schedules need 0 milestones, got 1');
		expect(() => warmupCosine({ lr: 1, warmupSteps: 10, totalSteps: 10 })).toThrow('totalSteps (10) must exceed warmupSteps (10)');
	});
});
