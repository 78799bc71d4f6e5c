import { describe, expect, test } from 'vitest';
import { isSafeUrl, renderMarkdown } from '$lib/notebook/markdown';
import { loadLesson } from '$lib/notebook/loader';

const FRONT = '---\ntitle: T\nsummary: S\nobjectives: [o]\ntask: none\n---\n';

describe('lesson markdown cannot inject script', () => {
	const attacks = [
		'<script>alert(1)</script>',
		'<img src=x onerror="alert(1)">',
		'<a href="javascript:alert(1)">x</a>',
		'[x](javascript:alert(1))',
		'[x](JaVaScRiPt:alert(1))',
		'[x]( javascript:alert(1) )',
		'[x](jav&#x09;ascript:alert(1))',
		'[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
		'![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
		'[x](vbscript:msgbox(1))',
		'<javascript:alert(1)>',
		'[x][r]\n\n[r]: javascript:alert(1)',
		'$\\href{javascript:alert(1)}{x}$',
		'$\\htmlClass{x}{y}$ $\\url{javascript:alert(1)}$'
	];

	test.each(attacks)('%s renders with no script, event handler or unsafe link', (source) => {
		const html = renderMarkdown(source);
		expect(html).not.toMatch(/<(script|iframe|object|embed|svg|style|img)\b/i);
		expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
		// Resolve every address as a browser would: only web and mail links may come out.
		for (const [, url] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
			const decoded = url.replace(/&amp;/g, '&').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)));
			expect(new URL(decoded, 'https://glance.test/lessons/').protocol).toMatch(/^(https?|mailto):$/);
		}
	});

	test('raw HTML shows as text, escaped', () => {
		expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
		expect(renderMarkdown('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
	});

	test('a javascript: link stays as its literal text', () => {
		expect(renderMarkdown('[x](javascript:alert(1))')).toBe('<p>[x](javascript:alert(1))</p>\n');
	});

	test('the loader applies the same rules to prose and exercise prompts', () => {
		const source = `${FRONT}<script>alert(1)</script>\n\n[x](javascript:alert(1))\n`;
		const html = loadLesson({ file: 'lessons/01-x/index.md', source })
			.cells.map((c) => (c.kind === 'prose' ? c.html : ''))
			.join('');
		expect(html).not.toMatch(/<script|href="javascript/i);
	});

	test('http, https, mailto and relative links are kept', () => {
		expect(isSafeUrl('https://example.com')).toBe(true);
		expect(isSafeUrl('mailto:a@b.c')).toBe(true);
		expect(isSafeUrl('../02-attention-module')).toBe(true);
		expect(isSafeUrl('#section')).toBe(true);
		expect(renderMarkdown('[next](../attention-module)')).toBe('<p><a href="../attention-module">next</a></p>\n');
	});
});

describe('math in lesson markdown', () => {
	test('$…$ is inline math and $$…$$ display math, typeset by KaTeX with MathML for screen readers', () => {
		const inline = renderMarkdown('Here $a_{ij}$ is a weight.');
		expect(inline).toMatch(/^<p>Here <span class="katex"><span class="katex-mathml"><math/);
		expect(inline).toContain('<annotation encoding="application/x-tex">a_{ij}</annotation>');
		const display = renderMarkdown('$$\n\\sum_j a_{ij} = 1\n$$');
		expect(display).toMatch(/^<div class="math-display"><span class="katex-display">/);
	});

	test('a paragraph line can be followed directly by display math', () => {
		expect(renderMarkdown('Text\n$$x$$\nmore')).toMatch(/^<p>Text<\/p>\n<div class="math-display">.*<\/div>\n<p>more<\/p>\n$/s);
	});

	test('dollar amounts and escaped dollars are not math', () => {
		expect(renderMarkdown('It costs $5 and $10.')).toBe('<p>It costs $5 and $10.</p>\n');
		expect(renderMarkdown('A \\$ sign and another \\$.')).toBe('<p>A $ sign and another $.</p>\n');
		expect(renderMarkdown('An unclosed $x')).toBe('<p>An unclosed $x</p>\n');
	});

	test('math inside code spans is left alone', () => {
		expect(renderMarkdown('`$x$`')).toBe('<p><code>$x$</code></p>\n');
	});

	test('bad TeX shows an inline error instead of failing', () => {
		const html = renderMarkdown('Broken: $\\frac{1}{$ and fine: $x$.');
		expect(html).toContain('class="katex-error"');
		expect(html).toContain('ParseError');
		expect(html).toContain('<annotation encoding="application/x-tex">x</annotation>');
	});
});
