// Presentation as pure functions: numbers in, short strings out. Decimal (SI) prefixes throughout,
// as iptables' own K/M/G counters use 1000 (xtables.c xtables_print_num).

const prefixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/** `value` scaled to at most three digits before the point: [number text, prefix]. */
function scaled(value: number): [string, string] {
	let index = 0;
	let scaledValue = value;
	while (scaledValue >= 999.5 && index < prefixes.length - 1) {
		scaledValue /= 1000;
		index++;
	}

	// One decimal below 100 (1.7 k, 13.6 k), none above (123 k); plain integers need none.
	const text = index === 0 && Number.isInteger(scaledValue)
		? String(scaledValue)
		: scaledValue < 99.95 ? scaledValue.toFixed(1) : Math.round(scaledValue).toString();
	return [text, prefixes[index]!];
}

export type RateUnit = 'packets' | 'bytes';

/** `29/s`, `0.5/s`, `1.2k/s`, `1.7 kB/s`, `13.6 kb/s` (bits); `–` when the rate is unknown. */
export function formatRate(value: number | null, unit: RateUnit, bits = false): string {
	if (value === null || !Number.isFinite(value)) return '–';
	if (unit === 'packets') {
		if (value === 0) return '0/s';
		if (value < 0.1) return '<0.1/s';
		if (value < 10) return `${value.toFixed(1)}/s`;
		if (value < 999.5) return `${Math.round(value)}/s`;
		const [text, prefix] = scaled(value);
		return `${text}${prefix}/s`;
	}

	const perSecond = bits ? value * 8 : value;
	const symbol = bits ? 'b/s' : 'B/s';
	if (perSecond > 0 && perSecond < 1) return `<1 ${symbol}`;
	if (perSecond < 999.5) return `${Math.round(perSecond)} ${symbol}`;
	const [text, prefix] = scaled(perSecond);
	return `${text} ${prefix}${symbol}`;
}

function group(value: bigint): string {
	const digits = (value < 0n ? -value : value).toString();
	const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return value < 0n ? '-' + grouped : grouped;
}

/** A counter: `1,234,567` grouped, or compact `999`, `1.2k`, `13M`. */
export function formatCount(value: bigint, style: 'compact' | 'grouped' = 'compact'): string {
	if (style === 'grouped' || (value < 1000n && value > -1000n)) return group(value);
	const [text, prefix] = scaled(Number(value));
	return `${text}${prefix}`;
}

/** A byte counter: `512 B`, `1.7 kB`, `21 GB`; grouped: `1,234,567 B`. */
export function formatBytes(value: bigint, style: 'compact' | 'grouped' = 'compact'): string {
	if (style === 'grouped' || value < 1000n) return `${group(value)} B`;
	const [text, prefix] = scaled(Number(value));
	return `${text} ${prefix}B`;
}

/** How long ago: `0.4s`, `12s`, `3m05s`, `2h03m`. */
export function formatAge(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 10) return `${seconds.toFixed(1)}s`;
	if (seconds < 60) return `${Math.floor(seconds)}s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
	return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** A short duration such as a read time: `35ms`, `1.2s`. */
export function formatDuration(ms: number): string {
	if (ms < 1000) return `${Math.round(Math.max(0, ms))}ms`;
	return `${(ms / 1000).toFixed(1)}s`;
}

/** An interval: `1s`, `0.5s`, `2.5s`, `30s`. */
export function formatInterval(ms: number): string {
	const seconds = ms / 1000;
	return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(2))}s`;
}

const bars = '▁▂▃▄▅▆▇█';

/** The last `width` points as a bar line, scaled to their maximum. Unknown and zero are blank,
 * any traffic at all shows at least the lowest bar. */
export function sparkline(values: ReadonlyArray<number | null>, width: number): string {
	if (width <= 0) return '';
	const points = values.slice(-width);
	let max = 0;
	for (const value of points) if (value !== null && value > max) max = value;
	let line = '';
	for (const value of points) {
		if (value === null || value <= 0 || max === 0) {
			line += ' ';
			continue;
		}

		const level = Math.min(bars.length - 1, Math.floor((value / max) * bars.length));
		line += bars[Math.max(0, level)];
	}

	return line.padStart(width);
}
