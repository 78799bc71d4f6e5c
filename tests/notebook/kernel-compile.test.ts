import { describe, expect, test } from 'vitest';
import { CellCompileError, compileCell, errorPosition } from '$lib/notebook/kernel/compile';
import { timeoutDirective } from '$lib/notebook/kernel/directives';
import type { Lang } from '$lib/notebook/kernel/protocol';

type CellFn = (...args: unknown[]) => Promise<{ value: unknown; scope: Record<string, unknown> }>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => CellFn;

/** Run cells in order the way the kernel does: each gets the previous cells' variables as parameters. */
async function runCells(cells: string[], lang: Lang = 'js') {
	let scope: Record<string, unknown> = {};
	let value: unknown;
	for (const [i, source] of cells.entries()) {
		const { body } = compileCell(source, lang, { carry: Object.keys(scope), sourceURL: `test-cell-${i}.js` });
		const names = Object.keys(scope);
		({ value, scope } = await new AsyncFunction(...names, body)(...names.map((n) => scope[n])));
	}
	return { value, scope };
}

function compileError(source: string, lang: Lang = 'js'): CellCompileError {
	try {
		compileCell(source, lang, { carry: [], sourceURL: 'x.js' });
	} catch (err) {
		if (err instanceof CellCompileError) return err;
		throw err;
	}
	throw new Error('expected a compile error');
}

describe('compileCell', () => {
	test('a cell returns its trailing expression and the variables it declares', async () => {
		const { value, scope } = await runCells(['const a = 2;\nlet b = a * 3\nfunction f(x) { return x + 1 }\nclass K {}\nf(b)']);
		expect(value).toBe(7);
		expect(Object.keys(scope).sort()).toEqual(['K', 'a', 'b', 'f']);
	});

	test('later cells see earlier cells variables and may redeclare them', async () => {
		const { value, scope } = await runCells(['const w = 1', 'const w = 5\nw * 2']);
		expect(value).toBe(10);
		expect(scope.w).toBe(5);
	});

	test('reassigning an earlier variable carries the new value forward', async () => {
		const { scope } = await runCells(['let n = 1', 'n += 41', 'n = n * 1']);
		expect(scope.n).toBe(42);
	});

	test('destructuring patterns and var inside blocks declare top-level names', async () => {
		const { scope } = await runCells([
			'const { a, b: [c, ...d], e = 9, ...rest } = { a: 1, b: [2, 3, 4], z: 0 }\nfor (var i = 0; i < 3; i++) {}\nif (true) { var v = 1 }'
		]);
		expect(scope).toMatchObject({ a: 1, c: 2, d: [3, 4], e: 9, rest: { z: 0 }, i: 3, v: 1 });
	});

	test('var inside a nested function stays local to it', () => {
		const { declared } = compileCell('function f() { var hidden = 1 }\nconst g = () => { var alsoHidden = 2 }', 'js', {
			carry: [],
			sourceURL: 'x.js'
		});
		expect(declared).toEqual(['f', 'g']);
	});

	test('a cell ending in a statement or an assignment has no value', () => {
		expect(compileCell('const a = 1', 'js', { carry: [], sourceURL: 'x.js' }).hasValue).toBe(false);
		expect(compileCell('let a; a = 1', 'js', { carry: [], sourceURL: 'x.js' }).hasValue).toBe(false);
		expect(compileCell('1 + 1 // two', 'js', { carry: [], sourceURL: 'x.js' }).hasValue).toBe(true);
	});

	test('a short trailing expression labels the value', () => {
		expect(compileCell('const x = 1\nx', 'js', { carry: [], sourceURL: 'x.js' }).valueLabel).toBe('x');
		expect(compileCell('const x = 1\nx.toFixed(2)', 'js', { carry: [], sourceURL: 'x.js' }).valueLabel).toBe('x.toFixed(2)');
	});

	test('top-level await works', async () => {
		const { value } = await runCells(['const v = await Promise.resolve(3)\nv + 1']);
		expect(value).toBe(4);
	});

	test('TypeScript types, interfaces, generics and enums are stripped', async () => {
		const { value, scope } = await runCells(
			[
				'interface P { x: number }\ntype N = number;\nenum Dir { Up, Down }\nfunction id<T>(v: T): T { return v }\nconst p: P = { x: id<number>(2) as N }\np.x + Dir.Down'
			],
			'ts'
		);
		expect(value).toBe(3);
		expect(Object.keys(scope).sort()).toEqual(['Dir', 'id', 'p']);
	});

	test('type-only imports in TypeScript are allowed, since they vanish', () => {
		expect(() =>
			compileCell("import type { Tensor } from '$lib/engine'\nconst a = 1", 'ts', { carry: [], sourceURL: 'x.js' })
		).not.toThrow();
	});

	test('imports and exports are rejected with a message that everything is in scope', () => {
		const err = compileError("const a = 1\nimport { randn } from 'glance'");
		expect(err.message).toMatch(/already in scope/);
		expect([err.line, err.column]).toEqual([2, 1]);
		expect(compileError("import { x } from 'y'\nconst a = x", 'ts').line).toBe(1);
		expect(compileError('export const a = 1').message).toMatch(/cannot export/);
		expect(compileError("const m = await import('x')").message).toMatch(/import\(\)/);
	});

	test('a JavaScript syntax error reports its line and column', () => {
		const err = compileError('const a = 1\nconst b = (2\nconst c = 3');
		expect(err.name).toBe('SyntaxError');
		expect(err.line).toBe(3);
		expect(err.message).not.toMatch(/\(\d+:\d+\)/);
	});

	test('a TypeScript syntax error reports its line and column', () => {
		const err = compileError('const a: number = 1\nconst b: = 2', 'ts');
		expect(err.line).toBe(2);
		expect(err.column).toBeGreaterThanOrEqual(9);
	});

	test('body line n is cell line n, for JavaScript and TypeScript alike', () => {
		for (const lang of ['js', 'ts'] as const) {
			const source = lang === 'ts' ? 'type T = number\nconst a: T = 1\n\nthrow new Error("x")' : 'const a = 1\n\n\nthrow new Error("x")';
			const { body } = compileCell(source, lang, { carry: [], sourceURL: 'x.js' });
			expect(body.split('\n')[3]).toContain('throw new Error');
		}
	});
});

