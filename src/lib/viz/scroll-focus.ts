/**
 * Keyboard access to boxes that scroll sideways: a wide equation, heatmap or code block on a phone scrolls in its
 * own box, which a mouse or a finger can scroll but a keyboard cannot reach. While such a box overflows it joins
 * the tab order (focus it, then the arrow keys scroll it); once its content fits again it leaves, so a wide screen
 * gets no extra tab stops.
 */

/** Elements this module put in the tab order, so that it never removes a tabindex someone else set. */
const added = new WeakSet<Element>();

/**
 * Whether a box's content is wider than the box.
 * @param box its scroll and client widths, as an element reports them
 */
export function overflowsSideways(box: { scrollWidth: number; clientWidth: number }): boolean {
	return box.scrollWidth > box.clientWidth + 1;
}

function mark(el: HTMLElement) {
	if (overflowsSideways(el)) {
		if (!el.hasAttribute('tabindex')) {
			el.setAttribute('tabindex', '0');
			added.add(el);
		}
	} else if (added.has(el)) {
		el.removeAttribute('tabindex');
		added.delete(el);
	}
}

/**
 * A Svelte attachment that keeps scrolling boxes reachable by keyboard: `{@attach scrollFocus()}` on the box itself,
 * or `{@attach scrollFocus('pre, .katex-display')}` on a container of rendered HTML for the boxes inside it. It
 * re-checks when the container resizes or its content changes (a stepper's formula changes at every step).
 * @param selector the boxes inside the element to watch; the element itself when omitted
 */
export function scrollFocus(selector?: string) {
	return (root: HTMLElement) => {
		const update = () => {
			for (const el of selector ? root.querySelectorAll<HTMLElement>(selector) : [root]) mark(el);
		};
		const resized = new ResizeObserver(update);
		resized.observe(root);
		const changed = new MutationObserver(update);
		changed.observe(root, { childList: true, subtree: true, characterData: true });
		update();
		return () => {
			resized.disconnect();
			changed.disconnect();
		};
	};
}
