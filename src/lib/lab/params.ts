/**
 * A model's parameters as one flat Float32Array in `namedParameters()` order: the form in which the
 * trainer Worker sends snapshots, rewind restores them and share links carry edits. UI-free.
 */
import { ValueError, noGrad } from '../engine/index';
import type { Module } from '../nn/module';

export interface ParamInfo {
	name: string;
	shape: number[];
	offset: number;
	size: number;
}

export function paramLayout(model: Module): ParamInfo[] {
	let offset = 0;
	return model.namedParameters().map(([name, p]) => {
		const info = { name, shape: [...p.shape], offset, size: p.size };
		offset += p.size;
		return info;
	});
}

export function flattenParams(model: Module): Float32Array {
	const params = model.namedParameters();
	const out = new Float32Array(params.reduce((n, [, p]) => n + p.size, 0));
	let offset = 0;
	for (const [, p] of params) {
		out.set(p.data, offset);
		offset += p.size;
	}
	return out;
}

/** Overwrite every parameter of `model` from `flat`; a length that does not match the model throws and changes nothing. */
export function loadFlatParams(model: Module, flat: ArrayLike<number>): void {
	const params = model.namedParameters();
	const total = params.reduce((n, [, p]) => n + p.size, 0);
	if (flat.length !== total) throw new ValueError(`loadFlatParams: the model has ${total} parameters, got ${flat.length} values`);
	noGrad(() => {
		let offset = 0;
		for (const [, p] of params) {
			for (let i = 0; i < p.size; i++) p.data[i] = flat[offset + i];
			offset += p.size;
		}
	});
}
