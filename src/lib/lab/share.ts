/**
 * Share links: a lesson's lab state (model variant, knob values, single-weight edits) and a teacher's
 * flags, packed into the URL hash as `#s=` + base64url(deflate-raw(JSON)). The lesson is the URL's path.
 * Decoding checks everything before anything is applied, so a link either loads whole or is refused
 * with the reason. UI-free: the same code runs in the page and in Node tests.
 *
 * @example
 * const code = await encodeShare(shareStateOf(config, { 'fc.bias': { 0: 0.5 } }, NO_FLAGS));
 * const read = await decodeShare(code, 'classification'); // { ok: true, shared: { config, edits, flags } }
 * await decodeShare('%%%', 'classification'); // { ok: false, error: 'it is not base64url text' }
 */
import { WIDGET_NAMES } from '../notebook/widgets';
import { TASK_NAMES, defaultConfig, findKnob, knobValue, knobsOf, setKnob, type LabConfig } from './config';
import { buildModel } from './build';
import { paramLayout, type ParamInfo } from './params';
import { tasks, type TaskName } from '../tasks/index';

/** The share format this code writes and reads. */
export const SHARE_VERSION = 1;
/** Longest link code accepted (characters after `#s=`): a link has to survive chat apps and LMSs. */
export const MAX_ENCODED = 8 * 1024;
/** Most bytes a link may unpack to; checked while unpacking, so a small "zip bomb" stops early. */
export const MAX_DECODED = 64 * 1024;
/** The hash prefix a share link's code follows. */
export const HASH_PREFIX = '#s=';
/** A pseudo-knob naming the model variant picker, for teachers' hide and pin lists. */
export const VARIANT_KEY = 'variant';

/** Link flags a teacher sets: controls to hide (widget names or knob keys), knobs to pin, whether solutions may be shown. */
export interface TeacherFlags {
	hide: string[];
	pin: string[];
	solutions: boolean;
}

export const NO_FLAGS: TeacherFlags = Object.freeze({ hide: [], pin: [], solutions: true }) as TeacherFlags;

/** Single-weight edits: parameter name → flat index → value. */
export type WeightEdits = Record<string, Record<number, number>>;

/** A lesson's task, or `none` for a lesson without a lab. */
export type LessonTask = TaskName | 'none';

/** The v1 payload, as JSON. Knobs and the variant are stored only where they differ from the defaults. */
export interface SharePayload {
	v: number;
	task: LessonTask;
	variant?: string;
	knobs?: Record<string, number>;
	edits?: Record<string, Record<string, number>>;
	flags?: Partial<TeacherFlags>;
}

/** What a link sets up: the lab's config (null for `task: none`), its weight edits and the teacher's flags. */
export interface SharedState {
	config: LabConfig | null;
	edits: WeightEdits;
	flags: TeacherFlags;
}

export type DecodeResult = { ok: true; shared: SharedState } | { ok: false; error: string };

class ShareError extends Error {}

function fail(message: string): never {
	throw new ShareError(message);
}

/** A widget as a lesson places it, for working out which controls a teacher's link can hide or pin. */
export interface PlacedWidget {
	name: string;
	props: Record<string, unknown>;
}

/**
 * The knob keys a lesson's page shows, in the task's order with the model variant first: those of each
 * `knobs` widget (all of the task's when it lists no `keys`) and the variant, which the trainer's model
 * picker sets too. These are the knobs a teacher's link can usefully hide or pin.
 */
export function pageKnobKeys(task: LessonTask, widgets: readonly PlacedWidget[]): string[] {
	if (task === 'none') return [];
	const all = [VARIANT_KEY, ...knobsOf(task).map((k) => k.key)];
	const shown = new Set<string>();
	for (const { name, props } of widgets) {
		if (name === 'trainer') shown.add(VARIANT_KEY);
		if (name !== 'knobs') continue;
		const keys = Array.isArray(props.keys) ? (props.keys as unknown[]) : all;
		for (const key of keys) if (typeof key === 'string') shown.add(key);
	}
	return all.filter((k) => shown.has(k));
}

