import { manualSeed, noGrad, fmtShape } from '../engine/index';
import type { Module, Parameter } from '../nn/module';
import { MetricsMean } from '../train/metrics';
import { resolveSpec, type AnyModelSpec, type SpecData, type SpecTable } from '../train/model-spec';
import { streamSeed } from '../tasks/video/dataset';
import type {
	ComputeGradsRequest,
	EvaluateRequest,
	FromWorker,
	GradsReply,
	InitRequest,
	MetricsReply,
	ParamSource,
	SnapshotReply,
	SnapshotRequest,
	SplitName,
	ToWorker,
	WorkerReply
} from './protocol';

/** A reply ready to post, with the buffers to transfer rather than copy. */
export interface Outgoing {
	message: FromWorker;
	transfer: ArrayBuffer[];
}

interface Replica {
	session: number;
	spec: AnyModelSpec;
	model: Module;
	params: Parameter[];
	data: SpecData<unknown>;
	seed: number;
	/** Views of the session's shared memory, when it has some. */
	sharedParams: Float32Array | null;
	sharedGrads: Float32Array | null;
	numel: number;
}

/**
 * The whole of a worker's behaviour as a pure function from request to reply, so it runs the
 * same in a browser Worker, a Node worker thread and in-process in tests. A request that
 * throws becomes an `error` reply naming its step; the worker keeps running.
 *
 * Randomness: before each shard the default generator is reseeded from (seed, step, shard),
 * so a run with dropout is reproducible for a given number of workers. It cannot match a
 * single thread, which draws one mask for the whole batch; deterministic models match to
 * float32 rounding. Modules given their own `rng` are not reseeded.
 *
 * @example
 * const handle = createWorkerHandler(specTable(regressionSpec));
 * self.onmessage = (e) => { const { message, transfer } = handle(e.data); self.postMessage(message, transfer); };
 */
export function createWorkerHandler(specs: SpecTable): (msg: ToWorker) => Outgoing {
	let replica: Replica | null = null;
	let handled = 0;

	const current = (session: number): Replica => {
		if (replica?.session === session) return replica;
		const has = replica ? `it holds session ${replica.session}` : 'it has none';
		throw new Error(`this worker was not initialised for session ${session} (${has})`);
	};

	const reply = (id: number, body: WorkerReply, transfer: ArrayBuffer[] = []): Outgoing => ({ message: { ...body, id }, transfer });

	return (msg) => {
		handled++;
		try {
			switch (msg.type) {
				case 'init':
					// Drop the old replica first: its memory is freed, and a failed build leaves no stale session behind.
					replica = null;
					replica = buildReplica(specs, msg);
					return reply(msg.id, { type: 'ready', trainSize: replica.data.train.size, valSize: replica.data.val?.size ?? 0 });
				case 'computeGrads': {
					const { body, transfer } = computeGrads(current(msg.session), msg);
					return reply(msg.id, body, transfer);
				}
				case 'evaluate':
					return reply(msg.id, evaluate(current(msg.session), msg));
				case 'snapshot': {
					const body = snapshot(current(msg.session), msg);
					return reply(
						msg.id,
						body,
						body.tensors.map(({ data }) => data.buffer as ArrayBuffer)
					);
				}
				case 'ping':
					return reply(msg.id, { type: 'pong', handled, session: replica?.session ?? null });
				case 'release':
					if (replica?.session === msg.session) replica = null;
					return reply(msg.id, { type: 'released' });
				default: {
					const _exhaustive: never = msg;
					throw new Error(`unknown message ${JSON.stringify(_exhaustive)}`);
				}
			}
		} catch (err) {
			const step = 'step' in msg ? msg.step : null;
			return { message: { type: 'error', id: msg.id, step, message: err instanceof Error ? err.message : String(err) }, transfer: [] };
		}
	};
}

