/**
 * The notebook kernel: runs cells one after another against one shared set of variables and
 * answers exercise checks against them. `worker.ts` wires it to a Worker's messages; tests call
 * `handle` directly.
 */
import { manualSeed, Tensor } from '../../engine/index';
import { fail, type CheckResult, type LessonChecks } from '../exercises';
import { CellCompileError, compileCell, errorPosition } from './compile';
import { formatLogArgs, formatValue, plotOutput, tensorOutput, valueOutput, type PlotOptions } from './format';
import { MAX_OUTPUTS_PER_RUN, type CellOutput, type ErrorOutput, type KernelEvent, type KernelRequest } from './protocol';
import { BUILTINS } from './scope';

/**
 * Every fresh kernel reseeds the engine's default generator, so a kernel restored by replaying its
 * cells draws the same "random" tensors the learner saw before the restart.
 */
export const KERNEL_SEED = 0;

type CellFunction = (...args: unknown[]) => Promise<{ value: unknown; scope: Record<string, unknown> }>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => CellFunction;

export interface RuntimeHost {
	post(event: KernelEvent, transfer?: Transferable[]): void;
	/** The lesson's `checks.ts` module, or null when the lesson has none. */
	loadChecks(lessonSlug: string): Promise<LessonChecks | null>;
}

type RunRequest = Extract<KernelRequest, { type: 'run' }>;
type CheckRequest = Extract<KernelRequest, { type: 'check' }>;

export class KernelRuntime {
	#user: Record<string, unknown> = {};
	#chain: Promise<void> = Promise.resolve();
	readonly #host: RuntimeHost;

	constructor(host: RuntimeHost) {
		this.#host = host;
		manualSeed(KERNEL_SEED);
	}

	/** The variables cells have defined so far. */
	get variables(): Readonly<Record<string, unknown>> {
		return this.#user;
	}

	/** Handle one request after every earlier one has finished, so an awaiting cell never interleaves with the next. */
	handle(msg: KernelRequest): Promise<void> {
		const next = this.#chain.then(() => this.#dispatch(msg));
		this.#chain = next.catch(() => undefined);
		return next;
	}

