/**
 * Ask a Web Worker for a graph's layout, falling back to laying it out here where Workers are
 * missing. One Worker per page, started on first use; a newer request supersedes an older one.
 */
import { layoutStepGraph, type GraphLayout } from './layout';
import type { StepGraph } from './graph';

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (l: GraphLayout) => void; reject: (e: Error) => void }>();

function getWorker(): Worker | null {
	if (worker || typeof Worker === 'undefined') return worker;
	worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'glance-stepper-layout' });
	worker.onmessage = (e: MessageEvent<{ id: number; layout?: GraphLayout; error?: string }>) => {
		const p = pending.get(e.data.id);
		pending.delete(e.data.id);
		if (!p) return;
		if (e.data.layout) p.resolve(e.data.layout);
		else p.reject(new Error(e.data.error ?? 'layout failed'));
	};
	return worker;
}

/** The layout of `graph`, computed in a Worker when the browser has them. */
export function requestLayout(graph: StepGraph): Promise<GraphLayout> {
	const w = getWorker();
	if (!w) return Promise.resolve().then(() => layoutStepGraph(graph));
	const id = nextId++;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject });
		w.postMessage({ id, graph });
	});
}