/** The payload for a lab in `config` with `edits` and `flags` (task `none`: pass a null config). */
export function shareStateOf(config: LabConfig | null, edits: WeightEdits, flags: TeacherFlags, task?: LessonTask): SharePayload {
	const payload: SharePayload = { v: SHARE_VERSION, task: config?.task ?? task ?? 'none' };
	if (config) {
		const defaults = defaultConfig(config.task);
		if (config.variant !== defaults.variant) payload.variant = config.variant;
		const knobs: Record<string, number> = {};
		for (const { key } of knobsOf(config.task)) if (isOverridden(config, defaults, key)) knobs[key] = knobValue(config, key);
		if (Object.keys(knobs).length) payload.knobs = knobs;
		const kept = Object.entries(edits).filter(([, byIndex]) => Object.keys(byIndex).length);
		if (kept.length) payload.edits = Object.fromEntries(kept.map(([name, byIndex]) => [name, { ...byIndex }]));
	}
	const f: Partial<TeacherFlags> = {};
	if (flags.hide.length) f.hide = [...flags.hide];
	if (flags.pin.length) f.pin = [...flags.pin];
	if (!flags.solutions) f.solutions = false;
	if (Object.keys(f).length) payload.flags = f;
	return payload;
}

/** Whether knob `key` is set away from its default. */
function isOverridden(config: LabConfig, defaults: LabConfig, key: string): boolean {
	return knobValue(config, key) !== knobValue(defaults, key);
}

/** Pack a payload into a link code (base64url of deflate-raw JSON); throws when it would exceed MAX_ENCODED. */
export async function encodeShare(payload: SharePayload): Promise<string> {
	const bytes = await pipe(new TextEncoder().encode(JSON.stringify(payload)), new CompressionStream('deflate-raw'));
	const code = toBase64url(bytes);
	if (code.length > MAX_ENCODED)
		throw new Error(`the link would be ${kb(code.length)} long, over the ${kb(MAX_ENCODED)} limit; undo some weight edits`);
	return code;
}

/** Read and check a link code for a lesson whose task is `task`; nothing is applied, so a refusal loses nothing. */
export async function decodeShare(code: string, task: LessonTask): Promise<DecodeResult> {
	try {
		if (code.length > MAX_ENCODED) fail(`it is ${kb(code.length)} long; links are at most ${kb(MAX_ENCODED)}`);
		const bytes = fromBase64url(code);
		const text = await inflate(bytes, MAX_DECODED);
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			fail('it does not hold JSON');
		}
		return readSharePayload(json, task);
	} catch (err) {
		if (err instanceof ShareError) return { ok: false, error: err.message };
		throw err;
	}
}

/**
 * Check a payload already parsed from JSON (a link's, or the one an exported weights file carries)
 * for a lesson whose task is `task`, as `decodeShare` does after inflating a link.
 */
export function readSharePayload(json: unknown, task: LessonTask): DecodeResult {
	try {
		return { ok: true, shared: checkPayload(json, task) };
	} catch (err) {
		if (err instanceof ShareError) return { ok: false, error: err.message };
		throw err;
	}
}

/** The link code in a URL hash, or null when the hash is not a share link (a heading anchor, or empty). */
export function codeFromHash(hash: string): string | null {
	return hash.startsWith(HASH_PREFIX) ? hash.slice(HASH_PREFIX.length) : null;
}

function kb(n: number): string {
	return `${Math.round((n / 1024) * 10) / 10} KB`;
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
	const writer = stream.writable.getWriter();
	void writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
	void writer.close().catch(() => {});
	return new Uint8Array(await new Response(stream.readable).arrayBuffer());
}

/** Unpack deflate-raw bytes as UTF-8, refusing as soon as the output passes `limit` bytes. */
async function inflate(bytes: Uint8Array, limit: number): Promise<string> {
	const stream = new DecompressionStream('deflate-raw');
	const writer = stream.writable.getWriter();
	void writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => {});
	void writer.close().catch(() => {});
	const reader = stream.readable.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.length;
			if (total > limit) {
				void reader.cancel().catch(() => {});
				fail(`it unpacks to more than ${kb(limit)}`);
			}
			chunks.push(value);
		}
	} catch (err) {
		if (err instanceof ShareError) throw err;
		fail('it is not compressed share data');
	}
	const out = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		out.set(chunk, offset);
		offset += chunk.length;
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(out);
	} catch {
		fail('it does not unpack to text');
	}
}

function toBase64url(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64url(code: string): Uint8Array {
	if (!/^[A-Za-z0-9_-]+$/.test(code) || code.length % 4 === 1) fail('it is not base64url text');
	const binary = atob(code.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (code.length % 4)) % 4));
	return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(where: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
	const extra = Object.keys(obj).find((k) => !allowed.includes(k));
	if (extra !== undefined) fail(`${where} has an unknown key "${extra}"`);
}

