import { describe, expect, test } from 'vitest';
import { KernelRuntime } from '$lib/notebook/kernel/runtime';
import type { KernelEvent } from '$lib/notebook/kernel/protocol';
import { PLAYGROUND_TASKS, addedCellIds, nextCellId, starterCellId, taskGuide } from '$lib/notebook/playground';

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

	test('added cells are read back from saved edits in the order they were added, per task', () => {
		const saved = [
			'playground-tracking-cell-10',
			starterCellId('tracking'),
			'playground-tracking-cell-2',
			'playground-classification-cell-1',
			'playground-tracking-cell-x',
			'playground-tracking-cell-0',
			'playground-tracking-cell-03'
		];
		expect(addedCellIds(saved, 'tracking')).toEqual(['playground-tracking-cell-2', 'playground-tracking-cell-10']);
		expect(addedCellIds(saved, 'classification')).toEqual(['playground-classification-cell-1']);
		expect(addedCellIds(saved, 'generation')).toEqual([]);
	});

	test('a new cell gets the next number, never one in use', () => {
		expect(nextCellId([], 'generation')).toBe('playground-generation-cell-1');
		expect(nextCellId(['playground-generation-cell-2', 'playground-generation-cell-7'], 'generation')).toBe('playground-generation-cell-8');
		expect(nextCellId(['playground-tracking-cell-5'], 'generation')).toBe('playground-generation-cell-1');
	});
});
