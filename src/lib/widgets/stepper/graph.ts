/**
 * The step-through's model of a trace: one node per forward op, one per tensor that came from
 * outside the traced code (a parameter, the input clip, a constant), edges along the data flow,
 * and the order the widget steps in (every forward op, then every backward op, then the error if
 * the run failed). Pure data, so it is built once per trace and stepping only moves an index.
 *
 * @example
 * const g = buildStepGraph(trace(() => loss(model, batch).backward()), new Map([[w.id, 'fc.weight']]));
 * g.steps.map((s) => s.phase); // ['forward', …, 'backward', …]
 */
import { ShapeError, type ForwardStep, type OpName, type TensorRecord, type Trace, type TraceStep } from '../../engine/index';

export interface OpNode {
	kind: 'op';
	id: string;
	op: OpName;
	/** Module path the op ran under; '' at the top level. */
	path: string;
	/** Index of its forward step in the trace. */
	traceIndex: number;
	shape: number[];
}

export interface LeafNode {
	kind: 'leaf';
	id: string;
	tensorId: number;
	/** A parameter's name, an input's name, or 'const'. */
	name: string;
	path: string;
	shape: number[];
}

/** Where the run stopped: the op that threw, placed after the ops whose outputs it was given. */
export interface ErrorNode {
	kind: 'error';
	id: 'error';
	op: string;
	path: string;
	/** The error's message without its hint line. */
	message: string;
	/** The rule that broke, without the op and path (`cannot broadcast [2,3,8] with [2,3,4] …`). */
	detail: string;
	hint: string;
	/** Whether an op refused its shapes (a `ShapeError`, `op` naming the op); otherwise `op` is the error's class name. */
	shape: boolean;
}

/** What stopped the run, in a few words for a step title: `mul in attention failed with a shape error`, or `ValueError: …`. */
export function errorTitle(error: ErrorNode): string {
	return error.shape ? `${error.op}${error.path ? ` in ${error.path}` : ''} failed with a shape error` : `${error.op}: ${error.message}`;
}

export type GraphNode = OpNode | LeafNode | ErrorNode;

export interface GraphEdge {
	from: string;
	to: string;
	/** The tensor that flows along it; -1 into the error node when the tensor is inferred. */
	tensorId: number;
}

/** One position of the stepper. */
export type StepRef =
	| { phase: 'forward'; traceIndex: number; nodeId: string }
	| { phase: 'backward'; traceIndex: number; nodeId: string }
	| { phase: 'error'; nodeId: 'error' };

export interface StepGraph {
	nodes: GraphNode[];
	edges: GraphEdge[];
	steps: StepRef[];
	/** Every module path that holds an op, with each of its ancestors ('a.b.c' → 'a', 'a.b', 'a.b.c'). */
	clusters: string[];
	/** The forward op that produced each tensor id. */
	producer: Map<number, string>;
	error: ErrorNode | null;
}

const SHAPE = /\[(\d+(?:,\d+)*)?\]/g;

