/** A run of a check's message or hint: plain text, or code the author wrote between backticks. */
export interface Span {
	code: boolean;
	text: string;
}

/**
 * Split plain text at backticks, as markdown reads `code`, so messages and hints written in
 * lessons' checks.ts show their code as code. A backtick without a partner stays as it is. The
 * spans are text, never HTML: a check's message cannot inject markup.
 *
 * @example
 * codeSpans('call `y.backward()` first'); // [{code: false, text: 'call '}, {code: true, text: 'y.backward()'}, {code: false, text: ' first'}]
 */
export function codeSpans(text: string): Span[] {
	const parts = text.split('`');
	// An even count of parts means an odd count of backticks: the last one has no partner.
	const paired = parts.length % 2 === 1 ? parts : [...parts.slice(0, -2), `${parts.at(-2)}\`${parts.at(-1)}`];
	return paired.map((part, i) => ({ code: i % 2 === 1, text: part })).filter((s) => s.text !== '');
}
