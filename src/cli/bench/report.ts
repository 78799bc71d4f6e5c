import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, Timing } from './measure';

/**
 * The TensorFlow.js backends Glance is measured against: pure JS, and WebAssembly (SIMD where the
 * CPU has it). Named here rather than in peers.ts, which loads TensorFlow.js (see tfjs.ts for why
 * Glance's rows must be measured before that happens).
 */
export const PEERS = ['tfjs-cpu', 'tfjs-wasm'] as const;
export type Peer = (typeof PEERS)[number];

/** One line of the table: Glance's figure and, where the peers run the same work, theirs. */
export interface Row {
	name: string;
	unit: 'GFLOP/s' | 'ms/step' | '×';
	/** GFLOP/s and speed-ups: higher is better; milliseconds: lower is. */
	higherIsBetter: boolean;
	glance: number | null;
	peers: Partial<Record<Peer, number>>;
	/** Why a cell is empty, or what the row measured. */
	note?: string;
	/** The raw timings behind each figure (ms per call), for the JSON. */
	timings?: Partial<Record<'glance' | Peer, Timing>>;
}

export interface Report {
	generatedAt: string;
	quick: boolean;
	/** What the single-thread rows' milliseconds are: CPU time of the process, or wall clock. */
	clock: Clock;
	machine: { node: string; cpu: string; cores: number; platform: string };
	wasm: string;
	rows: Row[];
	notes: string[];
}

function figure(v: number | null | undefined, unit: Row['unit']): string {
	if (v === null || v === undefined || !Number.isFinite(v)) return '—';
	if (unit === '×') return `${v.toFixed(2)}×`;
	return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/** Glance's speed over the peer's: above 1, Glance is faster, whichever way the unit runs. */
export function speedRatio(row: Row, peer: Peer): number | null {
	const p = row.peers[peer];
	if (row.glance === null || p === undefined || !(p > 0) || !(row.glance > 0)) return null;
	return row.higherIsBetter ? row.glance / p : p / row.glance;
}

/** The table `npm run bench` prints (and the README shows): one row per measurement. */
export function formatTable(rows: readonly Row[]): string {
	const header = ['benchmark', 'unit', 'Glance', ...PEERS.flatMap((p) => [p, `Glance/${p.replace('tfjs-', '')}`])];
	const body = rows.map((r) => [
		r.name,
		r.unit,
		figure(r.glance, r.unit),
		...PEERS.flatMap((p) => {
			const ratio = speedRatio(r, p);
			return [figure(r.peers[p], r.unit), ratio === null ? '—' : `${ratio.toFixed(2)}×`];
		})
	]);
	const text = [header, ...body];
	const widths = header.map((_, c) => Math.max(...text.map((r) => r[c].length)));
	const line = (r: readonly string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function writeReport(path: string, report: Report): void {
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, `${JSON.stringify(report, null, '\t')}\n`);
}
