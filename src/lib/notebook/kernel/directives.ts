/**
 * Directives a cell states in its leading comments. Kept apart from compile.ts so the page can read
 * them without bundling the compiler (sucrase and acorn run only in the kernel Worker).
 */

/** A cell's timeout request: `// @timeout 30s` (or `500ms`, `2m`) in its leading comment lines. */
export function timeoutDirective(source: string): number | null {
	for (const raw of source.split('\n')) {
		const line = raw.trim();
		if (line === '') continue;
		if (!line.startsWith('//')) return null;
		const m = /^\/\/\s*@timeout\s+(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(line);
		if (m) return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
	}
	return null;
}
