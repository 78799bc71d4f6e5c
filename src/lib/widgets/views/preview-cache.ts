/**
 * One preview per lab state, shared by every view on the page: the frame player and the attention
 * view read the same arrays instead of running the model twice. Call it inside a `$derived` so the
 * reads of the lab's state below make the view redraw when any of them changes.
 */
import type { Lab } from '$lib/lab/lab.svelte';
import { computeClip, computePreview, type ClipPreview, type Preview } from '$lib/lab/preview';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

interface Entry {
	key: unknown[];
	preview?: Outcome<Preview>;
	clip?: Outcome<ClipPreview>;
}

const cache = new WeakMap<Lab, Entry>();

function entry(lab: Lab): Entry {
	// Every read here is a dependency of the caller's $derived.
	const key = [lab.config, lab.model, lab.data, lab.example, lab.version];
	const hit = cache.get(lab);
	if (hit && hit.key.every((k, i) => k === key[i])) return hit;
	const fresh: Entry = { key };
	cache.set(lab, fresh);
	return fresh;
}

function attempt<T>(fn: () => T): Outcome<T> {
	try {
		return { ok: true, value: fn() };
	} catch (err) {
		return { ok: false, error: err instanceof Error ? err.message : String(err) };
	}
}

/** What the model made of the lab's current clip, or why it could not be computed. */
export function labPreview(lab: Lab): Outcome<Preview> {
	const e = entry(lab);
	e.preview ??= attempt(() => computePreview(lab.config, lab.model, lab.data, lab.example));
	return e.preview;
}

/** The lab's current clip alone (no model run), or why it could not be read. */
export function labClip(lab: Lab): Outcome<ClipPreview> {
	const e = entry(lab);
	e.clip ??= e.preview?.ok ? { ok: true, value: e.preview.value } : attempt(() => computeClip(lab.config, lab.data, lab.example));
	return e.clip;
}