describe('errorPosition', () => {
	test('finds the cell line of a runtime error from the stack of the compiled function', async () => {
		const { body, shifts } = compileCell('const a = 1\nconst b = 2\nnull.boom', 'js', { carry: [], sourceURL: 'glance-cell-7.js' });
		const fn = new AsyncFunction('capture', 'capture(new Error())\n//# sourceURL=probe.js');
		let probe: unknown;
		await fn((e: unknown) => (probe = e));
		const header = errorPosition(probe, 'probe.js', 0)!.line - 1;
		const err = await new AsyncFunction(body)().catch((e: unknown) => e);
		expect(errorPosition(err, 'glance-cell-7.js', header, shifts)).toEqual({ line: 3, column: 6 });
	});

	test('is null for an error that did not pass through the cell', () => {
		expect(errorPosition(new Error('x'), 'glance-cell-1.js', 2)).toBeNull();
		expect(errorPosition('not an error', 'glance-cell-1.js', 2)).toBeNull();
	});
});

describe('timeoutDirective', () => {
	test('reads // @timeout from the leading comments', () => {
		expect(timeoutDirective('// @timeout 30s\nwhile (true) {}')).toBe(30_000);
		expect(timeoutDirective('// Train for a while.\n// @timeout 2m\n')).toBe(120_000);
		expect(timeoutDirective('\n//@timeout 500ms')).toBe(500);
		expect(timeoutDirective('// @timeout 5')).toBe(5000);
	});

	test('ignores a directive after the first line of code', () => {
		expect(timeoutDirective('const a = 1\n// @timeout 30s')).toBeNull();
		expect(timeoutDirective('const a = 1')).toBeNull();
	});
});