/** Shapes written in an error message, as `[2,16,512]`, in order. */
export function shapesIn(message: string): number[][] {
	return [...message.matchAll(SHAPE)].map((m) => (m[1] ? m[1].split(',').map(Number) : []));
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** The path and its ancestors, outermost first. */
export function pathPrefixes(path: string): string[] {
	if (!path) return [];
	const parts = path.split('.');
	return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/**
 * Build the graph and step order of `trace`. `names` labels tensors by id (parameters by their
 * state-dict name, inputs by role); other outside tensors are 'const'.
 */
export function buildStepGraph(trace: Trace<unknown>, names: ReadonlyMap<number, string> = new Map()): StepGraph {
	const nodes: GraphNode[] = [];
	const edges: GraphEdge[] = [];
	const steps: StepRef[] = [];
	const producer = new Map<number, string>();
	const leaves = new Map<number, LeafNode>();
	const clusters = new Set<string>();

	const source = (t: TensorRecord, consumerPath: string): string => {
		const made = producer.get(t.id);
		if (made) return made;
		let leaf = leaves.get(t.id);
		if (!leaf) {
			leaf = { kind: 'leaf', id: `t${t.id}`, tensorId: t.id, name: names.get(t.id) ?? 'const', path: consumerPath, shape: [...t.shape] };
			leaves.set(t.id, leaf);
			nodes.push(leaf);
		}
		return leaf.id;
	};

	const forwards = trace.steps.filter((s): s is ForwardStep => s.phase === 'forward');
	for (const s of forwards) {
		const id = `op${s.index}`;
		for (const input of s.inputs) edges.push({ from: source(input, s.path), to: id, tensorId: input.id });
		nodes.push({ kind: 'op', id, op: s.op, path: s.path, traceIndex: s.index, shape: [...s.output.shape] });
		producer.set(s.output.id, id);
		for (const p of pathPrefixes(s.path)) clusters.add(p);
		steps.push({ phase: 'forward', traceIndex: s.index, nodeId: id });
	}
	for (const s of trace.steps) {
		if (s.phase !== 'backward') continue;
		const nodeId = producer.get(s.outputId);
		if (nodeId) steps.push({ phase: 'backward', traceIndex: s.index, nodeId });
	}

	const error = trace.error ? errorNode(trace.error) : null;
	if (error) {
		nodes.push(error);
		for (const p of pathPrefixes(error.path)) clusters.add(p);
		for (const from of errorInputs(error, forwards, producer)) edges.push({ from, to: error.id, tensorId: -1 });
		steps.push({ phase: 'error', nodeId: 'error' });
	}
	return { nodes, edges, steps, clusters: [...clusters].sort(), producer, error };
}

function errorNode(e: Error): ErrorNode {
	if (e instanceof ShapeError) {
		const message = e.hint ? e.message.slice(0, e.message.indexOf('\nHint:')) : e.message;
		return { kind: 'error', id: 'error', op: e.op, path: e.path, message, detail: e.detail, hint: e.hint, shape: true };
	}
	return { kind: 'error', id: 'error', op: e.name, path: '', message: e.message, detail: e.message, hint: '', shape: false };
}

/**
 * The ops whose outputs the failing op was given. The error is thrown before the op runs, so the
 * trace has no record of its inputs; the shapes its message names identify them: for each, the
 * latest output of that shape. If none match, it follows the last op.
 */
function errorInputs(error: ErrorNode, forwards: readonly ForwardStep[], producer: ReadonlyMap<number, string>): string[] {
	const found: string[] = [];
	for (const shape of shapesIn(error.message)) {
		const hit = [...forwards].reverse().find((s) => sameShape(s.output.shape, shape));
		const id = hit ? producer.get(hit.output.id) : undefined;
		if (id && !found.includes(id)) found.push(id);
	}
	if (found.length === 0 && forwards.length > 0) found.push(`op${forwards[forwards.length - 1].index}`);
	return found;
}

/** The trace step a position shows, or null for the error position. */
export function stepAt(trace: Trace<unknown>, ref: StepRef): TraceStep | null {
	return ref.phase === 'error' ? null : trace.steps[ref.traceIndex];
}

/** The forward step of the op a backward step belongs to. */
export function forwardOf(trace: Trace<unknown>, graph: StepGraph, ref: StepRef): ForwardStep | null {
	const node = graph.nodes.find((n) => n.id === ref.nodeId);
	if (!node || node.kind !== 'op') return null;
	const s = trace.steps[node.traceIndex];
	return s.phase === 'forward' ? s : null;
}

/** A short name for an op node, as the graph and the list show it: `attention.softmax · softmax`. */
export function opLabel(node: GraphNode): string {
	if (node.kind === 'leaf') return node.name;
	if (node.kind === 'error') return `${node.op} ✗`;
	return node.op;
}
