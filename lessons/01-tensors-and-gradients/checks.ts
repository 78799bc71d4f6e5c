import { allClose, expectTensor, fail, pass, type ExerciseCheck } from '$lib/notebook/exercises';

const list = (values: ArrayLike<number>) => `[${Array.from(values, (v) => +v.toFixed(3)).join(', ')}]`;

export const checks: Record<string, ExerciseCheck> = {
	'weight-frames': {
		check(scope) {
			const x = expectTensor(scope, 'x', { shape: [2, 4, 3] });
			if (!x.ok) return x.result;
			const w = expectTensor(scope, 'w');
			if (!w.ok) return w.result;
			if (w.tensor.size !== 8) return fail(`\`w\` should hold one weight per frame (2 × 4 = 8 numbers); it holds ${w.tensor.size}.`);
			const y = expectTensor(scope, 'y', { shape: [2, 4, 3] });
			if (!y.ok) return y.result;
			const expected = Array.from(x.tensor.data, (v, i) => v * w.tensor.data[Math.floor(i / 3)]);
			if (!allClose(y.tensor.data, expected)) {
				return fail('`y` has the right shape, but its values are not `x` with every feature of frame t scaled by `w[b, t]`.');
			}
			return pass(
				'As [2, 4, 1] the weights broadcast over the 3 features: each frame is scaled by its own weight. Attention weights a clip exactly like this.'
			);
		},
		hint: 'Shapes are compared from the right: [2, 4, 3] against [2, 4] pairs 3 with 4. Give `w` a last dimension of size 1 with `w.unsqueeze(-1)`.',
		solution:
			'const x = randn([2, 4, 3], { rng: new Rng(5) });\nconst w = tensor([\n\t[0.1, 0.2, 0.3, 0.4],\n\t[0.7, 0.1, 0.1, 0.1]\n]);\nconst y = x.mul(w.unsqueeze(-1));\ny'
	},
	'chain-rule': {
		check(scope) {
			const w = expectTensor(scope, 'w', { shape: [3] });
			if (!w.ok) return w.result;
			const x = expectTensor(scope, 'x', { shape: [3] });
			if (!x.ok) return x.result;
			const t = scope.t;
			if (typeof t !== 'number') return fail('`t` should be a number, the target.');
			const byHand = expectTensor(scope, 'byHand', { shape: [3] });
			if (!byHand.ok) return byHand.result;
			const z = Array.from(w.tensor.data).reduce((s, v, i) => s + v * x.tensor.data[i], 0) - t;
			const truth = Array.from(x.tensor.data, (v) => 2 * z * v);
			const grad = w.tensor.grad;
			if (!grad || !allClose(grad.data, truth)) {
				return fail('`w.grad` does not hold the gradient of this loss: keep `loss.backward()` after computing `loss`.');
			}
			if (!allClose(byHand.tensor.data, truth)) {
				return fail(`\`byHand\` is ${list(byHand.tensor.data)}, but autograd found \`w.grad\` = ${list(grad.data)}.`);
			}
			return pass(`byHand = 2z·x = ${list(truth)}, the same as w.grad: autograd is the chain rule, applied op by op.`);
		},
		hint: 'The outer function is z², whose derivative is 2z, not z. The inner one, z = w·x − t, has dz/dw = x.',
		solution:
			'const w = tensor([0.5, -1, 2], { requiresGrad: true });\nconst x = tensor([1, 2, 3]);\nconst t = 2;\nconst loss = w.mul(x).sum().sub(t).square();\nloss.backward();\nconst z = w.mul(x).sum().item() - t;\nconst byHand = x.mul(2 * z);\nbyHand'
	},
	'square-gradient': {
		check(scope) {
			const x = expectTensor(scope, 'x', { shape: [3] });
			if (!x.ok) return x.result;
			if (!allClose(x.tensor.data, [3, -1, 0.5])) return fail('`x` should hold [3, -1, 0.5].');
			const grad = x.tensor.grad;
			if (!grad) {
				return x.tensor.requiresGrad
					? fail('`x.grad` is still null: call `y.backward()` after computing `y`.')
					: fail('`x.grad` is null because `x` does not track gradients: create it with `{ requiresGrad: true }`.');
			}
			const expected = Array.from(x.tensor.data, (v) => 2 * v);
			if (!allClose(grad.data, expected)) {
				return fail(`\`x.grad\` is [${Array.from(grad.data).join(', ')}], but the gradient of Σx² is 2x = [${expected.join(', ')}].`);
			}
			return pass(`x.grad = [${expected.join(', ')}] = 2x, as the derivative of Σx² says.`);
		},
		hint: 'Pass `{ requiresGrad: true }` as the second argument of `tensor(…)`, then call `y.backward()`.',
		solution: 'const x = tensor([3, -1, 0.5], { requiresGrad: true });\nconst y = x.mul(x).sum();\ny.backward();'
	},
	'sharpen-softmax': {
		check(scope) {
			const z = expectTensor(scope, 'z', { shape: [3] });
			if (!z.ok) return z.result;
			const y = expectTensor(scope, 'y', { shape: [3] });
			if (!y.ok) return y.result;
			const expected = z.tensor.softmax(0).data;
			if (!allClose(y.tensor.data, expected)) return fail('`y` should be computed from `z` with `z.softmax(0)`.');
			const last = y.tensor.data[2];
			if (last <= 0.9) {
				return fail(`The last item gets ${last.toFixed(3)} of the weight; it needs more than 0.900.`);
			}
			return pass(`The last item gets ${last.toFixed(3)} of the weight: the gap between scores, not their size, sets the sharpness.`);
		},
		hint: 'Only differences between scores matter: make the last score larger than the others by about 3 or more.',
		solution: 'const z = tensor([0, 0, 4]);\nconst y = z.softmax(0);\ny'
	}
};
