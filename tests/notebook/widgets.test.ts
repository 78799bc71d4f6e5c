import { describe, expect, test } from 'vitest';
import { WIDGET_NAMES, isWidgetName, propsOf, validateWidgetProps } from '$lib/notebook/widgets';

describe('the widget registry', () => {
	test('lists the softmax demo', () => {
		expect(WIDGET_NAMES).toContain('softmax-demo');
		expect(isWidgetName('softmax-demo')).toBe(true);
		expect(isWidgetName('toString')).toBe(false);
	});

	test('the softmax demo takes no props', () => {
		expect(validateWidgetProps('softmax-demo', {})).toEqual([]);
		expect(validateWidgetProps('softmax-demo', { n: 1 })).toEqual(['unknown prop "n"; softmax-demo takes no props']);
	});

	test('propsOf checks each known prop and names the known ones for an unknown prop', () => {
		const validate = propsOf('stepper', { steps: { test: (v) => Number.isInteger(v), expect: 'an integer' } });
		expect(validate({ steps: 3 })).toEqual([]);
		expect(validate({ steps: 'x', speed: 2 })).toEqual([
			'prop "steps" should be an integer, got "x"',
			'unknown prop "speed"; stepper takes "steps"'
		]);
	});
});