	async #dispatch(msg: KernelRequest): Promise<void> {
		switch (msg.type) {
			case 'run':
				return this.#run(msg);
			case 'check':
				return this.#check(msg);
			case 'reset':
				this.#user = {};
				manualSeed(KERNEL_SEED);
				return;
			default: {
				const _: never = msg;
				throw new Error(`unknown kernel request ${JSON.stringify(_)}`);
			}
		}
	}

	async #run(msg: RunRequest): Promise<void> {
		const started = performance.now();
		const sink = new OutputSink(msg, this.#host);
		const sourceURL = `glance-cell-${msg.runId}.js`;
		const finishWith = (error: ErrorOutput) => {
			sink.close();
			this.#host.post({ type: 'error', runId: msg.runId, cellId: msg.cellId, error, durationMs: performance.now() - started });
		};
		let compiled;
		try {
			compiled = compileCell(msg.code, msg.lang, { carry: Object.keys(this.#user), sourceURL });
		} catch (err) {
			if (err instanceof CellCompileError)
				return finishWith({ kind: 'error', name: err.name, message: err.message, line: err.line, column: err.column });
			return finishWith(toErrorOutput(err, null));
		}
		const scope: Record<string, unknown> = { ...BUILTINS, ...helpers(sink), ...this.#user };
		const names = Object.keys(scope);
		try {
			const fn = new AsyncFunction(...names, compiled.body);
			const { value, scope: next } = await fn(...names.map((n) => scope[n]));
			this.#user = next;
			if (compiled.hasValue) {
				const out = valueOutput(value, compiled.valueLabel);
				if (out) sink.emit(out);
			}
		} catch (err) {
			return finishWith(toErrorOutput(err, errorPosition(err, sourceURL, headerLines(), compiled.shifts)));
		}
		sink.close();
		this.#host.post({ type: 'result', runId: msg.runId, cellId: msg.cellId, durationMs: performance.now() - started });
	}

	async #check(msg: CheckRequest): Promise<void> {
		let result: CheckResult;
		try {
			const lesson = await this.#host.loadChecks(msg.lessonSlug);
			const entry = lesson?.checks[msg.exerciseId];
			if (!lesson) result = fail(`The lesson "${msg.lessonSlug}" has no checks.ts, so exercise "${msg.exerciseId}" cannot be checked.`);
			else if (!entry) result = fail(`The lesson "${msg.lessonSlug}" has no check for exercise "${msg.exerciseId}".`);
			else result = await entry.check({ ...this.#user });
		} catch (err) {
			result = fail(`The check could not run: ${err instanceof Error ? err.message : String(err)}`);
		}
		this.#host.post({ type: 'checkResult', runId: msg.runId, exerciseId: msg.exerciseId, result });
	}
}

/** Collects one run's outputs and posts them as they happen; a silent (replayed) run posts none. */
class OutputSink {
	#count = 0;
	#closed = false;
	constructor(
		private readonly msg: RunRequest,
		private readonly host: RuntimeHost
	) {}

	emit(output: CellOutput): void {
		// After the cell has finished (a timer it left behind, say) nothing is listening for this run any more.
		if (this.#closed || this.msg.silent) return;
		this.#count++;
		if (this.#count > MAX_OUTPUTS_PER_RUN) {
			if (this.#count === MAX_OUTPUTS_PER_RUN + 1) {
				this.#post({
					kind: 'text',
					stream: 'stderr',
					text: `Output stopped after ${MAX_OUTPUTS_PER_RUN} outputs; later ones are not shown.`
				});
			}
			return;
		}
		this.#post(output);
	}

	#post(output: CellOutput): void {
		const transfer = output.kind === 'tensor' ? [output.values.buffer as ArrayBuffer] : [];
		this.host.post({ type: 'output', runId: this.msg.runId, output }, transfer);
	}

	close(): void {
		this.#closed = true;
	}
}

/** `show`, `plot` and `console`, bound to the running cell's outputs. */
function helpers(sink: OutputSink): Record<string, unknown> {
	const log =
		(stream: 'stdout' | 'stderr') =>
		(...args: unknown[]) =>
			sink.emit({ kind: 'text', stream, text: formatLogArgs(args) });
	const stdout = log('stdout');
	const stderr = log('stderr');
	const cellConsole = Object.assign(Object.create(console) as Console, {
		log: stdout,
		info: stdout,
		debug: stdout,
		table: stdout,
		warn: stderr,
		error: stderr
	});
	return {
		console: cellConsole,
		/** Show a value now: a tensor as a heatmap, anything else as text. Returns the value, so it chains. */
		show<T>(value: T, label = ''): T {
			sink.emit(
				value instanceof Tensor
					? tensorOutput(value, label)
					: { kind: 'text', stream: 'stdout', text: (label ? `${label}: ` : '') + formatValue(value) }
			);
			return value;
		},
		/** Draw a line or bar chart: `plot([1, 4, 9])`, `plot({ train, test }, { title: 'loss' })`. */
		plot(data: Parameters<typeof plotOutput>[0], options?: PlotOptions): void {
			sink.emit(plotOutput(data, options));
		}
	};
}

function toErrorOutput(err: unknown, at: { line: number; column: number } | null): ErrorOutput {
	const name = err instanceof Error ? err.name : 'Error';
	let message = err instanceof Error ? err.message : formatValue(err);
	if (name === 'ReferenceError' && / is not defined$/.test(message)) message += ' (if an earlier cell defines it, run that cell first)';
	return { kind: 'error', name, message, line: at?.line ?? null, column: at?.column ?? null };
}

let header: number | null = null;

/**
 * Lines the engine puts before a Function body in its stack traces (`async function anonymous(…\n) {\n`
 * in V8 and Firefox), measured once with a probe instead of assumed, since it is not specified.
 */
function headerLines(): number {
	if (header === null) {
		let probe: unknown = null;
		void new AsyncFunction('capture', 'capture(new Error())\n//# sourceURL=glance-probe.js')((e: unknown) => (probe = e));
		header = (errorPosition(probe, 'glance-probe.js', 0)?.line ?? 3) - 1;
	}
	return header;
}
