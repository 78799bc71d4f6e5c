import { Rng, noGrad, randn } from '../../lib/engine/index';
import { timeEach, type Budget } from './measure';
import type { Row } from './report';

interface MatmulCase {
	name: string;
	a: number[];
	b: number[];
}

/** The products the engine's targets are stated for: square, batched, and a batch of thin inner products. */
export const MATMUL_CASES: readonly MatmulCase[] = [
	{ name: 'matmul 64²', a: [64, 64], b: [64, 64] },
	{ name: 'matmul 256²', a: [256, 256], b: [256, 256] },
	{ name: 'matmul 512²', a: [512, 512], b: [512, 512] },
	{ name: 'batched 32×64³', a: [32, 64, 64], b: [32, 64, 64] },
	{ name: 'batched 16×(128×32·32×128)', a: [16, 128, 32], b: [16, 32, 128] }
];

/** Multiply-adds count twice: 2·batch·M·N·K floating-point operations per product. */
export function flops({ a, b }: MatmulCase): number {
	const K = a[a.length - 1];
	const batch = a.slice(0, -2).reduce((n, d) => n * d, 1);
	return 2 * batch * a[a.length - 2] * K * b[b.length - 1];
}

export const gflops = (c: MatmulCase, ms: number) => flops(c) / (ms * 1e6);

/**
 * One row per case, with Glance's rate through the public `matmul` (output allocated each call),
 * the cases sampled in turn. Peers' rates are added later (`addPeerMatmul`).
 */
export function matmulRows(budget: Budget): Row[] {
	const rng = new Rng(1);
	const products = MATMUL_CASES.map((c) => {
		const a = randn(c.a, { rng });
		const b = randn(c.b, { rng });
		return () => noGrad(() => a.matmul(b));
	});
	return timeEach(products, budget).map((t, i) => {
		const c = MATMUL_CASES[i];
		return { name: c.name, unit: 'GFLOP/s', higherIsBetter: true, glance: gflops(c, t.median), peers: {}, timings: { glance: t } };
	});
}
