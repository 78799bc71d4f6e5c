/**
 * Save a chart drawn as an <svg> as a standalone SVG file or a PNG. The page styles its charts with
 * CSS variables (the theme), which mean nothing outside the page, so the export copies each
 * element's computed presentation into attributes and paints the chart's own background behind
 * it. Frames drawn on a canvas must already be inside the <svg> as `<image href="data:…">`, which
 * an SVG loaded as an image may still show (it may fetch nothing else).
 *
 * @example
 * const text = serializeSvg(svgElement);
 * downloadBlob(new Blob([text], { type: 'image/svg+xml' }), exportFileName('Attention, head 1', 'svg'));
 * downloadBlob(await svgToPng(text, 2), exportFileName('Attention, head 1', 'png'));
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The presentation properties a chart uses; each is written out as the live element computes it. */
const PROPS = [
	'fill',
	'fill-opacity',
	'stroke',
	'stroke-width',
	'stroke-dasharray',
	'stroke-opacity',
	'opacity',
	'font-family',
	'font-size',
	'font-weight',
	'text-anchor',
	'dominant-baseline',
	'image-rendering',
	'visibility'
] as const;

/** A file name from a chart's title: lowercase words joined by hyphens, never empty. */
export function exportFileName(title: string, ext: 'svg' | 'png' | 'csv'): string {
	const base = title
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return `${base || 'chart'}.${ext}`;
}

/** The chart's drawing size: its viewBox if it has one, else its size on screen. */
export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
	const box = svg.viewBox.baseVal;
	if (box && box.width > 0 && box.height > 0) return { width: box.width, height: box.height };
	const rect = svg.getBoundingClientRect();
	return { width: Math.max(1, Math.round(rect.width)), height: Math.max(1, Math.round(rect.height)) };
}

/** The first colour up the tree that is not transparent: what the chart is seen against. */
function backgroundOf(el: Element): string {
	for (let node: Element | null = el; node; node = node.parentElement) {
		const bg = getComputedStyle(node).backgroundColor;
		if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
	}
	return '#ffffff';
}

/**
 * The chart as standalone SVG text: theme colours resolved, sized to its viewBox, on its background.
 * Elements marked `data-export="skip"` (focus rings, hover hints) are left out.
 */
export function serializeSvg(svg: SVGSVGElement): string {
	const clone = svg.cloneNode(true) as SVGSVGElement;
	const live = [svg, ...svg.querySelectorAll('*')];
	const copies = [clone, ...clone.querySelectorAll('*')];
	live.forEach((el, i) => {
		const copy = copies[i];
		const style = getComputedStyle(el);
		for (const prop of PROPS) {
			const value = style.getPropertyValue(prop);
			if (value) copy.setAttribute(prop, value);
		}
		copy.removeAttribute('class');
		copy.removeAttribute('style');
	});
	for (const skip of clone.querySelectorAll('[data-export="skip"]')) skip.remove();
	const { width, height } = svgSize(svg);
	clone.setAttribute('xmlns', SVG_NS);
	clone.setAttribute('width', String(width));
	clone.setAttribute('height', String(height));
	if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
	const bg = document.createElementNS(SVG_NS, 'rect');
	const box = svg.viewBox.baseVal;
	bg.setAttribute('x', String(box?.width ? box.x : 0));
	bg.setAttribute('y', String(box?.height ? box.y : 0));
	bg.setAttribute('width', String(width));
	bg.setAttribute('height', String(height));
	bg.setAttribute('fill', backgroundOf(svg));
	clone.insertBefore(bg, clone.firstChild);
	return new XMLSerializer().serializeToString(clone);
}

/** Rasterise SVG text at `scale` times its size: draw it on a canvas as an image and encode a PNG. */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
	const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
	try {
		const img = new Image();
		img.decoding = 'sync';
		await new Promise<void>((resolve, reject) => {
			img.onload = () => resolve();
			img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
			img.src = url;
		});
		const canvas = document.createElement('canvas');
		canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
		canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
		const ctx = canvas.getContext('2d');
		if (!ctx) throw new Error('this browser gave no 2D canvas to draw the PNG on');
		ctx.imageSmoothingEnabled = false;
		ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
		return await new Promise<Blob>((resolve, reject) =>
			canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the PNG could not be encoded'))), 'image/png')
		);
	} finally {
		URL.revokeObjectURL(url);
	}
}

/** Offer `blob` as a download named `filename`. */
export function downloadBlob(blob: Blob, filename: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.rel = 'noopener';
	document.body.append(a);
	a.click();
	a.remove();
	// The download has started by the next task; the URL is no longer needed.
	setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * A grayscale frame as a PNG data URL, for an `<image href>` inside a chart: pixels in, image out.
 * `rgba` is `width × height` RGBA (see `frameRgba`).
 */
export function rgbaToDataUrl(rgba: Uint8ClampedArray, width: number, height: number): string {
	const canvas = document.createElement('canvas');
	canvas.width = width;
	canvas.height = height;
	const ctx = canvas.getContext('2d');
	if (!ctx) return '';
	ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), width, height), 0, 0);
	return canvas.toDataURL('image/png');
}
