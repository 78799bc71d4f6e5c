import { Tensor } from '../engine/index';
import type { Metrics } from '../train/metrics';
import type { GradsReply, ParamSource } from './protocol';

/**
 * Whether workers can share memory with this thread: always in Node, and in a browser only
 * when the page is cross-origin isolated (otherwise `SharedArrayBuffer` is missing, or cannot
 * be posted to a Worker).
 */
export function canShareMemory(): boolean {
	return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/**
 * Split `indices` into at most `parts` contiguous runs whose lengths differ by at most one,
 * longer runs first; empty runs are dropped, so a batch smaller than the pool uses fewer workers.
 *
 * @example
 * splitContiguous([5, 1, 4, 2, 3], 2); // [[5, 1, 4], [2, 3]]
 */
export function splitContiguous(indices: readonly number[], parts: number): number[][] {
	const base = Math.floor(indices.length / parts);
	const extra = indices.length % parts;
	const out: number[][] = [];
	let start = 0;
	for (let k = 0; k < parts; k++) {
		const n = base + (k < extra ? 1 : 0);
		if (n > 0) out.push(indices.slice(start, start + n));
		start += n;
	}
	return out;
}

/** A shard's reply, with the worker that sent it (whose shared gradient buffer it may have used). */
export interface ShardResult {
	worker: number;
	reply: GradsReply;
}

/**
 * Moves the coordinator's parameters to the replicas and their gradients back, through shared
 * memory when it can (no copies cross threads) and as transferred copies otherwise.
 *
 * Parameters are read from the model at every `source()`, so edits made between steps (a
 * learner changing a weight) reach the replicas at the next step.
 */
export class ParamExchange {
	readonly numel: number;
	private readonly sharedParams: Float32Array | null;
	private readonly sharedGrads = new Map<number, Float32Array>();

	constructor(
		private readonly params: readonly Tensor[],
		readonly shared: boolean
	) {
		this.numel = params.reduce((n, p) => n + p.size, 0);
		this.sharedParams = shared ? new Float32Array(new SharedArrayBuffer(this.numel * 4)) : null;
	}

	/**
	 * Shared buffers for a worker being initialised, or null without shared memory. Each (re)start
	 * of a worker gets a fresh gradient buffer, so a replaced worker still winding down cannot
	 * write into the buffer its successor fills.
	 */
	sharedFor(worker: number): { params: SharedArrayBuffer; grads: SharedArrayBuffer } | null {
		if (!this.sharedParams) return null;
		const grads = new Float32Array(new SharedArrayBuffer(this.numel * 4));
		this.sharedGrads.set(worker, grads);
		return { params: this.sharedParams.buffer as SharedArrayBuffer, grads: grads.buffer as SharedArrayBuffer };
	}

	/**
	 * Where replicas read the current parameters for `count` requests: the shared buffer, freshly
	 * written, or one copy per request (a transferred buffer can go to one worker only).
	 */
	sources(count: number): { source: ParamSource; transfer: ArrayBuffer[] }[] {
		if (this.sharedParams) {
			this.flatten(this.sharedParams);
			return Array.from({ length: count }, () => ({ source: { kind: 'shared' as const }, transfer: [] }));
		}
		return Array.from({ length: count }, () => this.copy());
	}

	/** A private copy of the parameters, for requests that must not see later updates (snapshots). */
	copy(): { source: ParamSource; transfer: ArrayBuffer[] } {
		const data = this.flatten(new Float32Array(this.numel));
		// Never transferred: detaching a buffer halves the speed of every typed-array loop in this isolate (see worker-handler.ts).
		return { source: { kind: 'copy', data }, transfer: [] };
	}

	/**
	 * Set each parameter's `grad` to the batch-mean gradient: shard k's mean gradient weighted by
	 * its share of the batch, summed in float64 in shard order (so the result does not depend on
	 * which reply arrived first). A parameter no replica produced a gradient for keeps none, as in
	 * a single thread, so the optimizer skips it.
	 */
	gather(results: readonly ShardResult[]): void {
		const total = results.reduce((n, r) => n + r.reply.count, 0);
		const acc = new Float64Array(this.numel);
		for (const { worker, reply } of results) {
			const g = reply.grads ?? this.sharedGrads.get(worker);
			if (!g || g.length !== this.numel) throw new Error(`worker ${worker} returned no gradient of ${this.numel} values`);
			const w = reply.count / total;
			for (let j = 0; j < this.numel; j++) acc[j] += w * g[j];
		}
		let offset = 0;
		this.params.forEach((p, i) => {
			const missing = results.every((r) => r.reply.missing.includes(i));
			p.grad = missing ? null : new Tensor(Float32Array.from(acc.subarray(offset, offset + p.size)), p.shape);
			offset += p.size;
		});
	}

	private flatten(out: Float32Array): Float32Array {
		let offset = 0;
		for (const p of this.params) {
			out.set(p.data, offset);
			offset += p.size;
		}
		return out;
	}
}

/** Example-weighted means of each shard's loss and metrics: the batch's, when each shard reports its mean. */
export function weightedMeans(parts: readonly { count: number; loss?: number; metrics: Metrics }[]): Metrics {
	const total = parts.reduce((n, p) => n + p.count, 0);
	const out: Metrics = {};
	for (const part of parts) {
		const values = part.loss === undefined ? part.metrics : { loss: part.loss, ...part.metrics };
		for (const [k, v] of Object.entries(values)) out[k] = (out[k] ?? 0) + (part.count / total) * v;
	}
	return out;
}
