import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { defaultConfig, findKnob, knobValue, type KnobSpec } from '../../src/lib/lab/config';
import { Classroom, NO_FLAGS, classroomContext, type TeacherFlags } from '../../src/lib/lab/lab.svelte';
import Knobs from '../../src/lib/widgets/Knobs.svelte';
import { coalesce } from '../../src/lib/widgets/knobs/coalesce';
import { WINDOW_COLS, cellName, defaultParam, gridShape, parseWeight, unravel, windowAt } from '../../src/lib/widgets/knobs/grid';
import { formatKnob, sliderScale } from '../../src/lib/widgets/knobs/slider';

const knob = (task: 'classification' | 'generation', key: string): KnobSpec => findKnob(task, key)!;

describe('knob sliders', () => {
	it('step linearly through a small range and land on clean values', () => {
		const noise = sliderScale(knob('classification', 'data.noise'))!;
		expect(noise.steps).toBe(100);
		expect(noise.fromPosition(30)).toBe(0.3);
		expect(noise.toPosition(0.3)).toBe(30);
		const frames = sliderScale(knob('classification', 'data.frames'))!;
		expect([frames.fromPosition(0), frames.fromPosition(frames.steps)]).toEqual([2, 32]);
	});

	it('use a log scale for the learning rate, which spans five decades', () => {
		const lr = sliderScale(knob('classification', 'train.lr'))!;
		expect(lr.fromPosition(0)).toBe(1e-5);
		expect(lr.fromPosition(lr.steps)).toBe(1);
		expect(lr.fromPosition(lr.steps / 2)).toBeCloseTo(0.0032, 6);
		for (const v of [1e-4, 6e-3, 0.1]) expect(lr.fromPosition(lr.toPosition(v)) / v).toBeCloseTo(1, 1);
	});

	it('give the seed no slider: two billion values do not fit under a thumb', () => {
		expect(sliderScale(knob('classification', 'seed'))).toBeNull();
	});

	it('format values without float noise', () => {
		expect(formatKnob(0.1 + 0.2)).toBe('0.3');
		expect(formatKnob(6e-3)).toBe('0.006');
		expect(formatKnob(NaN)).toBe('');
	});
});

describe('coalescing slider drags', () => {
	it('runs once per frame with the latest value, and flush runs a pending value at once', () => {
		const frames: (() => void)[] = [];
		const ran: number[] = [];
		const c = coalesce(
			(v: number) => ran.push(v),
			(cb) => {
				frames.push(cb);
				return () => frames.splice(frames.indexOf(cb), 1);
			}
		);
		c.push(1);
		c.push(2);
		c.push(3);
		expect(frames).toHaveLength(1);
		frames.shift()!();
		expect(ran).toEqual([3]);
		c.push(4);
		c.flush();
		expect(ran).toEqual([3, 4]);
		expect(frames).toHaveLength(0);
		c.push(5);
		c.cancel();
		expect(frames).toHaveLength(0);
		expect(ran).toEqual([3, 4]);
	});
});

describe('the weight grid', () => {
	it('lays a tensor out as its first axis by the rest', () => {
		expect(gridShape([16, 8, 3, 3])).toEqual([16, 72]);
		expect(gridShape([4])).toEqual([1, 4]);
		expect(unravel([16, 8, 3, 3], 75)).toEqual([1, 0, 1, 0]);
		expect(cellName('fc.weight', [4, 32], 37)).toBe('fc.weight[1, 5]');
	});

	it('shows a window of a large parameter, clamped to its edges', () => {
		expect(windowAt(256, 64, 0, 0)).toEqual({ row0: 0, col0: 0, rows: 32, cols: 32 });
		expect(windowAt(256, 64, 240, WINDOW_COLS)).toEqual({ row0: 240, col0: 32, rows: 16, cols: 32 });
		expect(windowAt(4, 32, 99, -5)).toEqual({ row0: 3, col0: 0, rows: 1, cols: 32 });
	});

	it('opens on the smallest weight matrix', () => {
		const layout = [
			{ name: 'a.bias', shape: [4], size: 4 },
			{ name: 'a.weight', shape: [32, 16], size: 512 },
			{ name: 'b.weight', shape: [4, 32], size: 128 }
		];
		expect(defaultParam(layout)).toBe('b.weight');
		expect(defaultParam([layout[0]])).toBe('a.bias');
	});

	it('reads typed weights, including a typographic minus, and refuses the rest', () => {
		expect(parseWeight(' −0.5 ')).toEqual({ ok: true, value: -0.5 });
		expect(parseWeight('1e-3')).toEqual({ ok: true, value: 0.001 });
		for (const bad of ['', 'big', 'Infinity', '1/2'])
			expect(parseWeight(bad)).toEqual({ ok: false, error: 'a weight must be a finite number' });
	});
});

describe('knob values', () => {
	it("read the data options that generators fill in themselves, which the task's declared defaults lack", () => {
		expect(knobValue(defaultConfig('tracking'), 'data.frames')).toBe(8);
		expect(knobValue(defaultConfig('tracking'), 'data.noise')).toBe(0.05);
		expect(knobValue(defaultConfig('generation'), 'data.noise')).toBe(0);
		expect(knobValue(defaultConfig('classification'), 'data.noise')).toBe(0.1);
		expect(knobValue({ ...defaultConfig('tracking'), data: { frames: 5 } }, 'data.frames')).toBe(5);
	});
});

describe('the knobs widget', () => {
	const page = (flags: TeacherFlags, keys?: string[]) => {
		const classroom = new Classroom('classification');
		classroom.setFlags(flags);
		return render(Knobs, { props: { keys }, context: classroomContext(classroom) }).body;
	};

	it('shows the knobs the lesson chose, leaves hidden ones out and disables pinned ones', () => {
		const body = page({ hide: ['model.dim'], pin: ['data.frames'], solutions: true }, ['data.noise', 'data.frames', 'model.dim']);
		expect(body).toContain('-knob-data-noise"');
		expect(body).not.toContain('-knob-model-dim"');
		expect(body).not.toContain('-knob-train-lr"');
		expect(body).not.toContain('-knob-variant"');
		expect(body).toMatch(/<input[^>]*id="[^"]*-knob-data-frames"[^>]*disabled/);
		expect(body).toContain('pinned by your teacher');
	});

	it('shows every knob and the variant picker without keys, and names keys the task lacks', () => {
		const body = page({ hide: [], pin: [], solutions: true });
		for (const key of [
			'data-frames',
			'data-noise',
			'data-distractors',
			'model-dim',
			'train-lr',
			'train-epochs',
			'train-batchSize',
			'seed',
			'variant'
		])
			expect(body).toContain(`-knob-${key}"`);
		expect(body).not.toContain('pinned by your teacher');
		expect(page(NO_FLAGS, ['data.noise', 'model.heads'])).toContain('knobs the classification task does not have: model.heads');
	});

	it('says so on a lesson without a model', () => {
		const body = render(Knobs, { props: {}, context: classroomContext(new Classroom('none')) }).body;
		expect(body).toContain('This lesson has no model to tune.');
	});
});
