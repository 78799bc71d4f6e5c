import { describe, expect, test } from 'vitest';
import {
	PROGRESS_VERSION,
	clearProgress,
	emptyProgress,
	markCompleted,
	progressKey,
	readProgress,
	savedCode,
	setCode,
	updateProgress,
	writeProgress,
	type ProgressStorage
} from '$lib/notebook/progress';

/** An in-memory Storage, optionally refusing every call as a browser with storage blocked does. */
function fakeStorage(initial: Record<string, string> = {}, blocked = false): ProgressStorage & { items: Map<string, string> } {
	const items = new Map(Object.entries(initial));
	const guard = () => {
		if (blocked) throw new DOMException('The operation is insecure.', 'SecurityError');
	};
	return {
		items,
		getItem: (k) => (guard(), items.get(k) ?? null),
		setItem: (k, v) => (guard(), void items.set(k, v)),
		removeItem: (k) => (guard(), void items.delete(k))
	};
}

describe('saved progress', () => {
	test('a lesson with nothing saved starts empty', () => {
		expect(readProgress('intro', fakeStorage())).toEqual({ progress: emptyProgress(), status: 'empty' });
	});

	test('completed exercises and edited code survive a reload', () => {
		const storage = fakeStorage();
		updateProgress('intro', (p) => setCode(markCompleted(p, 'ex-1'), 'code-2', 'const a = 1;', 'const a = 2;'), storage);
		const { progress, status } = readProgress('intro', storage);
		expect(status).toBe('ok');
		expect(progress.completed).toEqual(['ex-1']);
		expect(savedCode(progress, 'code-2', 'const a = 1;')).toBe('const a = 2;');
	});

	test('each lesson has its own versioned entry', () => {
		const storage = fakeStorage();
		writeProgress('intro', markCompleted(emptyProgress(), 'a'), storage);
		expect(readProgress('other', storage).progress.completed).toEqual([]);
		expect(JSON.parse(storage.items.get(progressKey('intro'))!)).toEqual({ version: PROGRESS_VERSION, completed: ['a'], code: {} });
	});

	test('marking an exercise twice records it once', () => {
		expect(markCompleted(markCompleted(emptyProgress(), 'a'), 'a').completed).toEqual(['a']);
	});

	test('saving a cell back to its original source forgets the edit', () => {
		const edited = setCode(emptyProgress(), 'code-1', 'x', 'y');
		expect(setCode(edited, 'code-1', 'x', 'x').code).toEqual({});
	});

	test('an edit is dropped when the lesson has since changed that cell', () => {
		const p = setCode(emptyProgress(), 'code-1', 'const a = 1;', 'const a = 5;');
		expect(savedCode(p, 'code-1', 'const a = 1; // teacher changed it')).toBeNull();
	});

	test.each([
		['not JSON', '{oops'],
		['JSON null', 'null'],
		['an array', '[]'],
		['a future version', JSON.stringify({ version: PROGRESS_VERSION + 1, completed: [], code: {} })],
		['no version', JSON.stringify({ completed: [], code: {} })],
		['completed not a list of ids', JSON.stringify({ version: PROGRESS_VERSION, completed: [1], code: {} })],
		['code with a wrong entry', JSON.stringify({ version: PROGRESS_VERSION, completed: [], code: { a: 'text' } })],
		['an unknown key', JSON.stringify({ version: PROGRESS_VERSION, completed: [], code: {}, extra: true })]
	])('saved state that is %s is ignored and reported as reset', (_, raw) => {
		const storage = fakeStorage({ [progressKey('intro')]: raw });
		expect(readProgress('intro', storage)).toEqual({ progress: emptyProgress(), status: 'reset' });
	});

	test('the next save replaces a corrupt entry', () => {
		const storage = fakeStorage({ [progressKey('intro')]: '{oops' });
		updateProgress('intro', (p) => markCompleted(p, 'a'), storage);
		expect(readProgress('intro', storage)).toMatchObject({ status: 'ok', progress: { completed: ['a'] } });
	});

	test('clearing forgets a lesson', () => {
		const storage = fakeStorage({ [progressKey('intro')]: '{oops' });
		clearProgress('intro', storage);
		expect(readProgress('intro', storage).status).toBe('empty');
	});

	test('blocked or missing storage never throws: progress just is not kept', () => {
		const blocked = fakeStorage({}, true);
		expect(readProgress('intro', blocked).status).toBe('empty');
		expect(writeProgress('intro', emptyProgress(), blocked)).toBe(false);
		expect(() => clearProgress('intro', blocked)).not.toThrow();
		expect(updateProgress('intro', (p) => markCompleted(p, 'a'), null).completed).toEqual(['a']);
		expect(readProgress('intro', null).status).toBe('empty');
	});
});
