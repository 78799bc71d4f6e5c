/**
 * The widgets a lesson may place with ` ```widget NAME {json props} `, and what props each takes.
 * UI-free, so the loader can validate lessons in Node; `cells/WidgetCell.svelte` maps each name
 * to its component, and its type makes a name without a component a compile error.
 *
 * @example
 * validateWidgetProps('softmax-demo', {}); // []
 * validateWidgetProps('softmax-demo', { size: 3 }); // ['unknown prop "size"; softmax-demo takes no props']
 */

/** Returns one message per problem with `props`; empty when they are valid. */
export type PropsValidator = (props: Record<string, unknown>) => string[];

/** Accept exactly the listed props, each passing its test; every prop optional. */
export function propsOf(widget: string, spec: Record<string, { test: (v: unknown) => boolean; expect: string }>): PropsValidator {
	const names = Object.keys(spec);
	return (props) =>
		Object.entries(props).flatMap(([key, value]) => {
			if (!(key in spec)) {
				const takes = names.length ? `${widget} takes ${names.map((n) => `"${n}"`).join(', ')}` : `${widget} takes no props`;
				return [`unknown prop "${key}"; ${takes}`];
			}
			return spec[key].test(value) ? [] : [`prop "${key}" should be ${spec[key].expect}, got ${JSON.stringify(value)}`];
		});
}

/** What the stepper can trace: a tiny MLP, the article's module, each task's model, or the article's models as written. */
export const STEPPER_SOURCES = [
	'mlp',
	'attention-module',
	'classification',
	'tracking',
	'generation',
	'article-classifier',
	'article-tracker',
	'article-generator'
] as const;
export type StepperSource = (typeof STEPPER_SOURCES)[number];

export const WIDGETS = {
	'softmax-demo': propsOf('softmax-demo', {}),
	'activation-derivative': propsOf('activation-derivative', {
		expression: { test: (v) => typeof v === 'string' && v.trim().length > 0, expect: 'a non-empty mathjs expression in x' }
	}),
	stepper: propsOf('stepper', {
		source: {
			test: (v) => typeof v === 'string' && (STEPPER_SOURCES as readonly string[]).includes(v),
			expect: `one of ${STEPPER_SOURCES.join(', ')}`
		}
	}),
	frames: propsOf('frames', {}),
	attention: propsOf('attention', {}),
	knobs: propsOf('knobs', {
		keys: {
			test: (v) => Array.isArray(v) && v.length > 0 && v.every((k) => typeof k === 'string'),
			expect: 'a non-empty list of knob keys such as "data.noise" (leave "keys" out for all of them)'
		}
	}),
	trainer: propsOf('trainer', {
		workers: {
			test: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 8,
			expect: 'a whole number of workers from 1 to 8'
		}
	}),
	speedup: propsOf('speedup', {}),
	'export-model': propsOf('export-model', {})
} satisfies Record<string, PropsValidator>;

export type WidgetName = keyof typeof WIDGETS;

export const WIDGET_NAMES = Object.keys(WIDGETS) as WidgetName[];

/** Widgets that draw the lesson's lab, so need a lesson whose `task` is not `none`. */
export const LAB_WIDGETS: readonly WidgetName[] = ['frames', 'attention', 'knobs', 'trainer', 'speedup', 'export-model'];

export function isWidgetName(name: string): name is WidgetName {
	return Object.hasOwn(WIDGETS, name);
}

/** Problems with `props` for widget `name`, which must be registered. */
export function validateWidgetProps(name: WidgetName, props: Record<string, unknown>): string[] {
	return WIDGETS[name](props);
}
