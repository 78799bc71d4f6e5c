import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Peer } from './report';

const BACKEND: Record<Peer, string> = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm' };

let wasmReady = false;

/**
 * Point the wasm backend at its binaries in node_modules and keep it on one thread, like
 * Glance's kernels (the threaded build would also need cross-origin isolation in a page).
 */
function prepareWasm(): void {
	if (wasmReady) return;
	const require = createRequire(import.meta.url);
	const pkg = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
	setWasmPaths(`${join(pkg, 'dist')}/`);
	tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
	wasmReady = true;
}

/** Make `peer` the active TensorFlow.js backend; resolves once it can run kernels. */
export async function usePeer(peer: Peer): Promise<typeof tf> {
	if (peer === 'tfjs-wasm') prepareWasm();
	const ok = await tf.setBackend(BACKEND[peer]);
	if (!ok) throw new Error(`${peer}: TensorFlow.js could not start its ${BACKEND[peer]} backend`);
	await tf.ready();
	// The cpu backend prints a banner on its first tensor in Node, asking for tfjs-node; this run
	// compares browser backends on purpose, so the banner is switched off (its own flag, `firstUse`).
	const backend = tf.backend() as { firstUse?: boolean };
	if ('firstUse' in backend) backend.firstUse = false;
	return tf;
}

/** Which wasm binary runs: with SIMD or without; always single-threaded here. */
export async function wasmFlavour(): Promise<string> {
	prepareWasm();
	const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
	return simd ? 'tfjs-backend-wasm-simd.wasm (SIMD, 1 thread)' : 'tfjs-backend-wasm.wasm (no SIMD, 1 thread)';
}
