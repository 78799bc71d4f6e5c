import { describe, expect, expectTypeOf, it } from 'vitest';
import { mseLoss } from '$lib/engine/index';
import type { ReplyMap, ToWorker, WorkerReply, WorkerRequest } from '$lib/parallel/protocol';
import { REPLY_TYPE } from '$lib/parallel/protocol';
import { createWorkerHandler } from '$lib/parallel/worker-handler';
import { CONFIG, flatParams, toyModel } from './helpers';
import { specs, toyRegression } from './toy-spec';

/** A switch over every request type: removing a case makes the `never` assignment a type error. */
function describeRequest(msg: WorkerRequest): string {
	switch (msg.type) {
		case 'init':
		case 'computeGrads':
		case 'evaluate':
		case 'snapshot':
		case 'release':
			return `${msg.type} for session ${msg.session}`;
		case 'ping':
			return 'ping';
		default: {
			const _exhaustive: never = msg;
			return _exhaustive;
		}
	}
}

function missingACase(msg: WorkerRequest): string {
	switch (msg.type) {
		case 'init':
		case 'computeGrads':
		case 'evaluate':
		case 'snapshot':
			return msg.type;
		case 'ping':
			return 'ping';
		default: {
			// @ts-expect-error 'release' is not handled, so msg is not never here.
			const _exhaustive: never = msg;
			return _exhaustive;
		}
	}
}

const layout = () =>
	toyModel()
		.namedParameters()
		.map(([name, p]) => ({ name, shape: [...p.shape] }));
const init = (id: number, session = 1): ToWorker => ({
	type: 'init',
	id,
	session,
	spec: { name: 'toy-regression', config: CONFIG },
	seed: 5,
	layout: layout(),
	shared: null
});

describe('protocol', () => {
	it('pairs every request type with exactly one reply type, checked by the compiler', () => {
		expectTypeOf<keyof ReplyMap>().toEqualTypeOf<WorkerRequest['type']>();
		expectTypeOf<WorkerReply['type']>().toEqualTypeOf<(typeof REPLY_TYPE)[keyof typeof REPLY_TYPE]>();
		expect(Object.keys(REPLY_TYPE).sort()).toEqual(['computeGrads', 'evaluate', 'init', 'ping', 'release', 'snapshot']);
		expect(describeRequest({ type: 'ping' })).toBe('ping');
		expect(missingACase({ type: 'release', session: 1 })).toEqual({ type: 'release', session: 1 });
	});
});

describe('createWorkerHandler', () => {
	it('computes the same gradient in-process as a direct backward pass on the model', () => {
		const handle = createWorkerHandler(specs);
		expect(handle(init(1)).message).toEqual({ type: 'ready', id: 1, trainSize: CONFIG.trainSize, valSize: CONFIG.valSize });
		const model = toyModel();
		const params = flatParams(model);
		const indices = [3, 1, 4, 1, 5];
		const { message, transfer } = handle({
			type: 'computeGrads',
			id: 2,
			session: 1,
			step: 1,
			shard: 0,
			indices,
			params: { kind: 'copy', data: params.slice() }
		});
		if (message.type !== 'grads') throw new Error(`expected grads, got ${JSON.stringify(message)}`);
		const batch = toyRegression.createData(CONFIG).train.getBatch(indices);
		const loss = mseLoss(model.forward(batch.x), batch.y);
		loss.backward();
		const expected = Float32Array.from(model.parameters().flatMap((p) => Array.from(p.grad!.data)));
		expect(message.grads).toEqual(expected);
		expect(message).toMatchObject({ step: 1, count: 5, loss: loss.item(), missing: [] });
		// Copied, never transferred: a detached buffer would slow every kernel in the worker.
		expect(transfer).toEqual([]);
	});

	it('answers a failing request with an error naming its step, and keeps serving', () => {
		const handle = createWorkerHandler(specs);
		const params = { kind: 'copy' as const, data: flatParams(toyModel()) };
		const early = handle({ type: 'computeGrads', id: 1, session: 7, step: 4, shard: 0, indices: [0], params });
		expect(early.message).toEqual({
			type: 'error',
			id: 1,
			step: 4,
			message: 'this worker was not initialised for session 7 (it has none)'
		});
		handle(init(2, 7));
		const bad = handle({ type: 'computeGrads', id: 3, session: 7, step: 5, shard: 0, indices: [500], params });
		expect(bad.message).toMatchObject({ type: 'error', id: 3, step: 5, message: expect.stringMatching(/^tensor: /) });
		expect(handle({ type: 'ping', id: 4 }).message).toEqual({ type: 'pong', id: 4, handled: 4, session: 7 });
	});

	it('rejects a spec it does not know, and a model whose parameters differ from the coordinator’s', () => {
		const handle = createWorkerHandler(specs);
		const unknown = handle({ ...init(1), spec: { name: 'nope', config: {} } } as ToWorker);
		expect(unknown.message).toMatchObject({
			type: 'error',
			step: null,
			message: 'no model spec named nope; this worker knows toy-regression'
		});
		const wider = handle({ ...init(2), spec: { name: 'toy-regression', config: { ...CONFIG, hidden: 8 } } } as ToWorker);
		expect(wider.message).toMatchObject({
			type: 'error',
			message: "spec toy-regression builds a model whose parameter 0 is fc1.weight [8,4], but the coordinator's model has fc1.weight [16,4]"
		});
	});

	it('evaluates in eval mode without grad and releases a session on request', () => {
		const handle = createWorkerHandler(specs);
		handle(init(1));
		const params = { kind: 'copy' as const, data: flatParams(toyModel()) };
		const all = Array.from({ length: 20 }, (_, i) => i);
		const reply = handle({ type: 'evaluate', id: 2, session: 1, step: 0, split: 'val', indices: all, batchSize: 8, params });
		if (reply.message.type !== 'metrics') throw new Error(JSON.stringify(reply.message));
		const model = toyModel();
		const val = toyRegression.createData(CONFIG).val!.getBatch(all);
		expect(reply.message.count).toBe(20);
		// Chunks of 8, 8 and 4 weighted by size: the whole split's mean, to float32 rounding.
		expect(reply.message.metrics.loss).toBeAllclose(mseLoss(model.forward(val.x), val.y).item(), { rtol: 1e-6 });
		expect(handle({ type: 'release', id: 3, session: 1 }).message).toEqual({ type: 'released', id: 3 });
		expect(handle({ type: 'ping', id: 4 }).message).toMatchObject({ session: null });
	});
});
