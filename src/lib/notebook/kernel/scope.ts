/**
 * What a notebook cell sees without importing anything: the engine's exports by name
 * (`tensor`, `randn`, `noGrad`…), the `nn`, `optim`, `train` and `tasks` namespaces, and a few
 * browser APIs replaced by stubs that say they are unavailable.
 *
 * The stubs keep a learner's cell from reaching the network or storage by accident; they are a
 * teaching sandbox, not a security boundary. Cell code can still reach the real objects through
 * `globalThis`, and does so only inside its own Worker, which has no DOM and no access to the page.
 */
import * as engine from '../../engine/index';
import * as nn from '../../nn/index';
import * as optim from '../../optim/index';
import * as train from '../../train/index';
import * as article from '../../tasks/article/index';
import * as classification from '../../tasks/classification/index';
import * as generation from '../../tasks/generation/index';
import * as tracking from '../../tasks/tracking/index';
import * as video from '../../tasks/video/index';

/** Browser APIs a cell gets as throwing stubs, shadowing the Worker's globals of the same names. */
export const BLOCKED_NAMES = [
	'fetch',
	'XMLHttpRequest',
	'WebSocket',
	'EventSource',
	'importScripts',
	'indexedDB',
	'caches',
	'Worker',
	'BroadcastChannel',
	// The kernel's own channel to the page: a cell posting to it, or closing it, would confuse or kill the kernel.
	'postMessage',
	'close'
] as const;

/** Throws on call, `new`, or any property read, so `indexedDB.open(…)` fails as clearly as `fetch(…)`. */
function blocked(name: string): unknown {
	const fail = (): never => {
		throw new Error(`${name} is not available in a notebook cell`);
	};
	return new Proxy(function unavailable() {}, { apply: fail, construct: fail, get: fail });
}

const tasks = Object.freeze({ video, article, classification, tracking, generation });

/** The built-ins every cell starts with; a cell's own variables shadow them. */
export const BUILTINS: Readonly<Record<string, unknown>> = Object.freeze({
	...engine,
	nn,
	optim,
	train,
	tasks,
	...Object.fromEntries(BLOCKED_NAMES.map((name) => [name, blocked(name)]))
});
