/**
 * "Did you mean" for a misspelt name, shared by the lesson lint and the lesson scaffold. Pure and dependency-free,
 * so a small CLI can use it without loading the lesson parser.
 *
 * @example
 * suggest('clasification', ['classification', 'tracking']); // ' (did you mean "classification"?)'
 */

/** Edit distance between `a` and `b` (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const next = [i];
		for (let j = 1; j <= b.length; j++) next[j] = Math.min(prev[j] + 1, next[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		prev = next;
	}
	return prev[b.length];
}

/** The option closest to `word` when it is a likely typo of it, else null. */
export function closest(word: string, options: readonly string[]): string | null {
	const lower = word.toLowerCase();
	let best: string | null = null;
	let bestDistance = Infinity;
	for (const option of options) {
		const d = distance(lower, option.toLowerCase());
		if (d < bestDistance) [best, bestDistance] = [option, d];
	}
	const other = best?.toLowerCase() ?? '';
	// A typo is a few edits away, or the same word with a part added or left off ("attention-map", "sharpen").
	const close =
		bestDistance <= Math.max(1, Math.floor(word.length / 4)) || (other !== '' && (lower.includes(other) || other.includes(lower)));
	return best !== null && best !== word && close ? best : null;
}

/** ` (did you mean "X"?)` for the option closest to `word` when it is a likely typo of it, else ''. */
export function suggest(word: string, options: readonly string[]): string {
	const best = closest(word, options);
	return best === null ? '' : ` (did you mean "${best}"?)`;
}
