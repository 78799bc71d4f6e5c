// Types for the matchers registered in tests/setup.ts.
import 'vitest';
import type { AllcloseOptions, AllcloseValue } from './helpers/allclose';

declare module 'vitest' {
	// Merges with Vitest's own `interface Matchers<T = any> {}`, so its type parameter must be declared exactly so.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unused-vars
	interface Matchers<T = any> {
		/**
		 * Elementwise `|received − expected| ≤ atol + rtol·|expected|` (defaults rtol 1e-5,
		 * atol 1e-8, as `torch.allclose`). Works on tensors, typed arrays, nested arrays and
		 * numbers; the failure message names the worst element, both values and both shapes.
		 */
		toBeAllclose(expected: AllcloseValue, options?: AllcloseOptions): void;
	}
}
