/**
 * Lesson prose to HTML: CommonMark (markdown-it) with `$…$` and `$$…$$` math typeset by KaTeX.
 *
 * Lessons are written by teachers, so their HTML must never run script: raw HTML is escaped
 * (`html: false`), links and images may only point to http(s), mailto or relative addresses,
 * and KaTeX runs untrusted (no `\href`, `\htmlClass`, …). Bad TeX renders as an inline error
 * in the page instead of failing the build.
 *
 * @example
 * renderMarkdown('Weights sum to one: $\\sum_j a_{ij} = 1$.');
 */
import katex from 'katex';
import MarkdownIt, { type Env, type MarkdownIt as Markdown, type StateBlock, type StateInline, type Token } from 'markdown-it';

const DOLLAR = 0x24;
const BACKSLASH = 0x5c;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

// Schemes a lesson may link to; anything else with a scheme (javascript:, data:, vbscript:, file:) is refused.
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** A link or image address a lesson may use: relative, or one of the safe schemes. */
export function isSafeUrl(url: string): boolean {
	const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
	return scheme === null || SAFE_SCHEMES.has(scheme[1].toLowerCase());
}

function tex(source: string, displayMode: boolean): string {
	try {
		return katex.renderToString(source, { displayMode, throwOnError: false, strict: 'ignore', trust: false, output: 'htmlAndMathml' });
	} catch (e) {
		// throwOnError only covers parse errors; anything else still must not take the lesson down.
		const message = e instanceof Error ? e.message : String(e);
		return `<code class="math-error" title="${escapeHtml(message)}">${escapeHtml(source)}</code>`;
	}
}

export function escapeHtml(s: string): string {
	return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `$…$` inline and `$$…$$` display math inside a paragraph. Like Pandoc, an inline opener must
 * not be followed by a space and a closer must not follow a space or precede a digit, so
 * "it costs $5 and $10" stays text. `\$` is a literal dollar.
 */
function mathInline(state: StateInline, silent: boolean): boolean {
	const { src, pos, posMax } = state;
	if (src.charCodeAt(pos) !== DOLLAR) return false;
	const display = src.charCodeAt(pos + 1) === DOLLAR;
	const marker = display ? '$$' : '$';
	const start = pos + marker.length;
	if (start >= posMax || (!display && isSpace(src.charCodeAt(start)))) return false;
	let end = src.indexOf(marker, start);
	while (end !== -1 && end < posMax) {
		const escaped = src.charCodeAt(end - 1) === BACKSLASH;
		const badCloser = !display && (isSpace(src.charCodeAt(end - 1)) || isDigit(src.charCodeAt(end + 1)));
		if (!escaped && !badCloser) break;
		end = src.indexOf(marker, end + 1);
	}
	if (end === -1 || end >= posMax || end === start) return false;
	if (!silent) {
		const token = state.push(display ? 'math_display' : 'math_inline', 'math', 0);
		token.content = src.slice(start, end);
		token.markup = marker;
	}
	state.pos = end + marker.length;
	return true;
}

/** A paragraph of display math: from a line starting with `$$` to a line ending with `$$`. */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
	const lineText = (line: number) => state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
	if (state.sCount[startLine] - state.blkIndent >= 4) return false;
	const first = lineText(startLine);
	if (!first.startsWith('$$')) return false;
	const lines = [first.slice(2)];
	let last = startLine;
	let closed = lines[0].trimEnd().endsWith('$$');
	while (!closed && ++last < endLine) {
		const text = lineText(last);
		// A blank line or a dedent out of the enclosing list/quote ends the block unclosed.
		if (text.trim() === '' || state.sCount[last] < state.blkIndent) break;
		lines.push(text);
		closed = text.trimEnd().endsWith('$$');
	}
	if (!closed) return false;
	if (silent) return true;
	const body = lines.join('\n').trimEnd();
	const token = state.push('math_block', 'math', 0);
	token.block = true;
	token.content = body.slice(0, -2).trim();
	token.markup = '$$';
	token.map = [startLine, last + 1];
	state.line = last + 1;
	return true;
}

function createMarkdown(): Markdown {
	const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
	md.validateLink = isSafeUrl;
	md.inline.ruler.after('escape', 'math_inline', mathInline);
	md.block.ruler.after('blockquote', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
	md.renderer.rules.math_inline = (tokens: Token[], i: number) => tex(tokens[i].content, false);
	md.renderer.rules.math_display = (tokens: Token[], i: number) => tex(tokens[i].content, true);
	md.renderer.rules.math_block = (tokens: Token[], i: number) => `<div class="math-display">${tex(tokens[i].content, true)}</div>\n`;
	return md;
}

export const markdown = createMarkdown();

/**
 * Render lesson markdown to safe HTML. Pass the `env` of an earlier `markdown.parse` of the
 * whole lesson so reference-style links defined anywhere in it resolve.
 */
export function renderMarkdown(source: string, env: Env = {}): string {
	return markdown.render(source, env);
}
