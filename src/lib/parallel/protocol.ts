/**
 * Every message between a coordinator and its workers, as one discriminated union that both
 * sides import. Requests carry an `id` that the pool assigns and the reply echoes, so each
 * reply finds its request even when an abandoned step's replies arrive late.
 *
 * Parameters travel one of two ways (`ParamSource`): in a `SharedArrayBuffer` that every
 * replica reads (when the page is cross-origin isolated, and always in Node), or as a copy
 * transferred with each request. Gradients come back the same way: written into the worker's
 * own shared buffer, or transferred with the reply.
 */
import type { Metrics } from '../train/metrics';
import type { SpecRef } from '../train/model-spec';

/** One parameter of the coordinator's model, in `namedParameters()` order: replicas must match it exactly. */
export interface ParamEntry {
	name: string;
	shape: number[];
}

/** Where a replica reads the parameters for a request. */
export type ParamSource = { kind: 'shared' } | { kind: 'copy'; data: Float32Array };

export type SplitName = 'train' | 'val';

/** Build a replica of `spec` and its data; it replaces any earlier session of the worker. */
export interface InitRequest {
	type: 'init';
	session: number;
	spec: SpecRef;
	/** Seeds the replica's randomness (dropout) per step and shard; see `streamSeed` in the handler. */
	seed: number;
	layout: ParamEntry[];
	/** Shared memory for this session, or null to exchange copies. */
	shared: { params: SharedArrayBuffer; grads: SharedArrayBuffer } | null;
}

/** Gradients of the mean loss over `indices` of the training split, at the given parameters. */
export interface ComputeGradsRequest {
	type: 'computeGrads';
	session: number;
	step: number;
	/** This shard's position in the batch, which seeds its randomness. */
	shard: number;
	indices: number[];
	params: ParamSource;
}

/** Example-weighted mean loss and metrics over `indices`, in eval mode, `batchSize` examples at a time. */
export interface EvaluateRequest {
	type: 'evaluate';
	session: number;
	/** The last step applied, for error messages. */
	step: number;
	split: SplitName;
	indices: number[];
	batchSize: number;
	params: ParamSource;
}

/** The spec's `snapshot` tensors for `indices`, in eval mode. */
export interface SnapshotRequest {
	type: 'snapshot';
	session: number;
	step: number;
	split: SplitName;
	indices: number[];
	params: ParamSource;
}

/** Liveness and identity: a worker counts the messages it handled, so reuse is observable. */
export interface PingRequest {
	type: 'ping';
}

/** Drop the session's replica and data; the worker stays up for the next session. */
export interface ReleaseRequest {
	type: 'release';
	session: number;
}

export type WorkerRequest = InitRequest | ComputeGradsRequest | EvaluateRequest | SnapshotRequest | PingRequest | ReleaseRequest;

export interface ReadyReply {
	type: 'ready';
	trainSize: number;
	valSize: number;
}

export interface GradsReply {
	type: 'grads';
	step: number;
	/** Examples in the shard: the coordinator weights this shard's mean by count / batch size. */
	count: number;
	loss: number;
	metrics: Metrics;
	/** The flat gradient in `layout` order, or null when it was written to the shared buffer. */
	grads: Float32Array | null;
	/** Positions in `layout` of parameters the loss does not reach (no gradient, written as zeros). */
	missing: number[];
}

export interface MetricsReply {
	type: 'metrics';
	count: number;
	/** Means over the examples, `loss` included. */
	metrics: Metrics;
}

export interface SnapshotTensor {
	name: string;
	shape: number[];
	data: Float32Array;
}

export interface SnapshotReply {
	type: 'snapshot';
	step: number;
	tensors: SnapshotTensor[];
}

export interface PongReply {
	type: 'pong';
	/** Messages this worker has handled since it started, this ping included. */
	handled: number;
	session: number | null;
}

export interface ReleasedReply {
	type: 'released';
}

/** A request failed inside the worker; the worker itself is still running. */
export interface ErrorReply {
	type: 'error';
	/** The step the request belonged to, when it had one. */
	step: number | null;
	message: string;
}

/** The reply each request type gets when it succeeds. */
export interface ReplyMap {
	init: ReadyReply;
	computeGrads: GradsReply;
	evaluate: MetricsReply;
	snapshot: SnapshotReply;
	ping: PongReply;
	release: ReleasedReply;
}

export type WorkerReply = ReplyMap[keyof ReplyMap];
export type ReplyTo<T extends WorkerRequest['type']> = ReplyMap[T];

/** Coordinator → worker. */
export type ToWorker = WorkerRequest & { id: number };
/** Worker → coordinator: a request's reply or its error, with the request's id. */
export type FromWorker = (WorkerReply | ErrorReply) & { id: number };

/** The reply type each request expects, so the pool can reject a reply that does not fit its request. */
export const REPLY_TYPE: { readonly [K in keyof ReplyMap]: ReplyMap[K]['type'] } = {
	init: 'ready',
	computeGrads: 'grads',
	evaluate: 'metrics',
	snapshot: 'snapshot',
	ping: 'pong',
	release: 'released'
};
