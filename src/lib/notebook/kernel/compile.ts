/**
 * Turns a notebook cell's source into the body of an async function, so cells share state in
 * order like a Jupyter kernel: every variable earlier cells defined comes in as a parameter, and
 * the cell hands back its trailing expression's value and the variables it leaves behind.
 *
 *     const w = randn([4, 4]);          'use strict';{const w = randn([4, 4]);
 *     w.softmax(-1)              →      return { value: (w.softmax(-1)), scope: { w } };
 *                                       }
 *
 * The cell runs inside a block so it may redeclare a name an earlier cell declared (`const w`
 * twice is an error in one scope, but fine in a nested one), and the prefix sits on the cell's
 * first line so line n of the body is line n of the cell. Sucrase strips TypeScript types while
 * keeping every line where it was, so that holds for TypeScript cells too.
 *
 * Pure and UI-free: runs in the kernel Worker and in Node tests.
 */
import { parse, type AnyNode, type Pattern, type Program } from 'acorn';
import { transform } from 'sucrase';
import type { Lang } from './protocol';

/** A cell that cannot run as written; `line` and `column` are 1-based in the cell's source. */
export class CellCompileError extends Error {
	constructor(
		message: string,
		readonly line: number,
		readonly column: number
	) {
		super(message);
		this.name = 'SyntaxError';
	}
}

export interface CompiledCell {
	/** Source for `new AsyncFunction(...names, body)`; it resolves to `{ value, scope }`. */
	body: string;
	/** Top-level names the cell declares, in source order. */
	declared: string[];
	/** Whether the cell ends in an expression whose value should be shown. */
	hasValue: boolean;
	/** The trailing expression's source when it is short enough to label an output (`w`, `x.grad`). */
	valueLabel: string;
	/** Text the compiler inserted into the cell's lines, so `errorPosition` can map a column back. */
	shifts: ColumnShift[];
}

/** `by` characters were inserted before the cell's column `at` (1-based) on `line`. */
export interface ColumnShift {
	line: number;
	at: number;
	by: number;
}

export interface CompileOptions {
	/** Variables earlier cells left behind: the cell returns their current values too, so reassigning one carries forward. */
	carry: readonly string[];
	/** Names the function's stack frames, so a runtime error can be traced to a line of this cell. */
	sourceURL: string;
}

const PREFIX = "'use strict';{";
const RETURN_VALUE = 'return { value: (';
const LABEL_MAX = 48;

/**
 * Compile one cell. Throws `CellCompileError` for a syntax error or an `import`.
 *
 * @example
 * const { body } = compileCell('const x = 1\nx + 1', 'js', { carry: [], sourceURL: 'cell-1.js' });
 * await new AsyncFunction(body)(); // { value: 2, scope: { x: 1 } }
 */
export function compileCell(source: string, lang: Lang, options: CompileOptions): CompiledCell {
	const js = lang === 'ts' ? stripTypes(source) : source;
	const program = parseModule(js);
	const declared: string[] = [];
	for (const stmt of program.body) {
		if (stmt.type === 'ImportDeclaration' || stmt.type.startsWith('Export')) {
			const { line, column } = stmt.loc!.start;
			const what = stmt.type === 'ImportDeclaration' ? 'import' : 'export';
			throw new CellCompileError(
				`Cells cannot ${what}: the engine, nn, optim, train and tasks are already in scope, and top-level variables are shared with later cells.`,
				line,
				column + 1
			);
		}
		if (stmt.type === 'VariableDeclaration') for (const d of stmt.declarations) patternNames(d.id, declared);
		if ((stmt.type === 'FunctionDeclaration' || stmt.type === 'ClassDeclaration') && stmt.id) declared.push(stmt.id.name);
	}
	visitOutsideFunctions(program, (node) => {
		if (node.type === 'VariableDeclaration' && node.kind === 'var') for (const d of node.declarations) patternNames(d.id, declared);
		if (node.type === 'ImportExpression') {
			const { line, column } = node.loc!.start;
			throw new CellCompileError('Cells cannot import(): everything a lesson needs is already in scope.', line, column + 1);
		}
	});
	const names = [...new Set([...options.carry, ...declared])];
	const scope = `scope: { ${names.join(', ')} }`;
	const last = program.body.at(-1);
	const trailing = last?.type === 'ExpressionStatement' && last.directive === undefined && last.expression.type !== 'AssignmentExpression';
	const shifts: ColumnShift[] = [{ line: 1, at: 1, by: PREFIX.length }];
	let code: string;
	let valueLabel = '';
	if (trailing) {
		const expr = js.slice(last.expression.start, last.expression.end);
		code = `${js.slice(0, last.start)}${RETURN_VALUE}${expr}), ${scope} };${js.slice(last.end)}\n`;
		const { line, column } = last.loc!.start;
		shifts.push({ line, at: column + 1, by: RETURN_VALUE.length - (last.expression.start - last.start) });
		if (expr.length <= LABEL_MAX && !expr.includes('\n')) valueLabel = expr;
	} else {
		code = `${js}\nreturn { value: undefined, ${scope} };\n`;
	}
	return {
		body: `${PREFIX}${code}}\n//# sourceURL=${options.sourceURL}`,
		declared: [...new Set(declared)],
		hasValue: trailing,
		valueLabel,
		shifts
	};
}

