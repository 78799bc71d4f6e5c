import { ShapeError, cat, fmtShape, tensor, type Tensor } from '../../engine/index';

/**
 * The centre of every cell of an `h × w` feature map as fractions of the frame, row-major:
 * cell (row i, column j) → `((j + ½) / w, (i + ½) / h)`. A probability map over the cells times
 * this table is the map's expected position (a soft-argmax).
 *
 * Shape: `[h·w, 2]`, columns x then y.
 *
 * @example
 * cellCentres(2, 2).toArray(); // [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]
 */
export function cellCentres(h: number, w: number): Tensor {
	const data = new Float32Array(h * w * 2);
	for (let i = 0; i < h; i++) {
		for (let j = 0; j < w; j++) {
			data[2 * (i * w + j)] = (j + 0.5) / w;
			data[2 * (i * w + j) + 1] = (i + 0.5) / h;
		}
	}
	return tensor(data, { shape: [h * w, 2] });
}

/**
 * For each box, how much of it falls in each cell of an `h × w` grid over the frame, as weights
 * summing to 1 (uniform over the grid if a box covers no cell). Pooling a feature map with these
 * weights averages its features over the box: the tracker's template. Plain data, no gradient.
 *
 * Shape: boxes `[N, 4]` (`x0, y0, x1, y1` as fractions of the frame) → `[N, h·w]`.
 *
 * @example
 * boxMask(tensor([[0, 0, 0.5, 0.5]]), 2, 2).toArray(); // [[1, 0, 0, 0]]
 */
export function boxMask(boxes: Tensor, h: number, w: number): Tensor {
	if (boxes.ndim !== 2 || boxes.shape[1] !== 4) throw new ShapeError('boxMask', `boxes must be [N, 4], got ${fmtShape(boxes.shape)}`);
	const n = boxes.shape[0];
	const out = new Float32Array(n * h * w);
	const overlap = (lo: number, hi: number, a: number, b: number) => Math.max(0, Math.min(hi, b) - Math.max(lo, a));
	for (let k = 0; k < n; k++) {
		const [x0, y0, x1, y1] = boxes.data.subarray(4 * k, 4 * k + 4);
		const row = out.subarray(k * h * w, (k + 1) * h * w);
		let total = 0;
		for (let i = 0; i < h; i++) {
			const oy = overlap(i / h, (i + 1) / h, y0, y1);
			for (let j = 0; j < w; j++) total += row[i * w + j] = oy * overlap(j / w, (j + 1) / w, x0, x1);
		}
		if (total > 0) for (let c = 0; c < h * w; c++) row[c] /= total;
		else row.fill(1 / (h * w));
	}
	return tensor(out, { shape: [n, h * w] });
}

/**
 * Boxes `x0, y0, x1, y1` from centres and sizes (differentiable).
 *
 * Shape: centre `[…, 2]` (x, y) and size `[…, 2]` (width, height) → `[…, 4]`.
 *
 * @example
 * boxFromCentre(tensor([[0.5, 0.5]]), tensor([[0.2, 0.4]])).toArray(); // [[0.4, 0.3, 0.6, 0.7]]
 */
export function boxFromCentre(centre: Tensor, size: Tensor): Tensor {
	const half = size.mul(0.5);
	return cat([centre.sub(half), centre.add(half)], -1);
}

/**
 * Intersection over union of matching boxes, differentiable, for an IoU loss. Uses
 * `min(a, b) = (a + b − |a − b|) / 2` so it needs only primitives; disjoint boxes give 0 (and no
 * gradient, which is why the loss pairs it with a coordinate regression).
 *
 * Shape: a `[…, 4]`, b `[…, 4]` → `[…]`.
 *
 * @example
 * iouTensor(tensor([[0, 0, 2, 2]]), tensor([[1, 0, 3, 2]])).item(); // 1/3
 */
export function iouTensor(a: Tensor, b: Tensor): Tensor {
	if (a.shape.join() !== b.shape.join() || a.shape[a.ndim - 1] !== 4) {
		throw new ShapeError('iouTensor', `boxes must share a shape ending in 4, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
	}
	const coord = (t: Tensor, k: number) => t.select(-1, k);
	const min = (p: Tensor, q: Tensor) => p.add(q).sub(p.sub(q).abs()).mul(0.5);
	const max = (p: Tensor, q: Tensor) => p.add(q).add(p.sub(q).abs()).mul(0.5);
	const side = (k0: number, k1: number) =>
		min(coord(a, k1), coord(b, k1))
			.sub(max(coord(a, k0), coord(b, k0)))
			.relu();
	const inter = side(0, 2).mul(side(1, 3));
	const area = (t: Tensor) =>
		coord(t, 2)
			.sub(coord(t, 0))
			.relu()
			.mul(coord(t, 3).sub(coord(t, 1)).relu());
	// The epsilon keeps two empty boxes from dividing 0 by 0.
	return inter.div(area(a).add(area(b)).sub(inter).add(1e-7));
}
