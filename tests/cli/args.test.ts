import { describe, expect, it } from 'vitest';
import { parseTrainArgs, UsageError } from '../../src/cli/args';
import { formatDuration, progressLine, table } from '../../src/cli/progress';

describe('parseTrainArgs', () => {
	it('reads every flag, in both --flag value and --flag=value forms', () => {
		expect(
			parseTrainArgs(['--task', 'tracking', '--model=baseline', '--seed', '7', '--epochs', '3', '--batch=16', '--lr', '3e-3', '--out', 'x'])
		).toEqual({
			task: 'tracking',
			model: 'baseline',
			seed: 7,
			epochs: 3,
			batch: 16,
			lr: 0.003,
			out: 'x',
			baseline: true,
			help: false
		});
		expect(parseTrainArgs(['--task', 'generation', '--no-baseline']).baseline).toBe(false);
	});

	it.each([
		[['--epochs', '3'], '--task is required'],
		[['--task', 'segmentation'], 'unknown task "segmentation" (expected classification, tracking, generation)'],
		[['--task', 'tracking', '--batch', '-4'], '--batch must be an integer ≥ 1, got "-4"'],
		[['--task', 'tracking', '--epochs', '2.5'], '--epochs must be an integer ≥ 1, got "2.5"'],
		[['--task', 'tracking', '--lr', 'fast'], '--lr must be a number > 0, got "fast"'],
		[['--task', 'tracking', '--lr', '0'], '--lr must be a number > 0, got "0"'],
		[['--task', 'tracking', '--seed'], '--seed needs a value'],
		[['--task', 'tracking', '--seed', '--epochs', '2'], '--seed needs a value'],
		[['--task', 'tracking', '--gpu'], 'unknown flag "--gpu"']
	])('refuses %j with a one-line message', (argv, message) => {
		expect(() => parseTrainArgs(argv)).toThrowError(new UsageError(message));
	});

	it('asks for help without needing a task', () => {
		expect(parseTrainArgs(['--help']).help).toBe(true);
	});
});

describe('progress text', () => {
	it('draws the bar, rate, ETA and loss', () => {
		expect(progressLine({ step: 50, total: 200, elapsed: 10, loss: 0.52, label: 'attention' })).toBe(
			'attention [██████░░░░░░░░░░░░░░░░░░]  50/200  5.0 steps/s  ETA 00:30  loss 0.5200'
		);
	});

	it('formats durations and an unknown ETA', () => {
		expect(formatDuration(75)).toBe('01:15');
		expect(formatDuration(3725)).toBe('1:02:05');
		expect(formatDuration(NaN)).toBe('--:--');
	});

	it('lays out a table with aligned columns', () => {
		expect(
			table(
				['model', 'acc'],
				[
					['attention', 0.98765],
					['baseline', 0.5]
				]
			)
		).toBe(['model         acc', '─────────  ──────', 'attention  0.9877', 'baseline   0.5000'].join('\n'));
	});
});
