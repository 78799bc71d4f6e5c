/** Text for a one-line progress bar with rate, ETA and the latest loss. Pure, so it is testable. */

const BAR_WIDTH = 24;

export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
	const s = Math.round(seconds);
	const m = Math.floor(s / 60);
	const h = Math.floor(m / 60);
	const pad = (n: number) => String(n).padStart(2, '0');
	return h > 0 ? `${h}:${pad(m % 60)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/**
 * @example
 * progressLine({ step: 50, total: 200, elapsed: 10, loss: 0.52, label: 'epoch 1/4' });
 * // 'epoch 1/4 [██████░░░░░░░░░░░░░░░░░░]  50/200  5.0 steps/s  ETA 00:30  loss 0.5200'
 */
export function progressLine(p: { step: number; total: number; elapsed: number; loss: number; label: string }): string {
	const frac = p.total > 0 ? Math.min(p.step / p.total, 1) : 0;
	const filled = Math.round(frac * BAR_WIDTH);
	const rate = p.elapsed > 0 ? p.step / p.elapsed : 0;
	const eta = rate > 0 ? (p.total - p.step) / rate : NaN;
	const width = String(p.total).length;
	return (
		`${p.label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(p.step).padStart(width)}/${p.total}` +
		`  ${rate.toFixed(1)} steps/s  ETA ${formatDuration(eta)}  loss ${p.loss.toFixed(4)}`
	);
}

/** A fixed-width text table: one header row and rows of cells, numbers to 4 significant places, NaN (not measured) as —. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
	const cell = (v: string | number) => {
		if (typeof v === 'string') return v;
		if (Number.isNaN(v)) return '—';
		return Number.isInteger(v) ? String(v) : v.toPrecision(4);
	};
	const text = [header.map(cell), ...rows.map((r) => r.map(cell))];
	const widths = header.map((_, c) => Math.max(...text.map((r) => (r[c] ?? '').length)));
	const line = (r: readonly string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
	return [line(text[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}
