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

/** Version of the progress file format (`exportProgress`); a file of another version is refused. */
export const PROGRESS_FILE_VERSION = 1;
/** What a progress file says it is, so any other JSON file is refused with a clear message. */
export const PROGRESS_FILE_FORMAT = 'glance-progress';
/** Larger files are refused unread: a course's progress is a few kilobytes. */
export const MAX_PROGRESS_FILE_BYTES = 1_000_000;

/** Every lesson's saved progress in one JSON file, to move it to another browser or keep a copy. */
export interface ProgressFile {
	format: typeof PROGRESS_FILE_FORMAT;
	version: typeof PROGRESS_FILE_VERSION;
	/** When the file was made, ISO 8601; informational. */
	exportedAt: string;
	/** Progress by lesson slug. */
	lessons: Record<string, Progress>;
}

/** A file checked and ready to import, or why it cannot be. */
export type ParsedProgressFile = { ok: true; file: ProgressFile } | { ok: false; error: string };

/** What an import changed, per lesson: exercises newly marked solved and code edits newly restored. */
export interface ImportSummary {
	lessons: { slug: string; completedAdded: number; codeAdded: number }[];
}

export type ImportResult = ({ ok: true } & ImportSummary) | { ok: false; error: string };

/**
 * Every listed lesson's saved progress as a `ProgressFile` (an unreadable entry exports as empty).
 *
 * @example
 * const text = JSON.stringify(exportProgress(lessons.map((l) => l.slug)), null, '\t');
 */
export function exportProgress(
	slugs: readonly string[],
	storage: ProgressStorage | null = browserStorage(),
	now = new Date()
): ProgressFile {
	const lessons = Object.fromEntries(slugs.map((slug) => [slug, readProgress(slug, storage).progress]));
	return { format: PROGRESS_FILE_FORMAT, version: PROGRESS_FILE_VERSION, exportedAt: now.toISOString(), lessons };
}

const byteLength = (text: string) => new TextEncoder().encode(text).length;

/**
 * Check a progress file's text: at most `MAX_PROGRESS_FILE_BYTES`, valid JSON, a Glance progress
 * file of this version, every lesson one of `knownSlugs` and every entry well formed. The first
 * problem found is the error; a file with any problem is refused whole.
 */
export function parseProgressFile(text: string, knownSlugs: readonly string[]): ParsedProgressFile {
	const size = byteLength(text);
	if (size > MAX_PROGRESS_FILE_BYTES) return { ok: false, error: tooLarge(size) };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (err) {
		return { ok: false, error: `The file is not valid JSON (${err instanceof Error ? err.message : String(err)}).` };
	}
	if (!isRecord(parsed) || parsed.format !== PROGRESS_FILE_FORMAT) {
		return { ok: false, error: 'The file is not a Glance progress file (it has no "format": "glance-progress").' };
	}
	if (parsed.version !== PROGRESS_FILE_VERSION) {
		return {
			ok: false,
			error: `The file is progress format version ${JSON.stringify(parsed.version)}; this version of Glance reads version ${PROGRESS_FILE_VERSION}.`
		};
	}
	const extra = Object.keys(parsed).filter((k) => !['format', 'version', 'exportedAt', 'lessons'].includes(k));
	if (extra.length > 0) return { ok: false, error: `The file has fields a progress file does not: ${extra.join(', ')}.` };
	if (typeof parsed.exportedAt !== 'string') return { ok: false, error: 'The file\'s "exportedAt" should be a date string.' };
	if (!isRecord(parsed.lessons)) return { ok: false, error: 'The file\'s "lessons" should be an object of lessons by name.' };
	const unknown = Object.keys(parsed.lessons).filter((slug) => !knownSlugs.includes(slug));
	if (unknown.length > 0) {
		const names = unknown.map((s) => JSON.stringify(s)).join(', ');
		return { ok: false, error: `The file has progress for lessons this course does not have: ${names}. Nothing was imported.` };
	}
	const lessons: Record<string, Progress> = {};
	for (const [slug, entry] of Object.entries(parsed.lessons)) {
		const progress = asProgress(entry);
		if (!progress) return { ok: false, error: `The progress for lesson "${slug}" is damaged or in another format. Nothing was imported.` };
		lessons[slug] = progress;
	}
	return { ok: true, file: { format: PROGRESS_FILE_FORMAT, version: PROGRESS_FILE_VERSION, exportedAt: parsed.exportedAt, lessons } };
}

function tooLarge(bytes: number): string {
	const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
	return `The file is ${mb(bytes)}; a progress file is at most ${mb(MAX_PROGRESS_FILE_BYTES)}. Is it the right file?`;
}

/**
 * Merge an imported lesson into this browser's: nothing saved here is lost. Solved exercises are
 * the union (this browser's first, in order, then the file's new ones); a code edit from the file
 * is restored only for a cell this browser has no edit of, since the local edit may be newer.
 */
export function mergeProgress(local: Progress, imported: Progress): Progress {
	const completed = [...local.completed, ...imported.completed.filter((id) => !local.completed.includes(id))];
	const code = { ...imported.code, ...local.code };
	return { version: PROGRESS_VERSION, completed, code };
}

/**
 * Import a progress file's text into storage, all or nothing: the file is checked whole first
 * (`parseProgressFile`), each lesson is merged into what is saved (`mergeProgress`), and if storage
 * refuses any write, the lessons already written are put back as they were.
 *
 * @example
 * const result = importProgress(await file.text(), lessons.map((l) => l.slug));
 * if (!result.ok) showError(result.error);
 */
export function importProgress(
	text: string,
	knownSlugs: readonly string[],
	storage: ProgressStorage | null = browserStorage()
): ImportResult {
	const parsed = parseProgressFile(text, knownSlugs);
	if (!parsed.ok) return parsed;
	if (!storage) return { ok: false, error: 'This browser is not saving progress (storage is blocked), so nothing can be imported.' };
	const plan = Object.entries(parsed.file.lessons).map(([slug, imported]) => {
		const local = readProgress(slug, storage).progress;
		const merged = mergeProgress(local, imported);
		return {
			slug,
			merged,
			completedAdded: merged.completed.length - local.completed.length,
			codeAdded: Object.keys(merged.code).length - Object.keys(local.code).length
		};
	});
	const originals = new Map<string, string | null>();
	for (const { slug, merged } of plan) {
		let original: string | null;
		try {
			original = storage.getItem(progressKey(slug));
		} catch {
			original = null;
		}
		originals.set(slug, original);
		if (!writeProgress(slug, merged, storage)) {
			restore(originals, storage);
			return { ok: false, error: 'The browser refused to save the imported progress (storage full or blocked). Nothing was changed.' };
		}
	}
	return { ok: true, lessons: plan.map(({ slug, completedAdded, codeAdded }) => ({ slug, completedAdded, codeAdded })) };
}

/** Put lessons back as they were before a failed import. */
function restore(originals: ReadonlyMap<string, string | null>, storage: ProgressStorage): void {
	for (const [slug, raw] of originals) {
		try {
			if (raw === null) storage.removeItem(progressKey(slug));
			else storage.setItem(progressKey(slug), raw);
		} catch {
			// Storage that refuses even this has changed nothing it could be restored from.
		}
	}
}
