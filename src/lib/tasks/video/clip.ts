/**
 * A grayscale clip: `frames × height × width` pixels in [0, 1], row-major and frame by frame,
 * so pixel (t, y, x) is `data[(t * height + y) * width + x]`. `shape` is `[T, H, W]`, the layout
 * the batches use per example (`[B, T, H, W]`: no channel axis, since every clip has one channel).
 */
export interface Clip {
	readonly data: Float32Array;
	readonly shape: readonly [frames: number, height: number, width: number];
}

/** One frame of a clip as a view (no copy), `height × width` row-major. @example clipFrame(clip, 0)[y * width + x] */
export function clipFrame(clip: Clip, t: number): Float32Array {
	const [, height, width] = clip.shape;
	return clip.data.subarray(t * height * width, (t + 1) * height * width);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a (32-bit) over the IEEE-754 bits of every value, as 8 hex digits. Reading the bits
 * through a Uint32Array makes the result independent of the platform's byte order, so the
 * same clip gives the same checksum in Node and every browser.
 *
 * @example
 * clipChecksum(new Float32Array([0, 0.5, 1])); // 'ceac7a65'
 */
export function clipChecksum(data: Float32Array): string {
	const words = new Uint32Array(data.buffer, data.byteOffset, data.length);
	let h = FNV_OFFSET;
	for (let i = 0; i < words.length; i++) {
		const w = words[i];
		h = Math.imul(h ^ (w & 0xff), FNV_PRIME);
		h = Math.imul(h ^ ((w >>> 8) & 0xff), FNV_PRIME);
		h = Math.imul(h ^ ((w >>> 16) & 0xff), FNV_PRIME);
		h = Math.imul(h ^ (w >>> 24), FNV_PRIME);
	}
	return (h >>> 0).toString(16).padStart(8, '0');
}
