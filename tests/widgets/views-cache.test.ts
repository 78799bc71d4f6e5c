import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/lib/lab/config';
import { Lab } from '../../src/lib/lab/lab.svelte';
import { labClip, labPreview } from '../../src/lib/widgets/views/preview-cache';

describe('labPreview', () => {
	it('computes once per lab state and again after an edit, a snapshot, a clip change or a knob', () => {
		const lab = new Lab(defaultConfig('classification'));
		const first = labPreview(lab);
		if (!first.ok || first.value.task !== 'classification') throw new Error('no preview');
		expect(labPreview(lab)).toBe(first);
		expect(labClip(lab)).toEqual({ ok: true, value: first.value });

		const params = lab.params();
		lab.setParams(params.map((v) => v * 0.5));
		const snapshot = labPreview(lab);
		expect(snapshot).not.toBe(first);
		if (!snapshot.ok || snapshot.value.task !== 'classification') throw new Error('no preview');
		expect([...snapshot.value.probs]).not.toEqual([...first.value.probs]);

		lab.example = 3;
		const other = labPreview(lab);
		if (!other.ok) throw new Error(other.error);
		expect(other.value.clip.data).not.toEqual(first.value.clip.data);

		expect(lab.setKnob('data.frames', '8')).toBeNull();
		const shorter = labPreview(lab);
		if (!shorter.ok) throw new Error(shorter.error);
		expect(shorter.value.clip.frames).toBe(8);
	});

	it('reports a clip that does not exist as a message, not a crash', () => {
		const lab = new Lab(defaultConfig('tracking'));
		lab.example = 42;
		expect(labPreview(lab)).toEqual({ ok: false, error: expect.stringMatching(/clip 42 does not exist; there are 8 preview clips/) });
		expect(labClip(lab).ok).toBe(false);
	});
});
