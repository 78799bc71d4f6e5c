/**
 * Lays a step graph out off the main thread: dagre takes hundreds of milliseconds on a task
 * model's graph, and the page should stay responsive while it works.
 */
import { layoutStepGraph } from './layout';
import type { StepGraph } from './graph';

self.onmessage = (e: MessageEvent<{ id: number; graph: StepGraph }>) => {
	const { id, graph } = e.data;
	try {
		self.postMessage({ id, layout: layoutStepGraph(graph) });
	} catch (err) {
		self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
};
