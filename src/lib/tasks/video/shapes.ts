/**
 * The shapes the classification task flashes, as binary masks on an odd `size × size` grid.
 * Every shape is drawn on the same square patch, so where the patch lands never hints which shape it
 * holds; every shape spans the whole patch in at least one direction, so none can be mistaken for a
 * 2 × 2 distractor dot.
 */
export const SHAPE_NAMES = ['square', 'plus', 'hbar', 'vbar', 'triangle', 'cross', 'ring', 'disc'] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

/** Smallest grid on which the shapes are all different (at 3 the disc is the square and the cross has no arms). */
export const MIN_SHAPE_SIZE = 5;

/**
 * A shape's mask, row-major: `mask[y * size + x]` is 1 inside. Bars and arms are a third of the
 * size thick (rounded to an odd count, so they stay centred).
 *
 * @example
 * shapeMask('plus', 5); // 1 on the middle row and the middle column
 */
export function shapeMask(name: ShapeName, size: number): Uint8Array {
	const mask = new Uint8Array(size * size);
	const c = (size - 1) / 2;
	const half = Math.floor(size / 6);
	const inside = insideTest(name, size, c, half);
	for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) mask[y * size + x] = inside(x, y) ? 1 : 0;
	return mask;
}

function insideTest(name: ShapeName, size: number, c: number, half: number): (x: number, y: number) => boolean {
	const last = size - 1;
	const r = size / 2;
	switch (name) {
		case 'square':
			return () => true;
		case 'plus':
			return (x, y) => Math.abs(x - c) <= half || Math.abs(y - c) <= half;
		case 'hbar':
			return (_x, y) => Math.abs(y - c) <= half;
		case 'vbar':
			return (x) => Math.abs(x - c) <= half;
		case 'triangle':
			return (x, y) => x <= y;
		case 'cross':
			return (x, y) => Math.abs(x - y) <= half || Math.abs(x + y - last) <= half;
		case 'ring':
			return (x, y) => x === 0 || y === 0 || x === last || y === last;
		case 'disc':
			return (x, y) => (x + 0.5 - r) * (x + 0.5 - r) + (y + 0.5 - r) * (y + 0.5 - r) <= r * r;
		default: {
			const _: never = name;
			throw new Error(`unknown shape ${String(_)}`);
		}
	}
}
