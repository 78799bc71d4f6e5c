import { describe, expect, test } from 'vitest';
import {
	MAX_PROGRESS_FILE_BYTES,
	PROGRESS_FILE_VERSION,
	emptyProgress,
	exportProgress,
	importProgress,
	markCompleted,
	mergeProgress,
	parseProgressFile,
	progressKey,
	readProgress,
	setCode,
	writeProgress,
	type Progress,
	type ProgressStorage
} from '$lib/notebook/progress';

const SLUGS = ['intro', 'attention', 'tracking'];

/** An in-memory Storage; `failOn` makes setItem refuse that key, as a full or blocked storage does. */
function fakeStorage(failOn: string | null = null): ProgressStorage & { items: Map<string, string> } {
	const items = new Map<string, string>();
	return {
		items,
		getItem: (k) => items.get(k) ?? null,
		setItem: (k, v) => {
			if (k === failOn) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			items.set(k, v);
		},
		removeItem: (k) => void items.delete(k)
	};
}

const solved = (...ids: string[]): Progress => ids.reduce(markCompleted, emptyProgress());

function fileText(lessons: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
	return JSON.stringify({
		format: 'glance-progress',
		version: PROGRESS_FILE_VERSION,
		exportedAt: '2026-01-01T00:00:00.000Z',
		lessons,
		...extra
	});
}

describe('exporting progress', () => {
	test('the file lists every lesson, versioned and dated, with its saved progress', () => {
		const storage = fakeStorage();
		writeProgress('intro', setCode(solved('a', 'b'), 'code-1', 'x', 'y'), storage);
		const file = exportProgress(SLUGS, storage, new Date('2026-11-28T09:00:00Z'));
		expect(file).toEqual({
			format: 'glance-progress',
			version: PROGRESS_FILE_VERSION,
			exportedAt: '2026-11-28T09:00:00.000Z',
			lessons: {
				intro: setCode(solved('a', 'b'), 'code-1', 'x', 'y'),
				attention: emptyProgress(),
				tracking: emptyProgress()
			}
		});
	});

	test('an exported file imports into an empty browser and restores every lesson', () => {
		const from = fakeStorage();
		writeProgress('intro', solved('a'), from);
		writeProgress('tracking', setCode(solved('t1', 't2'), 'code-3', 'old', 'new'), from);
		const to = fakeStorage();
		const result = importProgress(JSON.stringify(exportProgress(SLUGS, from)), SLUGS, to);
		expect(result).toMatchObject({ ok: true });
		for (const slug of SLUGS) expect(readProgress(slug, to).progress, slug).toEqual(readProgress(slug, from).progress);
	});
});

describe('importing merges, and loses nothing saved here', () => {
	test('solved exercises are the union, this browser’s first', () => {
		expect(mergeProgress(solved('b', 'a'), solved('c', 'a')).completed).toEqual(['b', 'a', 'c']);
	});

	test('a cell edited here keeps this browser’s edit; a cell edited only in the file gets the file’s', () => {
		const local = setCode(emptyProgress(), 'code-1', 'orig', 'mine');
		const imported = setCode(setCode(emptyProgress(), 'code-1', 'orig', 'theirs'), 'code-2', 'orig2', 'theirs2');
		const merged = mergeProgress(local, imported);
		expect(merged.code['code-1'].source).toBe('mine');
		expect(merged.code['code-2'].source).toBe('theirs2');
	});

	test('the result says what each lesson gained', () => {
		const storage = fakeStorage();
		writeProgress('intro', solved('a'), storage);
		const result = importProgress(fileText({ intro: solved('a', 'b', 'c'), attention: solved() }), SLUGS, storage);
		expect(result).toEqual({
			ok: true,
			lessons: [
				{ slug: 'intro', completedAdded: 2, codeAdded: 0 },
				{ slug: 'attention', completedAdded: 0, codeAdded: 0 }
			]
		});
		expect(readProgress('intro', storage).progress.completed).toEqual(['a', 'b', 'c']);
	});
});

describe('a file that cannot be imported is refused whole, with the reason, and changes nothing', () => {
	const cases: [string, string, RegExp][] = [
		['not JSON', '{"format": "glance-progress",', /not valid JSON/],
		['some other JSON', JSON.stringify({ hello: 'world' }), /not a Glance progress file/],
		['an array', '[]', /not a Glance progress file/],
		['a newer version', fileText({}, { version: PROGRESS_FILE_VERSION + 1 }), /version 2; this version of Glance reads version 1/],
		['no version', JSON.stringify({ format: 'glance-progress', exportedAt: '', lessons: {} }), /version undefined/],
		[
			'an unknown lesson',
			fileText({ intro: solved('a'), 'deleted-lesson': solved('x') }),
			/lessons this course does not have: "deleted-lesson"/
		],
		[
			'a damaged lesson',
			fileText({ intro: solved('a'), attention: { version: 1, completed: 'a', code: {} } }),
			/lesson "attention" is damaged/
		],
		['lessons not an object', fileText({}, { lessons: [] }), /"lessons" should be an object/],
		['an unknown field', fileText({}, { extra: 1 }), /fields a progress file does not: extra/]
	];

	test.each(cases)('%s', (_, text, message) => {
		const storage = fakeStorage();
		writeProgress('intro', solved('kept'), storage);
		const before = new Map(storage.items);
		const result = importProgress(text, SLUGS, storage);
		expect(result.ok).toBe(false);
		expect(!result.ok && result.error).toMatch(message);
		expect(storage.items).toEqual(before);
	});

	test('a file over 1 MB, before it is parsed', () => {
		const big = fileText({ intro: { ...solved('a'), code: { c: { base: 'x', source: 'y'.repeat(MAX_PROGRESS_FILE_BYTES) } } } });
		const parsed = parseProgressFile(big, SLUGS);
		expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/^The file is 1\.0 MB; a progress file is at most 1\.0 MB/) });
		// Counted in bytes, not characters: 400 000 three-byte characters are 1.2 MB.
		expect(parseProgressFile('"' + '€'.repeat(400_000) + '"', SLUGS)).toMatchObject({
			ok: false,
			error: expect.stringContaining('1.2 MB')
		});
	});

	test('storage that refuses a write midway: the lessons already written are put back', () => {
		const storage = fakeStorage(progressKey('attention'));
		writeProgress('intro', solved('kept'), storage);
		const before = new Map(storage.items);
		const result = importProgress(fileText({ intro: solved('new'), attention: solved('b'), tracking: solved('c') }), SLUGS, storage);
		expect(result).toEqual({ ok: false, error: expect.stringContaining('Nothing was changed') });
		expect(storage.items).toEqual(before);
	});

	test('blocked storage', () => {
		expect(importProgress(fileText({ intro: solved('a') }), SLUGS, null)).toMatchObject({
			ok: false,
			error: expect.stringContaining('storage is blocked')
		});
	});
});
