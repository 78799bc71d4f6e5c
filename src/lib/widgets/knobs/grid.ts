/**
 * A parameter tensor laid out as a 2-D grid for the weight editor: the first axis as rows and all the
 * others flattened into columns, shown a window at a time when it is large.
 *
 * @example
 * gridShape([16, 8, 3, 3]); // [16, 72]
 * cellName('encoder.conv2.weight', [16, 8, 3, 3], 75); // 'encoder.conv2.weight[1, 0, 1, 0]'
 */

/** Largest window shown at once: enough to read a 32-wide hidden layer whole, small enough to click on a phone. */
export const WINDOW_ROWS = 32;
export const WINDOW_COLS = 32;

export function gridShape(shape: readonly number[]): [rows: number, cols: number] {
	if (shape.length === 0) return [1, 1];
	if (shape.length === 1) return [1, shape[0]];
	return [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
}

/** The full index of flat position `index` in a tensor of `shape`, row-major. */
export function unravel(shape: readonly number[], index: number): number[] {
	const out = new Array<number>(shape.length);
	for (let d = shape.length - 1; d >= 0; d--) {
		out[d] = index % shape[d];
		index = Math.floor(index / shape[d]);
	}
	return out;
}

export function cellName(name: string, shape: readonly number[], index: number): string {
	return `${name}[${unravel(shape, index).join(', ')}]`;
}

/** The window of a grid whose top-left cell is (`row0`, `col0`), clamped to the grid. */
export function windowAt(rows: number, cols: number, row0: number, col0: number) {
	const r0 = Math.max(0, Math.min(row0, Math.max(0, rows - 1)));
	const c0 = Math.max(0, Math.min(col0, Math.max(0, cols - 1)));
	return { row0: r0, col0: c0, rows: Math.min(WINDOW_ROWS, rows - r0), cols: Math.min(WINDOW_COLS, cols - c0) };
}

/** The parameter to show first: the smallest with at least two axes (a weight matrix), else the first. */
export function defaultParam(layout: readonly { name: string; shape: readonly number[]; size: number }[]): string | undefined {
	const matrices = layout.filter((p) => p.shape.length >= 2).sort((a, b) => a.size - b.size);
	return (matrices[0] ?? layout[0])?.name;
}

/** Parse a weight typed by the learner; a reason when it is not a finite number. */
export function parseWeight(text: string): { ok: true; value: number } | { ok: false; error: string } {
	const trimmed = text.trim().replace(/^−/, '-');
	const value = trimmed === '' ? NaN : Number(trimmed);
	return Number.isFinite(value) ? { ok: true, value } : { ok: false, error: 'a weight must be a finite number' };
}
