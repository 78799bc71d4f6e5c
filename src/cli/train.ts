import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Rng } from '../lib/engine/index';
import type { Module } from '../lib/nn/index';
import { toSafetensors, type Metrics, type TrainEvent } from '../lib/train/index';
import { tasks, makeTrainer, type TaskDefinition, type TrainSettings } from '../lib/tasks/index';
import { parseTrainArgs, USAGE, UsageError, type TrainArgs } from './args';
import { formatDuration, progressLine, table } from './progress';

interface RunResult {
	variant: string;
	model: Module;
	val: Metrics;
	seconds: number;
}

const out = process.stdout;
const err = process.stderr;

/** Redraw the progress line in place on a terminal; elsewhere (CI logs) print a line every tenth of training. */
function progressPrinter(label: string, total: number) {
	const started = performance.now();
	let lastPrinted = -1;
	return (step: number, loss: number) => {
		const line = progressLine({ step, total, elapsed: (performance.now() - started) / 1000, loss, label });
		if (err.isTTY) err.write(`\r${line}`);
		else if (step === total || Math.floor((10 * step) / total) > lastPrinted) {
			lastPrinted = Math.floor((10 * step) / total);
			err.write(`${line}\n`);
		}
	};
}

async function trainOne<B, D, M>(task: TaskDefinition<B, D, M>, variant: string, settings: TrainSettings): Promise<RunResult> {
	const data = task.makeData({ seed: settings.seed } as Partial<D> & { seed: number });
	const model = task.makeModel(variant, { rng: new Rng(settings.seed) } as Partial<M> & { rng: Rng });
	const started = performance.now();
	if (model.parameters().length === 0) return { variant, model, val: task.evaluate(model, data.val), seconds: 0 };
	const total = Math.ceil(data.train.size / settings.batchSize) * settings.epochs;
	const show = progressPrinter(`${variant}`, total);
	const epochRows: (string | number)[][] = [];
	let failure: string | null = null;
	let val: Metrics = {};
	const trainer = makeTrainer(task, model, data, settings, (e: TrainEvent) => {
		if (e.type === 'step') show(e.step, e.loss);
		else if (e.type === 'epoch') {
			val = e.val ?? {};
			epochRows.push([e.epoch, e.train.loss ?? NaN, ...Object.values(val)]);
			if (err.isTTY) err.write('\n');
			out.write(`${table(['epoch', 'train loss', ...Object.keys(val).map((k) => `val ${k}`)], epochRows.slice(-1))}\n`);
		} else if (e.type === 'error') failure = e.message;
	});
	await trainer.run();
	if (failure) throw new Error(failure);
	return { variant, model, val, seconds: (performance.now() - started) / 1000 };
}

function settingsFrom(args: TrainArgs, defaults: TrainSettings): TrainSettings {
	return {
		...defaults,
		seed: args.seed ?? defaults.seed,
		epochs: args.epochs ?? defaults.epochs,
		batchSize: args.batch ?? defaults.batchSize,
		lr: args.lr ?? defaults.lr
	};
}

async function main(argv: string[]): Promise<number> {
	let args: TrainArgs;
	try {
		args = parseTrainArgs(argv);
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		err.write(`error: ${e.message}\n\n${USAGE}\n`);
		return 2;
	}
	if (args.help) {
		out.write(`${USAGE}\n`);
		return 0;
	}
	switch (args.task) {
		case 'classification':
			return trainTask(tasks.classification, args);
		case 'tracking':
			return trainTask(tasks.tracking, args);
		case 'generation':
			return trainTask(tasks.generation, args);
	}
}

/** Train the chosen variant (and the baseline, for comparison), print the results and write the checkpoint. */
async function trainTask<B, D, M>(task: TaskDefinition<B, D, M>, args: TrainArgs): Promise<number> {
	const variant = args.model ?? task.variants[0];
	if (!task.variants.includes(variant)) {
		err.write(`error: unknown model "${variant}" for ${task.name} (expected ${task.variants.join(', ')})\n\n${USAGE}\n`);
		return 2;
	}
	const settings = settingsFrom(args, task.defaults.train);
	out.write(
		`Training ${task.name} / ${variant}: ${settings.epochs} epochs, batch ${settings.batchSize}, lr ${settings.lr}, seed ${settings.seed}\n`
	);
	const main = await trainOne(task, variant, settings);
	const runs = [main];
	// Every other variant is a baseline to compare with, except the article's design, which is a lesson, not a baseline.
	const baselines = args.baseline ? task.variants.filter((v) => v !== variant && v !== 'article') : [];
	for (const baseline of baselines) {
		out.write(`\nBaseline ${baseline} for comparison:\n`);
		runs.push(await trainOne(task, baseline, settings));
	}
	const keys = Object.keys(main.val);
	out.write(
		`\n${table(
			['model', ...keys, 'time'],
			runs.map((r) => [r.variant, ...keys.map((k) => r.val[k] ?? NaN), formatDuration(r.seconds)])
		)}\n`
	);

	const dir = resolve(args.out ?? join('runs', `${task.name}-${variant}-seed${settings.seed}`));
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'model.safetensors'), toSafetensors(main.model.stateDict(), { task: task.name, variant }));
	const summary = {
		task: task.name,
		variant,
		settings,
		metrics: main.val,
		seconds: main.seconds,
		comparison: runs.map(({ variant, val, seconds }) => ({ variant, metrics: val, seconds }))
	};
	writeFileSync(join(dir, 'run.json'), `${JSON.stringify(summary, null, '\t')}\n`);
	out.write(`\nWrote ${join(dir, 'model.safetensors')} and run.json\n`);
	return 0;
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(e: unknown) => {
		err.write(`\nerror: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	}
);
