/**
 * Worker entry for the notebook kernel. Started by `client.ts` with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 *
 * Cells run here, off the page's thread, so a runaway loop never freezes the page and the page
 * can always end it by terminating this Worker.
 */
import type { LessonChecks } from '../exercises';
import type { KernelEvent, KernelRequest } from './protocol';
import { KernelRuntime } from './runtime';

// Eager, so the Worker is one bundle (Vite cannot code-split an IIFE worker) and checks are ready without a request.
const modules = import.meta.glob<LessonChecks>('/lessons/*/checks.ts', { eager: true });

/** `/lessons/02-attention-module/checks.ts` answers to the slug `attention-module`. */
const bySlug = new Map(
	Object.entries(modules).map(([path, mod]) => {
		const folder = path.split('/').at(-2) ?? '';
		return [folder.replace(/^\d+-/, ''), mod];
	})
);

/** The parts of a dedicated Worker's global scope used here; the project compiles against the DOM's types, not the Worker's. */
interface WorkerScope {
	postMessage(message: KernelEvent, transfer: Transferable[]): void;
	addEventListener(type: 'message', listener: (e: MessageEvent<KernelRequest>) => void): void;
	addEventListener(type: 'unhandledrejection', listener: (e: PromiseRejectionEvent) => void): void;
	addEventListener(type: 'error', listener: (e: ErrorEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const post = (event: KernelEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

const runtime = new KernelRuntime({ post, loadChecks: async (slug) => bySlug.get(slug) ?? null });

scope.addEventListener('message', (e) => void runtime.handle(e.data));

// A timer or unawaited promise a cell left behind can fail after the cell has finished. Nothing is
// listening for that cell's outputs any more, so the page gets a kernel log line instead of an uncaught error.
scope.addEventListener('unhandledrejection', (e) => {
	e.preventDefault();
	post({ type: 'log', level: 'warn', message: `A promise from a finished cell rejected: ${String(e.reason)}` });
});
scope.addEventListener('error', (e) => {
	e.preventDefault();
	post({ type: 'log', level: 'error', message: `A finished cell's callback threw: ${e.message}` });
});

post({ type: 'ready' });
