/** Flags of `npm run train`, parsed and checked before any work starts. */

export const TASK_NAMES = ['classification', 'tracking', 'generation'] as const;
export type CliTask = (typeof TASK_NAMES)[number];

export interface TrainArgs {
	task: CliTask;
	model?: string;
	seed?: number;
	epochs?: number;
	batch?: number;
	lr?: number;
	out?: string;
	baseline: boolean;
	help: boolean;
}

export const USAGE = `Usage: npm run train -- --task classification|tracking|generation [options]

Options:
  --model NAME     model variant (default: the task's attention model; see the task's variants)
  --seed N         seed for data, initial weights and shuffling (integer ≥ 0)
  --epochs N       epochs to train (integer ≥ 1)
  --batch N        batch size (integer ≥ 1)
  --lr X           learning rate (number > 0)
  --out DIR        where to write the checkpoint (default: runs/<task>-<model>-seed<N>)
  --no-baseline    skip training the baseline for the final comparison
  --help           show this message`;

/** A bad flag: the message is one line; the CLI prints it with the usage and exits non-zero. */
export class UsageError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UsageError';
	}
}

function integer(flag: string, raw: string, min: number): number {
	const v = Number(raw);
	if (raw.trim() === '' || !Number.isInteger(v) || v < min) throw new UsageError(`${flag} must be an integer ≥ ${min}, got "${raw}"`);
	return v;
}

function positive(flag: string, raw: string): number {
	const v = Number(raw);
	if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UsageError(`${flag} must be a number > 0, got "${raw}"`);
	return v;
}

/** One command-line argument: `flag` is the argument, or its name when written `--name=value`. */
export interface Arg {
	arg: string;
	flag: string;
	/** The flag's value: the part after `=`, else the next argument (which is then consumed). */
	value: () => string;
}

/**
 * The arguments of `argv` in turn, each with a way to take its flag's value, so `--lr 0.1` and
 * `--lr=0.1` read alike. A flag with no value after it is a `UsageError`.
 *
 * @example
 * for (const { flag, value } of readArgs(['--seed', '3'])) if (flag === '--seed') seed = Number(value());
 */
export function* readArgs(argv: readonly string[]): Generator<Arg> {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
		const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
		const value = (): string => {
			const v = inline ?? argv[++i];
			if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
			return v;
		};
		yield { arg, flag, value };
	}
}

/**
 * Parse `argv` (without node and script).
 *
 * @example
 * parseTrainArgs(['--task', 'tracking', '--epochs', '3']); // { task: 'tracking', epochs: 3, baseline: true, help: false }
 */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
	const out: Partial<TrainArgs> & { baseline: boolean; help: boolean } = { baseline: true, help: false };
	for (const { arg, flag, value } of readArgs(argv)) {
		switch (flag) {
			case '--task': {
				const v = value();
				if (!(TASK_NAMES as readonly string[]).includes(v)) throw new UsageError(`unknown task "${v}" (expected ${TASK_NAMES.join(', ')})`);
				out.task = v as CliTask;
				break;
			}
			case '--model':
				out.model = value();
				break;
			case '--seed':
				out.seed = integer(flag, value(), 0);
				break;
			case '--epochs':
				out.epochs = integer(flag, value(), 1);
				break;
			case '--batch':
				out.batch = integer(flag, value(), 1);
				break;
			case '--lr':
				out.lr = positive(flag, value());
				break;
			case '--out':
				out.out = value();
				break;
			case '--no-baseline':
				out.baseline = false;
				break;
			case '--help':
			case '-h':
				out.help = true;
				break;
			default:
				throw new UsageError(`unknown flag "${arg}"`);
		}
	}
	if (out.help) return { ...out, task: out.task ?? 'classification' } as TrainArgs;
	if (!out.task) throw new UsageError('--task is required');
	return out as TrainArgs;
}
