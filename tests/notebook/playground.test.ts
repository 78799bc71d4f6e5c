import { describe, expect, test } from 'vitest';
import { KernelRuntime } from '$lib/notebook/kernel/runtime';
import type { KernelEvent } from '$lib/notebook/kernel/protocol';
import { PLAYGROUND_TASKS, taskGuide } from '$lib/notebook/playground';

describe('the playground', () => {
	test('offers classification, tracking and generation, each with helpers to try', () => {
		expect(PLAYGROUND_TASKS.map((g) => g.task)).toEqual(['classification', 'tracking', 'generation']);
		for (const guide of PLAYGROUND_TASKS) expect(guide.helpers.length).toBeGreaterThan(0);
		expect(taskGuide('tracking').label).toBe('Tracking');
	});

	test.each(PLAYGROUND_TASKS.map((g) => [g.task, g] as const))(
		'the %s starter cell runs in the kernel and shows a tensor',
		async (_, guide) => {
			const events: KernelEvent[] = [];
			const kernel = new KernelRuntime({ post: (e) => events.push(e), loadChecks: async () => null });
			await kernel.handle({ type: 'run', runId: 1, cellId: 'playground', code: guide.starter, lang: 'ts', silent: false });
			const error = events.find((e) => e.type === 'error');
			expect(error, error?.type === 'error' ? `${error.error.name}: ${error.error.message}` : '').toBeUndefined();
			const outputs = events.flatMap((e) => (e.type === 'output' ? [e.output] : []));
			expect(outputs.at(-1)?.kind).toBe('tensor');
		}
	);
});
