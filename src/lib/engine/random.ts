import { alloc, type DType } from './dtype';
import { ValueError } from './errors';
import { checkShape, numel, type Shape } from './shape';
import { Tensor } from './tensor';

/**
 * A seeded random number generator that gives the same numbers in Node and every browser.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna, 2018) on four 32-bit words, seeded by
 * running splitmix32 on the seed. Uniform floats take the top 53 bits of two outputs.
 * Normals use Marsaglia's polar method with a logarithm computed here from +, −, ×, ÷
 * only (IEEE-exact in every engine), because `Math.log` may differ in its last bits
 * between JavaScript engines.
 *
 * @example
 * const rng = new Rng(42);
 * rng.uniform(); rng.normal(); rng.int(0, 10); rng.shuffle([1, 2, 3]);
 */
export class Rng {
	private s = new Uint32Array(4);
	private spare: number | null = null;

	constructor(seed = 0) {
		if (!Number.isFinite(seed)) throw new ValueError(`Rng: seed must be a finite number, got ${seed}`);
		let x = (Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) >>> 0;
		for (let i = 0; i < 4; i++) {
			x = (x + 0x9e3779b9) >>> 0;
			let z = x;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
			this.s[i] = (z ^ (z >>> 16)) >>> 0;
		}
		if (this.s.every((w) => w === 0)) this.s[0] = 1;
	}

	/** The next 32 random bits as an unsigned integer. */
	nextU32(): number {
		const s = this.s;
		const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
		const t = s[1] << 9;
		s[2] ^= s[0];
		s[3] ^= s[1];
		s[1] ^= s[2];
		s[0] ^= s[3];
		s[2] ^= t;
		s[3] = rotl(s[3], 11);
		return result;
	}

	/** Uniform in [0, 1). */
	uniform(): number {
		const hi = this.nextU32() >>> 5;
		const lo = this.nextU32() >>> 6;
		return (hi * 67108864 + lo) / 9007199254740992;
	}

	/** Standard normal. */
	normal(): number {
		if (this.spare !== null) {
			const v = this.spare;
			this.spare = null;
			return v;
		}
		for (;;) {
			const u = 2 * this.uniform() - 1;
			const v = 2 * this.uniform() - 1;
			const s = u * u + v * v;
			if (s === 0 || s >= 1) continue;
			const f = Math.sqrt((-2 * portableLog(s)) / s);
			this.spare = v * f;
			return u * f;
		}
	}

	/** Integer uniform in [lo, hi), without modulo bias. */
	int(lo: number, hi: number): number {
		const span = hi - lo;
		if (!Number.isInteger(lo) || !Number.isInteger(hi) || span <= 0 || span > 2 ** 32) {
			throw new ValueError(`Rng.int: need integers lo < hi within 2^32 of each other, got [${lo}, ${hi})`);
		}
		const limit = 2 ** 32 - (2 ** 32 % span);
		for (;;) {
			const r = this.nextU32();
			if (r < limit) return lo + (r % span);
		}
	}

	/** Shuffle `items` in place (Fisher–Yates) and return it. */
	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = this.int(0, i + 1);
			[items[i], items[j]] = [items[j], items[i]];
		}
		return items;
	}

	/** A new generator seeded from this one's stream, for an independent sub-stream. */
	fork(): Rng {
		return new Rng(this.nextU32() * 2 ** 20 + (this.nextU32() >>> 12));
	}

	/** The full state, to save and later restore with `setState`. */
	getState(): number[] {
		return [...this.s, this.spare === null ? NaN : this.spare];
	}
	setState(state: readonly number[]): void {
		if (state.length !== 5) throw new ValueError(`Rng.setState: expected 5 numbers, got ${state.length}`);
		this.s.set(state.slice(0, 4));
		this.spare = Number.isNaN(state[4]) ? null : state[4];
	}
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;

/** Natural log of a positive finite number from basic arithmetic only: x = m·2^e, ln m = 2·atanh((m−1)/(m+1)). */
export function portableLog(x: number): number {
	if (!(x > 0) || !Number.isFinite(x)) throw new ValueError(`portableLog: expected a positive finite number, got ${x}`);
	let e = 0;
	let m = x;
	while (m >= SQRT2) {
		m /= 2;
		e++;
	}
	while (m < SQRT2 / 2) {
		m *= 2;
		e--;
	}
	const z = (m - 1) / (m + 1);
	const z2 = z * z;
	let term = z;
	let sum = 0;
	for (let k = 1; k < 40; k += 2) {
		sum += term / k;
		term *= z2;
	}
	return e * LN2 + 2 * sum;
}

let defaultRng = new Rng(0);

/** Reseed the generator used when no `rng` is passed, like `torch.manual_seed`. */
export function manualSeed(seed: number): void {
	defaultRng = new Rng(seed);
}
export function getDefaultRng(): Rng {
	return defaultRng;
}

export interface RandomOptions {
	rng?: Rng;
	dtype?: DType;
	requiresGrad?: boolean;
}

function fill(shape: Shape, opts: RandomOptions, draw: (rng: Rng) => number, op: string): Tensor {
	checkShape(op, shape);
	const rng = opts.rng ?? defaultRng;
	const data = alloc(opts.dtype ?? 'float32', numel(shape));
	for (let i = 0; i < data.length; i++) data[i] = draw(rng);
	return new Tensor(data, shape, { requiresGrad: opts.requiresGrad });
}

/** Standard normal samples, as `torch.randn`. @example randn([2, 3], { rng: new Rng(1) }) */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
	return fill(shape, opts, (r) => r.normal(), 'randn');
}
/** Uniform samples in [low, high), as `torch.rand` (default [0, 1)). */
export function rand(shape: Shape, opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
	const lo = opts.low ?? 0;
	const hi = opts.high ?? 1;
	return fill(shape, opts, (r) => lo + (hi - lo) * r.uniform(), 'rand');
}
/** Integers uniform in [low, high), stored as floats, as `torch.randint`. */
export function randint(low: number, high: number, shape: Shape, opts: RandomOptions = {}): Tensor {
	return fill(shape, opts, (r) => r.int(low, high), 'randint');
}
