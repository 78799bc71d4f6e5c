/**
 * How values reach the page: a tensor becomes a heatmap, `plot(…)` data becomes a chart, and
 * anything else becomes text much as a browser console would print it.
 */
import { Tensor } from '../../engine/index';
import { MAX_TENSOR_VALUES, type CellOutput, type PlotOutput, type PlotSeries, type TensorOutput } from './protocol';

const MAX_ITEMS = 100; // array items or object keys printed before "…"
const MAX_DEPTH = 3; // deeper nesting prints as [Array(n)] / {…}
const MAX_CHARS = 10_000; // one printed value; a 1M-element array would otherwise freeze the page's <pre>

/** A tensor's shape and leading values, copied so the engine's storage stays in the Worker. */
export function tensorOutput(t: Tensor, name: string): TensorOutput {
	const n = Math.min(t.size, MAX_TENSOR_VALUES);
	return {
		kind: 'tensor',
		name,
		shape: [...t.shape],
		values: Float32Array.from(t.data.subarray(0, n)),
		truncated: n < t.size,
		dtype: t.dtype,
		requiresGrad: t.requiresGrad
	};
}

/** The output for a cell's trailing value; `undefined` shows nothing, as in a notebook. */
export function valueOutput(value: unknown, label: string): CellOutput | null {
	if (value === undefined) return null;
	if (value instanceof Tensor) return tensorOutput(value, label);
	return { kind: 'text', stream: 'result', text: formatValue(value) };
}

/** The arguments of a console call (`log`, `info`, …): strings as they are, everything else formatted, joined by spaces. */
export function formatLogArgs(args: readonly unknown[]): string {
	return args.map((a) => (typeof a === 'string' ? a : formatValue(a))).join(' ');
}

/**
 * A readable one-value summary, like a console's: quoted strings, `[1, 2, …]`, `Linear(in=4, out=8)`.
 *
 * @example
 * formatValue({ a: [1, 2], b: 'x' }); // "{ a: [1, 2], b: 'x' }"
 */
export function formatValue(value: unknown): string {
	try {
		const text = format(value, 0, new Set());
		return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}… (${text.length - MAX_CHARS} more characters)` : text;
	} catch {
		// A getter or proxy threw while being printed; say what the value is rather than failing the cell.
		return `[${typeof value}]`;
	}
}

function format(v: unknown, depth: number, seen: Set<object>): string {
	if (typeof v === 'string') return quote(v);
	if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
	if (typeof v === 'bigint') return `${v}n`;
	if (typeof v === 'function') {
		const source = Function.prototype.toString.call(v);
		return source.startsWith('class') ? `[class ${v.name || '(anonymous)'}]` : `[Function ${v.name || '(anonymous)'}]`;
	}
	if (typeof v !== 'object' || v === null) return String(v);
	if (v instanceof Tensor || v instanceof Error || v instanceof Date || v instanceof RegExp) {
		return v instanceof Error ? `${v.name}: ${v.message}` : String(v);
	}
	if (seen.has(v)) return '[Circular]';
	seen.add(v);
	try {
		return formatObject(v, depth, seen);
	} finally {
		seen.delete(v);
	}
}

/** Single-quoted with escapes, as a browser console prints a string inside a value. */
function quote(s: string): string {
	return `'${JSON.stringify(s).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

function formatObject(v: object, depth: number, seen: Set<object>): string {
	const list = (items: Iterable<unknown>, size: number, open: string, close: string, item = (x: unknown) => format(x, depth + 1, seen)) => {
		const parts: string[] = [];
		for (const x of items) {
			if (parts.length === MAX_ITEMS) break;
			parts.push(item(x));
		}
		if (size > MAX_ITEMS) parts.push(`… ${size - MAX_ITEMS} more`);
		return `${open}${parts.join(', ')}${close}`;
	};
	if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
		const arr = v as unknown as ArrayLike<number>;
		return `${v.constructor.name}(${arr.length}) ${list(
			Array.from({ length: Math.min(arr.length, MAX_ITEMS) }, (_, i) => arr[i]),
			arr.length,
			'[',
			']'
		)}`;
	}
	if (Array.isArray(v)) return depth >= MAX_DEPTH ? `[Array(${v.length})]` : list(v, v.length, '[', ']');
	if (v instanceof Map) {
		return `Map(${v.size}) ${list(v, v.size, '{', '}', (e) => {
			const [k, x] = e as [unknown, unknown];
			return `${format(k, depth + 1, seen)} => ${format(x, depth + 1, seen)}`;
		})}`;
	}
	if (v instanceof Set) return `Set(${v.size}) ${list(v, v.size, '{', '}')}`;
	// Modules (and other classes that print themselves) know their best form, as PyTorch's repr does.
	const proto: unknown = Object.getPrototypeOf(v);
	if (proto !== Object.prototype && proto !== null && (v as { toString?: unknown }).toString !== Object.prototype.toString)
		return String(v);
	const name = v.constructor && v.constructor !== Object ? `${v.constructor.name} ` : '';
	if (depth >= MAX_DEPTH) return `${name}{…}`;
	const keys = Object.keys(v);
	const body = list(
		keys,
		keys.length,
		'{ ',
		' }',
		(k) =>
			`${/^[A-Za-z_$][\w$]*$/.test(k as string) ? k : JSON.stringify(k)}: ${format((v as Record<string, unknown>)[k as string], depth + 1, seen)}`
	);
	return keys.length === 0 ? `${name}{}` : `${name}${body}`;
}

type PlotData = readonly number[] | Tensor | Readonly<Record<string, readonly number[] | Tensor>>;

export interface PlotOptions {
	kind?: 'line' | 'bar';
	title?: string;
	/** x positions (line) or categories (bar); defaults to 0, 1, 2, … */
	x?: readonly number[] | Tensor;
}

function numbers(what: string, v: unknown): number[] {
	if (v instanceof Tensor) {
		if (v.shape.filter((d) => d !== 1).length > 1)
			throw new TypeError(`plot: ${what} should be 1-D, got a tensor of shape [${v.shape.join(', ')}]`);
		return Array.from(v.data);
	}
	if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return [...v];
	throw new TypeError(`plot: ${what} should be an array of numbers or a 1-D tensor`);
}

/**
 * The output `plot(…)` sends: one series from an array or 1-D tensor, or one per key of an object.
 *
 * @example
 * plotOutput({ train: [0.9, 0.5, 0.3], test: [1, 0.7, 0.5] }, { title: 'loss' });
 */
export function plotOutput(data: PlotData, options: PlotOptions = {}): PlotOutput {
	const entries: [string, unknown][] =
		data instanceof Tensor || Array.isArray(data) ? [['', data]] : typeof data === 'object' && data !== null ? Object.entries(data) : [];
	if (entries.length === 0) throw new TypeError('plot: pass an array of numbers, a 1-D tensor, or an object of them (one series per key)');
	const series: PlotSeries[] = entries.map(([name, values]) => {
		const y = numbers(name ? `series "${name}"` : 'data', values);
		const x = options.x === undefined ? y.map((_, i) => i) : numbers('options.x', options.x);
		if (x.length !== y.length) throw new TypeError(`plot: options.x has ${x.length} values but ${name || 'the data'} has ${y.length}`);
		return { name, x, y };
	});
	const kind = options.kind ?? 'line';
	if (kind !== 'line' && kind !== 'bar') throw new TypeError(`plot: kind should be 'line' or 'bar', got ${JSON.stringify(kind)}`);
	return { kind: 'plot', plot: kind, title: options.title ?? '', series };
}
