import { describe, expect, test } from 'vitest';
import { describeRestore, describeResult, duration } from '$lib/notebook/cells/status';
import type { RunResult } from '$lib/notebook/kernel/types';

const result = (patch: Partial<RunResult>): RunResult => ({
	status: 'ok',
	outputs: [],
	error: null,
	durationMs: 12.4,
	timeoutMs: 2000,
	...patch
});

describe('cell status lines', () => {
	test('durations read in ms below a second and in seconds above', () => {
		expect(duration(12.4)).toBe('12 ms');
		expect(duration(2003)).toBe('2.0 s');
	});

	test('each way a run can end has its own sentence', () => {
		expect(describeResult(result({}))).toBe('Done in 12 ms');
		const error = { kind: 'error', name: 'ShapeError', message: 'x', line: 3, column: 1 } as const;
		expect(describeResult(result({ status: 'error', error }))).toBe('ShapeError on line 3');
		expect(describeResult(result({ status: 'error', error: { ...error, line: null } }))).toBe('ShapeError');
		expect(describeResult(result({ status: 'stopped', durationMs: 800 }))).toBe('Stopped after 800 ms');
		expect(describeResult(result({ status: 'timeout' }))).toMatch(/^Stopped: still running after 2\.0 s\. .*\/\/ @timeout 30s$/);
		expect(describeResult(result({ status: 'cancelled' }))).toBe('Cancelled');
	});

	test('a restore reports its progress, then what it replayed and dropped', () => {
		expect(describeRestore({ by: 'a', total: 3, done: 1, failed: [], active: true })).toBe('Restoring the kernel: replaying run 2 of 3…');
		expect(describeRestore({ by: 'a', total: 1, done: 1, failed: [], active: false })).toBe(
			'Kernel restarted with its state: 1 earlier run replayed.'
		);
		expect(describeRestore({ by: null, total: 3, done: 2, failed: ['b'], active: false })).toBe(
			'Kernel restarted with its state: 2 earlier runs replayed; 1 failed this time and was dropped.'
		);
	});
});
