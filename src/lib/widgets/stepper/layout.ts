/**
 * Positions for a step graph, from dagre (top to bottom, data flowing down), with a box around the
 * ops of each module path. Computed once per trace; the component only pans to the current node.
 *
 * @example
 * const { nodes, edges, clusters, width, height } = layoutStepGraph(buildStepGraph(t));
 */
import dagre from '@dagrejs/dagre';
import type { ErrorNode, GraphNode, StepGraph } from './graph';
import { opLabel } from './graph';

export interface PlacedNode {
	node: GraphNode;
	/** Centre. */
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface PlacedEdge {
	from: string;
	to: string;
	points: { x: number; y: number }[];
}

export interface PlacedCluster {
	path: string;
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface GraphLayout {
	nodes: PlacedNode[];
	byId: Map<string, PlacedNode>;
	edges: PlacedEdge[];
	clusters: PlacedCluster[];
	width: number;
	height: number;
}

const CHAR = 7.5; // px per character of the 12px monospace label
const SMALL_CHAR = 6.2; // px per character of the 10px line under it
/** Longest error line drawn on the graph; the details panel has the whole message. */
const ERROR_LINE = 48;

/** The line drawn under the failing op: the shape rule it broke, shortened to fit. */
export function errorLine(node: ErrorNode): string {
	const text = node.detail || node.message;
	return text.length > ERROR_LINE ? `${text.slice(0, ERROR_LINE - 1)}…` : text;
}
const OP_HEIGHT = 34;
const LEAF_HEIGHT = 24;

/** Box size of a node: wide enough for its label and the shape line under an op. */
export function nodeSize(node: GraphNode): { width: number; height: number } {
	if (node.kind === 'leaf') return { width: Math.max(48, node.name.length * CHAR + 16), height: LEAF_HEIGHT };
	if (node.kind === 'error')
		return { width: Math.max(90, opLabel(node).length * CHAR + 24, errorLine(node).length * SMALL_CHAR + 16), height: OP_HEIGHT + 6 };
	const shape = `[${node.shape.join(',')}]`;
	return { width: Math.max(64, Math.max(node.op.length, shape.length) * CHAR + 16), height: OP_HEIGHT };
}

const clusterId = (path: string) => `cluster:${path}`;

/** Lay `graph` out with dagre. Leaves sit in the box of the module that first uses them. */
export function layoutStepGraph(graph: StepGraph): GraphLayout {
	const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
	g.setGraph({ rankdir: 'TB', nodesep: 14, ranksep: 40, marginx: 8, marginy: 8 });
	g.setDefaultEdgeLabel(() => ({}));
	for (const path of graph.clusters) {
		g.setNode(clusterId(path), { label: path, width: 0, height: 0, paddingTop: 18 });
		const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
		if (parent && graph.clusters.includes(parent)) g.setParent(clusterId(path), clusterId(parent));
	}
	for (const node of graph.nodes) {
		g.setNode(node.id, { ...nodeSize(node) });
		const path = node.kind === 'leaf' || node.kind === 'op' || node.kind === 'error' ? node.path : '';
		if (path && graph.clusters.includes(path)) g.setParent(node.id, clusterId(path));
	}
	graph.edges.forEach((e, i) => g.setEdge(e.from, e.to, {}, `e${i}`));
	dagre.layout(g);

	const nodes: PlacedNode[] = graph.nodes.map((node) => {
		const l = g.node(node.id);
		return { node, x: l.x ?? 0, y: l.y ?? 0, width: l.width, height: l.height };
	});
	const clusters: PlacedCluster[] = graph.clusters.map((path) => {
		const l = g.node(clusterId(path));
		return { path, x: (l.x ?? 0) - l.width / 2, y: (l.y ?? 0) - l.height / 2, width: l.width, height: l.height };
	});
	const edges: PlacedEdge[] = graph.edges.map((e, i) => ({ from: e.from, to: e.to, points: g.edge(e.from, e.to, `e${i}`)?.points ?? [] }));
	const label = g.graph();
	return { nodes, byId: new Map(nodes.map((n) => [n.node.id, n])), edges, clusters, width: label.width ?? 0, height: label.height ?? 0 };
}

/** A pan and zoom: screen = graph · k + (x, y). */
export interface ViewTransform {
	x: number;
	y: number;
	k: number;
}

/**
 * The transform that shows the whole graph inside the box from (left, top) to (right, bottom), centred, at most
 * life size; null while the box has no room (not measured yet, or hidden). A big graph gets whatever small scale
 * it needs: the learner zooms in from there, or steps, which zooms to the current op.
 */
export function fitView(
	size: { width: number; height: number },
	box: { left: number; top: number; right: number; bottom: number }
): ViewTransform | null {
	const [w, h] = [box.right - box.left, box.bottom - box.top];
	if (w <= 0 || h <= 0) return null;
	const k = Math.min(1, w / Math.max(size.width, 1), h / Math.max(size.height, 1));
	return { k, x: box.left + (w - size.width * k) / 2, y: box.top + (h - size.height * k) / 2 };
}
