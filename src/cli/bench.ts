import { cpus, platform } from 'node:os';
import { resolve } from 'node:path';
import { FULL, QUICK, type Budget, type Clock } from './bench/measure';
import { matmulRows } from './bench/matmul';
import { mlpRow } from './bench/mlp';
import { parallelRows } from './bench/parallel';
import { formatTable, writeReport, type Report, type Row } from './bench/report';
import { taskRows } from './bench/tasks';

/*
 * `npm run bench`: Glance against TensorFlow.js's pure-JS (cpu) and WebAssembly backends in the
 * same process, one thread each, then the task models and data-parallel training. A benchmark,
 * not a test: it prints one table and writes the figures as JSON, and fails only if something
 * cannot run.
 */

const USAGE = `Usage: npm run bench -- [--quick] [--wall] [--out FILE]

Options:
  --quick      a smoke run: fewer, shorter samples (figures only indicative)
  --wall       time single-thread rows by wall clock instead of this process's CPU time
  --out FILE   where to write the JSON results (default: bench/results.json)
  --help       show this message`;

/** Data-parallel steps timed per configuration, after the warm-up steps. */
const PARALLEL_STEPS = { full: 40, quick: 8 };

interface BenchArgs {
	quick: boolean;
	clock: Clock;
	out: string;
	help: boolean;
}

function parseArgs(argv: readonly string[]): BenchArgs {
	const args: BenchArgs = { quick: false, clock: 'cpu', out: 'bench/results.json', help: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--quick') args.quick = true;
		else if (arg === '--wall') args.clock = 'wall';
		else if (arg === '--help' || arg === '-h') args.help = true;
		else if (arg === '--out' && argv[i + 1] !== undefined) args.out = argv[++i];
		else if (arg.startsWith('--out=')) args.out = arg.slice('--out='.length);
		else throw new Error(`unknown or incomplete option "${arg}"`);
	}
	return args;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function section<T>(label: string, run: () => T | Promise<T>): Promise<T> {
	const started = performance.now();
	log(`… ${label}`);
	const result = await run();
	log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

async function main(argv: string[]): Promise<number> {
	let args: BenchArgs;
	try {
		args = parseArgs(argv);
	} catch (e) {
		process.stderr.write(`error: ${(e as Error).message}\n\n${USAGE}\n`);
		return 2;
	}
	if (args.help) {
		process.stdout.write(`${USAGE}\n`);
		return 0;
	}
	const budget: Budget = { ...(args.quick ? QUICK : FULL), clock: args.clock };
	const started = performance.now();
	const rows: Row[] = [];

	// Every Glance row first, TensorFlow.js after (see bench/tfjs.ts for why the order matters).
	const matmul = await section('matmul, Glance', () => matmulRows(budget));
	const mlp = await section('MLP step, Glance', () => mlpRow(budget));
	const taskModels = await section('task models, Glance', () => taskRows(budget));
	const parallel = await section('data-parallel training, Glance', () =>
		parallelRows(args.quick ? PARALLEL_STEPS.quick : PARALLEL_STEPS.full)
	);
	const { PEERS, addPeerMatmul, addPeerMlp, wasmFlavour } = await import('./bench/tfjs');
	for (const peer of PEERS) {
		await section(`matmul and MLP step, ${peer}`, async () => {
			await addPeerMatmul(matmul, peer, budget);
			await addPeerMlp(mlp, peer, budget);
		});
	}
	rows.push(...matmul, mlp, ...taskModels, ...parallel);

	const wasm = await wasmFlavour();
	const notes = [
		args.clock === 'cpu'
			? 'Medians of repeated, warmed-up runs, one thread per engine, in CPU time of this process (data-parallel rows: wall clock).'
			: 'Medians of repeated, warmed-up runs, one thread per engine, by wall clock.',
		'Glance/peer columns compare speed: above 1× Glance is faster, for rates and times alike.',
		`tfjs-wasm ran ${wasm}.`,
		'Task-model and data-parallel rows are Glance only (the task models are not ported to TensorFlow.js).',
		`This machine: ${cpus().length} cores; the speed-up needs the workers to get a core each.`
	];
	const report: Report = {
		generatedAt: new Date().toISOString(),
		quick: args.quick,
		clock: args.clock,
		machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: platform() },
		wasm,
		rows,
		notes
	};
	process.stdout.write(`\n${formatTable(rows)}\n\n${notes.map((n) => `  ${n}`).join('\n')}\n`);
	const out = resolve(args.out);
	writeReport(out, report);
	log(`\nResults written to ${out} (${((performance.now() - started) / 1000).toFixed(0)} s in all).`);
	return 0;
}

process.exitCode = await main(process.argv.slice(2));
