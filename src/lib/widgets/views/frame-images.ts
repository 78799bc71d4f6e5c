/**
 * Frames as PNG data URLs for `<image href>` inside the views' SVGs, so a saved SVG or PNG carries
 * the frames with it. Each frame is upscaled with hard pixel edges (see `frameRgba`), and the URLs
 * of a clip are made once per clip buffer.
 */
import { rgbaToDataUrl } from '$lib/viz/export/svg-export';
import { frameRgba } from './mapping';

/** Upscaled frames are at least this many pixels on a side: enough that no viewer blurs them. */
const MIN_SIDE = 128;

const cache = new WeakMap<Float32Array, string[]>();

/**
 * One data URL per frame of a `[frames, height, width]` buffer (empty strings outside a browser).
 *
 * @example
 * frameUrls(preview.clip.data, 16, 16, 16)[3]; // 'data:image/png;base64,…'
 */
export function frameUrls(data: Float32Array, frames: number, height: number, width: number): string[] {
	// Prerendering has no canvas: the frames are drawn once the page runs in a browser.
	if (typeof document === 'undefined') return Array.from({ length: frames }, () => '');
	const hit = cache.get(data);
	if (hit && hit.length === frames) return hit;
	const scale = Math.max(1, Math.ceil(MIN_SIDE / Math.max(height, width)));
	const urls = Array.from({ length: frames }, (_, t) =>
		rgbaToDataUrl(frameRgba(data, height, width, t, scale), width * scale, height * scale)
	);
	cache.set(data, urls);
	return urls;
}
