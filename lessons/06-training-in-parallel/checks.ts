import { Tensor, cat, crossEntropy } from '$lib/engine';
import { Linear } from '$lib/nn';
import { allClose, expectTensor, fail, pass, type ExerciseCheck } from '$lib/notebook/exercises';

const fmt = (values: ArrayLike<number>) => `[${Array.from(values, (v) => v.toFixed(2)).join(', ')}]`;

/** The measurement the `speedup` and `amdahl` exercises start from: seconds per epoch with 1, 2, 4 and 8 workers. */
const SECONDS = [12.4, 7.1, 4.6, 4.1];
const WORKERS = [1, 2, 4, 8];

export const checks: Record<string, ExerciseCheck> = {
	'shard-batch': {
		check(scope) {
			const x = expectTensor(scope, 'x', { shape: [10, 4] });
			if (!x.ok) return x.result;
			const shards = scope.shards;
			if (!Array.isArray(shards) || !shards.every((s) => s instanceof Tensor)) return fail('`shards` should be an array of tensors.');
			if (shards.length !== 3) return fail(`\`shards\` has ${shards.length} pieces; make one per worker, 3.`);
			const sizes = shards.map((s: Tensor) => (s.ndim === 2 && s.shape[1] === 4 ? s.shape[0] : -1));
			if (sizes.includes(-1)) return fail('Every shard should keep the examples whole: shape [n, 4].');
			const total = sizes.reduce((a, b) => a + b, 0);
			if (total !== 10) {
				return fail(
					`The shards hold ${sizes.join(' + ')} = ${total} examples, not 10: ${total < 10 ? `${10 - total} example(s) would never be trained on` : 'some examples are counted twice'}.`
				);
			}
			if (!allClose(cat(shards, 0).data, x.tensor.data, 0))
				return fail('Put back together in order, the shards are not `x`: each must be the next contiguous slice.');
			if (Math.max(...sizes) - Math.min(...sizes) > 1) {
				return fail(`Shard sizes ${sizes.join(', ')} differ by more than one: the step waits for the worker with the biggest shard.`);
			}
			return pass(`Shards of ${sizes.join(', ')}: every example exactly once, and no worker with more than one extra.`);
		},
		hint: '10 = 3 · 3 + 1: the first `10 % 3` shards get one extra example. Keep a running `start` and slice `x.slice(0, start, start + n)` for each size n.',
		solution:
			'const x = randn([10, 4], { rng: new Rng(0) });\nconst workers = 3;\nconst base = Math.floor(x.shape[0] / workers);\nconst extra = x.shape[0] % workers;\nconst shards = [];\nlet start = 0;\nfor (let k = 0; k < workers; k++) {\n\tconst n = base + (k < extra ? 1 : 0);\n\tshards.push(x.slice(0, start, start + n));\n\tstart += n;\n}\nshards.map((shard) => shard.shape[0])'
	},
	'average-gradients': {
		check(scope) {
			const model = scope.model;
			if (!(model instanceof Linear) || model.inFeatures !== 4 || model.outFeatures !== 3) {
				return fail('`model` should be the `nn.Linear(4, 3)` the starter made.');
			}
			const x = expectTensor(scope, 'x', { shape: [10, 4] });
			if (!x.ok) return x.result;
			const labels = expectTensor(scope, 'labels', { shape: [10] });
			if (!labels.ok) return labels.result;
			const averaged = expectTensor(scope, 'averaged', { shape: [3, 4] });
			if (!averaged.ok) return averaged.result;
			const saved = model.parameters().map((p) => p.grad);
			model.zeroGrad();
			crossEntropy(model.forward(x.tensor), labels.tensor).backward();
			const full = model.weight.grad!.clone();
			model.parameters().forEach((p, i) => (p.grad = saved[i]));
			if (!allClose(averaged.tensor.data, full.data)) {
				const gap = Math.max(...Array.from(full.data, (v, i) => Math.abs(v - averaged.tensor.data[i])));
				return fail(
					`\`averaged\` differs from the full-batch gradient by up to ${gap.toFixed(4)}. A plain mean treats the 4-example shard like the 3-example ones.`
				);
			}
			return pass(
				"`averaged` equals the gradient of the whole batch's mean loss: Σ (n_k / n) g_k, so the workers take exactly the one-thread step."
			);
		},
		hint: 'Weight shard k by its share of the batch, `sizes[k] / 10`, before adding: `shardGrads.map((g, k) => g.mul(sizes[k] / 10))`, then sum those.',
		solution:
			'const model = new nn.Linear(4, 3, { rng: new Rng(1) });\nconst x = randn([10, 4], { rng: new Rng(2) });\nconst labels = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);\nconst sizes = [4, 3, 3];\nconst shardGrads = [];\nlet start = 0;\nfor (const n of sizes) {\n\tmodel.zeroGrad();\n\tconst shard = x.slice(0, start, start + n);\n\tconst shardLabels = labels.slice(0, start, start + n);\n\tcrossEntropy(model.forward(shard), shardLabels).backward();\n\tshardGrads.push(model.weight.grad.clone());\n\tstart += n;\n}\nconst total = sizes.reduce((a, b) => a + b, 0);\nconst weighted = shardGrads.map((g, k) => g.mul(sizes[k] / total));\nconst averaged = weighted.reduce((sum, g) => sum.add(g));\naveraged'
	},
	speedup: {
		check(scope) {
			const seconds = expectTensor(scope, 'seconds', { shape: [4] });
			if (!seconds.ok) return seconds.result;
			if (!allClose(seconds.tensor.data, SECONDS)) return fail(`Keep the measured \`seconds\`, ${fmt(SECONDS)}.`);
			const speedup = expectTensor(scope, 'speedup', { shape: [4] });
			if (!speedup.ok) return speedup.result;
			const truth = SECONDS.map((t) => SECONDS[0] / t);
			if (!allClose(speedup.tensor.data, truth)) {
				const inverted = allClose(
					speedup.tensor.data,
					SECONDS.map((t) => t / SECONDS[0])
				);
				return fail(
					`\`speedup\` is ${fmt(speedup.tensor.data)}${inverted ? ': the time ratio upside down, so more workers look slower' : ''}. It should be t₁ / t_K.`
				);
			}
			const efficiency = expectTensor(scope, 'efficiency', { shape: [4] });
			if (!efficiency.ok) return efficiency.result;
			const eff = truth.map((s, i) => s / WORKERS[i]);
			if (!allClose(efficiency.tensor.data, eff))
				return fail(`\`efficiency\` is ${fmt(efficiency.tensor.data)}; it should be the speed-up over the number of workers.`);
			return pass(`Speed-up ${fmt(truth)}, efficiency ${fmt(eff)}: each worker added buys less than the one before.`);
		},
		hint: 'Speed-up is how many times faster: the one-worker time divided by each time, `seconds.select(0, 0).div(seconds)`.',
		solution:
			'const workers = tensor([1, 2, 4, 8]);\nconst seconds = tensor([12.4, 7.1, 4.6, 4.1]);\nconst speedup = seconds.select(0, 0).div(seconds);\nconst efficiency = speedup.div(workers);\nspeedup'
	},
	amdahl: {
		check(scope) {
			const { serial, predicted8 } = scope;
			if (typeof serial !== 'number' || typeof predicted8 !== 'number') return fail('`serial` and `predicted8` should both be numbers.');
			const S4 = SECONDS[0] / SECONDS[2];
			const truth = (4 / S4 - 1) / 3;
			if (Math.abs(serial - truth) > 1e-4)
				return fail(
					`\`serial\` is ${serial.toFixed(3)}; solving Amdahl's law for s at K = 4, S₄ = ${S4.toFixed(2)} gives ${truth.toFixed(3)}.`
				);
			const predicted = 1 / (truth + (1 - truth) / 8);
			if (Math.abs(predicted8 - predicted) > 1e-4) return fail(`\`predicted8\` should be 1 / (s + (1 − s) / 8) = ${predicted.toFixed(2)}.`);
			const measured = SECONDS[0] / SECONDS[3];
			return pass(
				`s = ${truth.toFixed(3)}: Amdahl predicts ${predicted.toFixed(2)}× at 8 workers, but ${measured.toFixed(2)}× was measured. The rest is coordination that grows with the number of workers.`
			);
		},
		hint: 'Amdahl: S = 1 / (s + (1 − s)/K). Solve for s: s = (K / S − 1) / (K − 1). Check your formula at S = K (no serial part): it must give 0.',
		solution:
			'const S4 = 12.4 / 4.6;\nconst K = 4;\nconst serial = (K / S4 - 1) / (K - 1);\nconst predicted8 = 1 / (serial + (1 - serial) / 8);\n[serial, predicted8]'
	}
};