/** The shard's mean-loss gradient, flat in layout order: into shared memory, or a fresh buffer to post. */
function computeGrads(r: Replica, msg: ComputeGradsRequest): { body: GradsReply; transfer: ArrayBuffer[] } {
	loadParams(r, msg.params);
	r.model.train();
	r.model.zeroGrad();
	manualSeed(streamSeed(r.seed, msg.step, msg.shard));
	const out = r.spec.lossFn(r.model, split(r, 'train').getBatch(msg.indices));
	const loss = out.loss.item();
	out.loss.backward();
	const grads = r.sharedGrads ?? new Float32Array(r.numel);
	const missing: number[] = [];
	let offset = 0;
	r.params.forEach((p, i) => {
		if (p.grad) grads.set(p.grad.data, offset);
		else {
			grads.fill(0, offset, offset + p.size);
			missing.push(i);
		}
		offset += p.size;
	});
	const own = r.sharedGrads ? null : grads;
	const body: GradsReply = {
		type: 'grads',
		step: msg.step,
		count: msg.indices.length,
		loss,
		metrics: out.metrics ?? {},
		grads: own,
		missing
	};
	// Copied, not transferred: once a V8 isolate has detached any ArrayBuffer, every typed-array access
	// pays an extra check and the matmul kernel runs at about half speed. A copy costs one memcpy.
	return { body, transfer: [] };
}

function evaluate(r: Replica, msg: EvaluateRequest): MetricsReply {
	loadParams(r, msg.params);
	const data = split(r, msg.split);
	const means = new MetricsMean();
	inEvalMode(r.model, () => {
		for (let start = 0; start < msg.indices.length; start += msg.batchSize) {
			const chunk = msg.indices.slice(start, start + msg.batchSize);
			const out = r.spec.lossFn(r.model, data.getBatch(chunk));
			means.add({ loss: out.loss.item(), ...out.metrics }, chunk.length);
		}
	});
	return { type: 'metrics', count: msg.indices.length, metrics: means.get() };
}

function snapshot(r: Replica, msg: SnapshotRequest): SnapshotReply {
	const take = r.spec.snapshot;
	if (!take) throw new Error(`model spec ${r.spec.name} has no snapshot function`);
	loadParams(r, msg.params);
	const batch = split(r, msg.split).getBatch(msg.indices);
	const out = inEvalMode(r.model, () => take(r.model, batch));
	// Copies: a tensor may view a buffer the model keeps, which transferring would detach.
	const tensors = Object.entries(out).map(([name, t]) => ({ name, shape: [...t.shape], data: Float32Array.from(t.data) }));
	return { type: 'snapshot', step: msg.step, tensors };
}

/** The spec's model and data, checked against the coordinator's parameter layout. */
function buildReplica(specs: SpecTable, { session, spec: ref, seed, layout, shared }: InitRequest): Replica {
	const spec = resolveSpec(specs, ref);
	const model: Module = spec.createModel(ref.config, seed);
	const named = model.namedParameters();
	const mine = named.map(([name, p]) => `${name} ${fmtShape(p.shape)}`);
	const theirs = layout.map((e) => `${e.name} ${fmtShape(e.shape)}`);
	const differ = mine.findIndex((m, i) => m !== theirs[i]);
	if (differ >= 0 || mine.length !== theirs.length) {
		const at = differ >= 0 ? differ : Math.min(mine.length, theirs.length);
		throw new Error(
			`spec ${spec.name} builds a model whose parameter ${at} is ${mine[at] ?? 'missing'}, ` +
				`but the coordinator's model has ${theirs[at] ?? 'no such parameter'}`
		);
	}
	const params = named.map(([, p]) => p);
	const numel = params.reduce((n, p) => n + p.size, 0);
	const view = (buf: SharedArrayBuffer) => {
		if (buf.byteLength !== numel * 4) throw new Error(`shared buffer holds ${buf.byteLength / 4} values, the model has ${numel}`);
		return new Float32Array(buf);
	};
	return {
		session,
		spec,
		model,
		params,
		data: spec.createData(ref.config),
		seed,
		sharedParams: shared && view(shared.params),
		sharedGrads: shared && view(shared.grads),
		numel
	};
}

function loadParams(r: Replica, source: ParamSource): void {
	const flat = source.kind === 'copy' ? source.data : r.sharedParams;
	if (!flat) throw new Error('parameters were to be read from shared memory, but this session has none');
	if (flat.length !== r.numel) throw new Error(`received ${flat.length} parameter values, the model has ${r.numel}`);
	let offset = 0;
	for (const p of r.params) {
		p.data.set(flat.subarray(offset, offset + p.size));
		offset += p.size;
	}
}

function split(r: Replica, name: SplitName) {
	const data = name === 'train' ? r.data.train : r.data.val;
	if (!data) throw new Error(`model spec ${r.spec.name} has no ${name} split`);
	return data;
}

function inEvalMode<T>(model: Module, fn: () => T): T {
	model.eval();
	try {
		return noGrad(fn);
	} finally {
		model.train();
	}
}
