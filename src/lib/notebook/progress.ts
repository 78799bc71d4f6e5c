/**
 * Saved progress, one localStorage entry per lesson: which exercises pass, and the learner's
 * edits to each code cell. Plain functions over a `Storage`-like object, so pages, cells and
 * tests (with a fake storage) share one implementation.
 *
 * A saved entry that cannot be read (bad JSON, a future version, a wrong shape) is ignored:
 * reading reports `status: 'reset'` so the page can say so, and the next write replaces it.
 * Reading never throws, so saved state can never blank a page.
 *
 * @example
 * const { progress, status } = readProgress('attention-module');
 * if (status === 'reset') showNotice();
 * updateProgress('attention-module', (p) => markCompleted(p, 'peak-frame'));
 */

export const PROGRESS_VERSION = 1;
const KEY_PREFIX = 'glance:progress:';

/** A learner's edit of a cell, with a fingerprint of the source it was edited from. */
export interface SavedCode {
	/** Hash of the lesson's original source: when a teacher changes the cell, the stale edit is dropped. */
	base: string;
	source: string;
}

export interface Progress {
	version: typeof PROGRESS_VERSION;
	/** Ids of exercises whose check passed, in the order they were solved. */
	completed: string[];
	/** Edited source per cell id. */
	code: Record<string, SavedCode>;
}

export type ReadStatus = 'empty' | 'ok' | 'reset';

/** The part of the Web Storage API progress needs; `localStorage` or a test double. */
export type ProgressStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const emptyProgress = (): Progress => ({ version: PROGRESS_VERSION, completed: [], code: {} });

export const progressKey = (slug: string) => KEY_PREFIX + slug;

/** The page's localStorage, or null where there is none (prerendering) or it is blocked (privacy settings). */
export function browserStorage(): ProgressStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage;
	} catch {
		return null;
	}
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validate parsed JSON as a `Progress`, or null. Exact: unknown keys mean a format this code does not know. */
function asProgress(v: unknown): Progress | null {
	if (!isRecord(v) || v.version !== PROGRESS_VERSION) return null;
	if (Object.keys(v).some((k) => k !== 'version' && k !== 'completed' && k !== 'code')) return null;
	const { completed, code } = v;
	if (!Array.isArray(completed) || !completed.every((id) => typeof id === 'string')) return null;
	if (!isRecord(code)) return null;
	for (const saved of Object.values(code)) {
		if (!isRecord(saved) || typeof saved.base !== 'string' || typeof saved.source !== 'string') return null;
	}
	return { version: PROGRESS_VERSION, completed: [...new Set(completed as string[])], code: code as Record<string, SavedCode> };
}

/** Read a lesson's progress; never throws. */
export function readProgress(slug: string, storage: ProgressStorage | null = browserStorage()): { progress: Progress; status: ReadStatus } {
	let raw: string | null;
	try {
		raw = storage?.getItem(progressKey(slug)) ?? null;
	} catch {
		raw = null;
	}
	if (raw === null) return { progress: emptyProgress(), status: 'empty' };
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return { progress: emptyProgress(), status: 'reset' };
	}
	const progress = asProgress(parsed);
	return progress ? { progress, status: 'ok' } : { progress: emptyProgress(), status: 'reset' };
}

/** Save a lesson's progress. Returns false when storage refused (full, or blocked): progress then lasts only this visit. */
export function writeProgress(slug: string, progress: Progress, storage: ProgressStorage | null = browserStorage()): boolean {
	if (!storage) return false;
	try {
		storage.setItem(progressKey(slug), JSON.stringify(progress));
		return true;
	} catch {
		return false;
	}
}

/** Read, change and save in one step, so cells that save independently never overwrite each other's work. */
export function updateProgress(
	slug: string,
	change: (p: Progress) => Progress,
	storage: ProgressStorage | null = browserStorage()
): Progress {
	const next = change(readProgress(slug, storage).progress);
	writeProgress(slug, next, storage);
	return next;
}

/** Forget a lesson's progress. */
export function clearProgress(slug: string, storage: ProgressStorage | null = browserStorage()): void {
	try {
		storage?.removeItem(progressKey(slug));
	} catch {
		// Blocked storage holds nothing to clear.
	}
}

export function markCompleted(p: Progress, exerciseId: string): Progress {
	return p.completed.includes(exerciseId) ? p : { ...p, completed: [...p.completed, exerciseId] };
}

/** FNV-1a: a short, stable fingerprint of a cell's original source; not for security. */
export function sourceHash(source: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < source.length; i++) {
		h ^= source.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0).toString(36);
}

/** Record an edit of `cellId`; saving the original source back removes the edit. */
export function setCode(p: Progress, cellId: string, original: string, source: string): Progress {
	const code = { ...p.code };
	if (source === original) delete code[cellId];
	else code[cellId] = { base: sourceHash(original), source };
	return { ...p, code };
}

/** The learner's edit of `cellId`, or null when there is none or the lesson's cell has changed since. */
export function savedCode(p: Progress, cellId: string, original: string): string | null {
	const saved = p.code[cellId];
	return saved && saved.base === sourceHash(original) ? saved.source : null;
}