function stripTypes(source: string): string {
	try {
		// keepUnusedImports: otherwise Sucrase silently drops an import nothing uses, instead of the cell reporting it.
		return transform(source, { transforms: ['typescript'], disableESTransforms: true, keepUnusedImports: true }).code;
	} catch (err) {
		const loc = (err as { loc?: { line: number; column: number } }).loc;
		// Sucrase's columns are already 1-based.
		throw new CellCompileError(withoutPosition(err), loc?.line ?? 1, loc?.column ?? 1);
	}
}

function parseModule(js: string): Program {
	try {
		// Module code is strict, as the compiled body is; top-level await works because the body is async.
		return parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, locations: true });
	} catch (err) {
		const loc = (err as { loc?: { line: number; column: number } }).loc;
		throw new CellCompileError(withoutPosition(err), loc?.line ?? 1, (loc?.column ?? 0) + 1);
	}
}

/** Parsers append "(line:column)"; the cell reports the position itself. */
function withoutPosition(err: unknown): string {
	return String(err instanceof Error ? err.message : err).replace(/\s*\(\d+:\d+\)\s*$/, '');
}

function patternNames(p: Pattern, out: string[]): void {
	switch (p.type) {
		case 'Identifier':
			out.push(p.name);
			break;
		case 'ObjectPattern':
			for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, out);
			break;
		case 'ArrayPattern':
			for (const el of p.elements) if (el) patternNames(el, out);
			break;
		case 'RestElement':
			patternNames(p.argument, out);
			break;
		case 'AssignmentPattern':
			patternNames(p.left, out);
			break;
		// A member expression (`[a.b] = …`) only appears in assignments, never in declarations.
		case 'MemberExpression':
			break;
	}
}

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Every node of `root` not inside a nested function, where `var` would belong to that function instead. */
function visitOutsideFunctions(root: AnyNode, visit: (node: AnyNode) => void): void {
	const walk = (node: AnyNode): void => {
		visit(node);
		for (const value of Object.values(node)) {
			for (const child of Array.isArray(value) ? value : [value]) {
				if (isNode(child) && !FUNCTIONS.has(child.type)) walk(child);
			}
		}
	};
	walk(root);
}

function isNode(value: unknown): value is AnyNode {
	return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Where a runtime error happened in a cell: the innermost stack frame in the cell's own code. */
export function errorPosition(
	err: unknown,
	sourceURL: string,
	headerLines: number,
	shifts: readonly ColumnShift[] = []
): { line: number; column: number } | null {
	const stack = err instanceof Error ? (err.stack ?? '') : '';
	const escaped = sourceURL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
	if (!match) return null;
	const line = Number(match[1]) - headerLines;
	let column = Number(match[2]);
	for (const s of shifts) if (s.line === line && column - s.by >= s.at) column -= s.by;
	return line >= 1 ? { line, column } : null;
}
