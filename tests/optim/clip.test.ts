import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '$lib/engine/index';
import { clipGradNorm, gradNorm } from '$lib/optim/index';
import { expectClose, loadFixture } from './fixtures';

interface ClipFixture {
	shapes: number[][];
	grads: number[][];
	cases: { maxNorm: number; normType: number | 'Infinity'; total: number; grads: number[][] }[];
}

const fixture = loadFixture<ClipFixture>('optim/clip.json');

function paramsWithGrads(): Tensor[] {
	return fixture.shapes.map((shape, i) => {
		const p = tensor(new Float32Array(fixture.grads[i].length), { shape, requiresGrad: true });
		p.grad = tensor(fixture.grads[i], { shape });
		return p;
	});
}

describe('clipGradNorm matches torch.nn.utils.clip_grad_norm_', () => {
	for (const c of fixture.cases) {
		it(`maxNorm ${c.maxNorm}, norm ${c.normType}: total norm and clipped gradients match PyTorch`, () => {
			const params = paramsWithGrads();
			const normType = c.normType === 'Infinity' ? Infinity : c.normType;
			expectClose([clipGradNorm(params, c.maxNorm, normType)], [c.total], 'total norm');
			params.forEach((p, i) => expectClose(p.grad!.data, c.grads[i], `grad ${i}`));
		});
	}
});

describe('clipGradNorm', () => {
	it('scales a gradient shared by two leaves once, not twice', () => {
		const a = tensor([3, 0], { requiresGrad: true });
		const b = tensor([0, 0], { requiresGrad: true });
		a.add(b).sum().backward();
		const total = clipGradNorm([a, b], 1);
		expect(total).toBeCloseTo(2, 12);
		expectClose(a.grad!.data, [0.5, 0.5], 'a.grad', 1e-6);
		expectClose(b.grad!.data, [0.5, 0.5], 'b.grad', 1e-6);
	});

	it('returns 0 and changes nothing when no parameter has a gradient', () => {
		expect(clipGradNorm([tensor([1], { requiresGrad: true })], 1)).toBe(0);
	});

	it('reports a NaN norm when a gradient holds NaN, as PyTorch does', () => {
		const p = tensor([1, 2], { requiresGrad: true });
		p.grad = tensor([NaN, 1]);
		expect(gradNorm([p], Infinity)).toBeNaN();
		expect(clipGradNorm([p], 1)).toBeNaN();
	});
});
