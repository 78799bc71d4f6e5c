import { allClose, expectTensor, fail, pass, type ExerciseCheck } from '$lib/notebook/exercises';

export const checks: Record<string, ExerciseCheck> = {
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
