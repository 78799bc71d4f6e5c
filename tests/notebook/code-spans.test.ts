import { describe, expect, it } from 'vitest';
import { codeSpans } from '../../src/lib/notebook/code-spans';

describe('codeSpans', () => {
	it('shows backticked parts of a hint as code', () => {
		expect(codeSpans('Pass `{ requiresGrad: true }`, then call `y.backward()`.')).toEqual([
			{ code: false, text: 'Pass ' },
			{ code: true, text: '{ requiresGrad: true }' },
			{ code: false, text: ', then call ' },
			{ code: true, text: 'y.backward()' },
			{ code: false, text: '.' }
		]);
	});

	it('leaves text without backticks, and a backtick without a partner, as they are', () => {
		expect(codeSpans('no code here')).toEqual([{ code: false, text: 'no code here' }]);
		expect(codeSpans('`a` costs 5` more')).toEqual([
			{ code: true, text: 'a' },
			{ code: false, text: ' costs 5` more' }
		]);
		expect(codeSpans('')).toEqual([]);
	});

	it('keeps markup as text', () => {
		expect(codeSpans('`<img src=x onerror=alert(1)>`')).toEqual([{ code: true, text: '<img src=x onerror=alert(1)>' }]);
	});
});
