import type {Rate, RatedSample} from '../core/model.ts';

// Rate history per rule and chain key, for sparklines and min/avg/max. Bounded (HISTORY_POINTS per
// key) and rebuilt from each shown sample, so keys of rules that vanished are dropped with it.
// It is fed only by samples that reach the screen: while paused it stands still with the display.

export const HISTORY_POINTS = 60;

export type Series = {packets: ReadonlyArray<number | null>; bytes: ReadonlyArray<number | null>};
export type History = ReadonlyMap<string, Series>;

const empty: Series = {packets: [], bytes: []};

function append(values: ReadonlyArray<number | null>, value: number | null): Array<number | null> {
	const next = values.length >= HISTORY_POINTS ? values.slice(values.length - HISTORY_POINTS + 1) : values.slice();
	next.push(value);
	return next;
}

function extend(series: Series | undefined, rate: Rate): Series {
	const previous = series ?? empty;
	return {packets: append(previous.packets, rate.packetsPerSecond), bytes: append(previous.bytes, rate.bytesPerSecond)};
}

export function recordHistory(history: History, sample: RatedSample): History {
	const next = new Map<string, Series>();
	for (const table of sample.tables) {
		for (const chain of table.chains) {
			next.set(chain.key, extend(history.get(chain.key), chain.rate));
			for (const rule of chain.rules) next.set(rule.key, extend(history.get(rule.key), rule));
		}
	}

	return next;
}

export type Stats = {min: number; avg: number; max: number; points: number};

/** Min, average and max over the known points; null when there is none. */
export function seriesStats(values: ReadonlyArray<number | null>): Stats | null {
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	let sum = 0;
	let points = 0;
	for (const value of values) {
		if (value === null) continue;
		min = Math.min(min, value);
		max = Math.max(max, value);
		sum += value;
		points++;
	}

	return points === 0 ? null : {min, avg: sum / points, max, points};
}
