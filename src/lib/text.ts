/**
 * `n word` or `n words`: a count in the page's messages, in English.
 *
 * @example
 * plural(1, 'lesson'); // '1 lesson'
 * plural(3, 'newly solved exercise'); // '3 newly solved exercises'
 */
export function plural(n: number, word: string): string {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}
