// Vitest setup: numeric matchers, typed in tests/vitest.d.ts.
import { expect } from 'vitest';
import { allclose, describeAllclose, type AllcloseOptions } from './helpers/allclose';

expect.extend({
	/**
	 * Elementwise `|received − expected| ≤ atol + rtol·|expected|` on tensors, typed arrays,
	 * nested arrays or numbers; shapes must match (a scalar `expected` broadcasts).
	 *
	 * @example
	 * expect(x.softmax(-1).sum(-1)).toBeAllclose(1, { atol: 1e-6 });
	 */
	toBeAllclose(received: unknown, expected: unknown, options: AllcloseOptions = {}) {
		const report = allclose(received, expected, options);
		return {
			pass: report.pass,
			message: () => describeAllclose(report, options, this.isNot ?? false)
		};
	}
});