function checkPayload(json: unknown, task: LessonTask): SharedState {
	if (!isRecord(json)) fail('it does not hold a share object');
	if (json.v !== SHARE_VERSION) fail(`it is format version ${JSON.stringify(json.v)}; this site reads version ${SHARE_VERSION}`);
	onlyKeys('the link', json, ['v', 'task', 'variant', 'knobs', 'edits', 'flags']);
	const linkTask = json.task;
	if (typeof linkTask !== 'string' || !([...TASK_NAMES, 'none'] as string[]).includes(linkTask))
		fail(`it names an unknown task ${JSON.stringify(linkTask)}`);
	if (linkTask !== task) fail(`it is for the ${linkTask} task, and this lesson's task is ${task}`);
	const flags = checkFlags(json.flags, task);
	if (task === 'none') {
		const extra = (['variant', 'knobs', 'edits'] as const).find((k) => json[k] !== undefined);
		if (extra) fail(`it sets "${extra}", and this lesson has no model`);
		return { config: null, edits: {}, flags };
	}
	const config = checkConfig(json, task);
	let layout: ParamInfo[];
	try {
		layout = paramLayout(buildModel(config));
	} catch (err) {
		fail(`its settings do not make a model: ${err instanceof Error ? err.message : String(err)}`);
	}
	return { config, edits: checkEdits(json.edits, layout), flags };
}

function checkConfig(json: Record<string, unknown>, task: TaskName): LabConfig {
	const variants = tasks[task].variants;
	const variant = json.variant ?? variants[0];
	if (typeof variant !== 'string' || !variants.includes(variant))
		fail(`it names an unknown model variant ${JSON.stringify(variant)}; the variants are ${variants.join(', ')}`);
	let config = defaultConfig(task, variant);
	if (json.knobs === undefined) return config;
	if (!isRecord(json.knobs)) fail('its knobs are not an object');
	for (const [key, value] of Object.entries(json.knobs)) {
		if (!findKnob(task, key)) fail(`it sets an unknown knob "${key}"`);
		if (typeof value !== 'number') fail(`knob "${key}" is not a number`);
		const result = setKnob(config, key, value);
		if (!result.ok) fail(result.error);
		config = result.config;
	}
	return config;
}

function checkEdits(raw: unknown, layout: ParamInfo[]): WeightEdits {
	if (raw === undefined) return {};
	if (!isRecord(raw)) fail('its weight edits are not an object');
	const edits: WeightEdits = {};
	for (const [name, byIndex] of Object.entries(raw)) {
		const param = layout.find((p) => p.name === name);
		if (!param) fail(`it edits an unknown parameter "${name}"`);
		if (!isRecord(byIndex)) fail(`its edits of ${name} are not an object`);
		edits[name] = {};
		for (const [key, value] of Object.entries(byIndex)) {
			const index = /^(0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
			if (!(index < param.size)) fail(`it edits ${name}[${key}], and ${name} has indices 0 to ${param.size - 1}`);
			if (typeof value !== 'number' || !Number.isFinite(value)) fail(`its value for ${name}[${key}] is not a finite number`);
			edits[name][index] = value;
		}
	}
	return edits;
}

function checkFlags(raw: unknown, task: LessonTask): TeacherFlags {
	if (raw === undefined) return { hide: [], pin: [], solutions: true };
	if (!isRecord(raw)) fail('its teacher flags are not an object');
	onlyKeys('its teacher flags', raw, ['hide', 'pin', 'solutions']);
	const knobKeys = task === 'none' ? [] : [VARIANT_KEY, ...knobsOf(task).map((k) => k.key)];
	const list = (field: 'hide' | 'pin', allowed: readonly string[]): string[] => {
		const value = raw[field] ?? [];
		if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail(`its "${field}" flag is not a list of names`);
		const unknown = value.find((v) => !allowed.includes(v));
		if (unknown !== undefined) fail(`it asks to ${field} "${unknown}", which this lesson does not have`);
		return [...new Set(value)];
	};
	const solutions = raw.solutions ?? true;
	if (typeof solutions !== 'boolean') fail('its "solutions" flag is not true or false');
	return { hide: list('hide', [...WIDGET_NAMES, ...knobKeys]), pin: list('pin', knobKeys), solutions };
}
