import { describe, expect, it } from 'vitest';
import { TrainClient, inProcessSession } from '$lib/parallel/train-client';
import type { FromSession } from '$lib/parallel/train-protocol';
import { SLOW, SMALL } from './train-session-helpers';

const noPool = () => {
	throw new Error('a one-worker run needs no pool');
};

describe('TrainClient', { timeout: SLOW }, () => {
	it("passes on only the current run's messages, so a restart drops the old run's late ones", async () => {
		const seen: FromSession[] = [];
		let resolveDone: () => void = () => {};
		const done = new Promise<void>((resolve) => (resolveDone = resolve));
		const client = new TrainClient(inProcessSession(noPool), (m) => {
			seen.push(m);
			if (m.type === 'status' && m.status === 'done') resolveDone();
		});
		client.send({ type: 'start', config: SMALL, workers: 1, params: null });
		client.send({ type: 'start', config: { ...SMALL, seed: 9 }, workers: 1, params: null });
		await done;
		const runs = new Set(seen.flatMap((m) => ('run' in m ? [m.run] : [])));
		expect(runs.size).toBe(1);
		const steps = seen.flatMap((m) => (m.type === 'progress' ? m.points.map((p) => p.step) : []));
		expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
		client.terminate();
		expect(client.alive).toBe(false);
	});

	it('passes on a refusal, and the run after it', async () => {
		const seen: FromSession[] = [];
		const client = new TrainClient(inProcessSession(noPool), (m) => seen.push(m));
		client.send({ type: 'start', config: SMALL, workers: 1, params: new Float32Array(2) });
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(seen.at(-1)).toMatchObject({ type: 'refused', command: 'start' });
		client.terminate();
	});
});
