import { currentScope } from './scope';

/** Format a shape the way error messages print it: `[2,16,512]`. */
export function fmtShape(shape: readonly number[]): string {
	return `[${shape.join(',')}]`;
}

/**
 * Thrown by an op, before any work is done, when its inputs' shapes break a rule.
 * The message names the op, the shapes involved and the rule; when the op ran inside a
 * module, the module path comes first (`attention → mul: …`).
 *
 * @example
 * try { a.mul(b) } catch (e) { if (e instanceof ShapeError) showInline(e.op, e.message) }
 */
export class ShapeError extends Error {
	readonly op: string;
	readonly path: string;
	readonly detail: string;
	/** A one-line explanation of the likely cause, added by code that knows the model. */
	readonly hint: string;
	constructor(op: string, detail: string, path: string = currentScope(), hint = '') {
		super(`${path ? `${path} → ` : ''}${op}: ${detail}${hint ? `\nHint: ${hint}` : ''}`);
		this.name = 'ShapeError';
		this.op = op;
		this.path = path;
		this.detail = detail;
		this.hint = hint;
	}

	/** The same error with a hint line appended to its message. */
	withHint(hint: string): ShapeError {
		return new ShapeError(this.op, this.detail, this.path, hint);
	}
}

/** Thrown for values an op cannot take: NaN sizes, out-of-range indices, bad probabilities. */
export class ValueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ValueError';
	}
}
