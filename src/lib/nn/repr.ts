/**
 * Python-style formatting for `extraRepr()`, so `String(model)` prints what `print(model)`
 * prints in PyTorch for the same architecture and a learner can compare the two line by line.
 */

export function pyBool(b: boolean): string {
	return b ? 'True' : 'False';
}

/** A float as Python's `repr` writes it: `0.5`, `1.0`, `1e-05`. */
export function pyFloat(x: number): string {
	if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
	const abs = Math.abs(x);
	if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
		const [mantissa, exp] = x.toExponential().split('e');
		const sign = exp.startsWith('-') ? '-' : '+';
		return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
	}
	const s = String(x);
	return Number.isInteger(x) ? `${s}.0` : s;
}

/** A tuple of ints: `(3, 3)`, `(8,)`. */
export function pyTuple(values: readonly number[]): string {
	return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/** An int-or-pair argument as the user gave it: `2` stays `2`, `[2, 3]` becomes `(2, 3)`. */
export function pyIntOrTuple(value: number | readonly number[]): string {
	return typeof value === 'number' ? String(value) : pyTuple(value);
}
