import { describe, expect, it } from 'vitest';
import { pageKnobKeys } from '../../src/lib/lab/share';

describe("the knobs a teacher's link offers to hide or pin", () => {
	it('are the ones the knobs widgets show, in the task order, with the variant first', () => {
		const knobs = { name: 'knobs', props: { keys: ['model.dim', 'data.noise', 'variant'] } };
		expect(pageKnobKeys('classification', [knobs])).toEqual(['variant', 'data.noise', 'model.dim']);
	});

	it('are all of the task knobs for a knobs widget without keys', () => {
		expect(pageKnobKeys('tracking', [{ name: 'knobs', props: {} }])).toEqual([
			'variant',
			'data.frames',
			'data.noise',
			'data.distractors',
			'model.channels',
			'model.hidden',
			'train.lr',
			'train.epochs',
			'train.batchSize',
			'seed'
		]);
	});

	it('include the model variant when only the trainer (with its model picker) is on the page', () => {
		expect(pageKnobKeys('classification', [{ name: 'trainer', props: { workers: 2 } }])).toEqual(['variant']);
	});

	it('are none for a page without knobs or trainer, or a lesson without a lab', () => {
		expect(pageKnobKeys('classification', [{ name: 'frames', props: {} }])).toEqual([]);
		expect(pageKnobKeys('none', [{ name: 'knobs', props: {} }])).toEqual([]);
	});
});
