import type {Rate, RatedChain, RatedRule, RatedSample} from '../core/model.ts';

// Rate history per rule and chain key, for sparklines and min/avg/max: the last HISTORY_POINTS
// shown samples. It is fed only by samples that reach the screen: while paused it stands still
// with the display.
//
// Copying a 60-point series for every key on every sample cost 436 ms and 2.4 kB a rule at 50,000
// rules (bench/frames.ts). The engine hands back the same RatedChain and RatedRule objects for
// what did not change (iptables-rates.ts), and the same object has the same rates, so its series
// just goes on: a sample costs a pointer comparison per chain (against the chain at the same
// place last time) plus the rules that changed, about 5 ms at 50,000 rules with 2 % moving. A series
// is stored as runs, `[start, packets/s, bytes/s, start, …]` (NaN for unknown; rates are never
// negative), a run ending where the next starts, so a rule that moves now and then holds a few.
// Most rules of a big host never move: theirs is one number in the map, the step they appeared
// at (unknown then, 0 ever after; negated: unknown ever after), no array. Keys that vanish are
// dropped.
//
// The store is shared by successive states and only ever extended at their newest step, so
// recording the next sample from the same History twice (a reducer that React runs twice) gives
// the same store. An older History may see points recorded after it; the dashboard only ever reads
// the newest.

export const HISTORY_POINTS = 60;

/** What a series is stored under: a chain's key, a rule's id. A rule's key is its chain's key and
 * its whole text (about 150 bytes), made only when something asks (rated-rule.ts); keyed by id,
 * the history no longer makes one for every rule: at 50,000 rules (bench/memory.ts, 150 samples)
 * the dashboard's heap after a full collection went from 94 to 88 MB. Two rules whose ids collide
 * (53 bits; about 1e-7 at 50,000 rules) would share a sparkline, nothing more. */
export const seriesKey = (item: RatedRule | RatedChain): string => ('rules' in item ? item.key : item.id);

export type Series = {packets: ReadonlyArray<number | null>; bytes: ReadonlyArray<number | null>};

type Runs = number[];
/** Runs, or the two series most rules have: `first` (unknown at `first`, then 0 from `first + 1`
 * on) and `-first` (unknown from `first` on). */
type Stored = Runs | number;

/** Per table, its chains as last recorded: a chain that is the same object again is skipped. */
type Store = {entries: Map<string, Stored>; tables: Map<string, readonly RatedChain[]>};

export type History = {
	readonly step: number;
	/** The points of a series (`seriesKey`), oldest first (null where the rate was unknown);
	 * undefined for one not in the last recorded sample. */
	get(key: string): Series | undefined;
	/** Keys held: for tests and the memory benchmark. */
	readonly size: number;
};

const known = (value: number): number | null => (Number.isNaN(value) ? null : value);

function decode(stored: Stored): Runs {
	if (typeof stored !== 'number') return stored;
	return stored < 0 ? [-stored, Number.NaN, Number.NaN] : [stored, Number.NaN, Number.NaN, stored + 1, 0, 0];
}

function encode(runs: Runs): Stored {
	const [first, packets, bytes] = runs as [number, number, number];
	if (!Number.isNaN(packets) || !Number.isNaN(bytes)) return runs;
	if (runs.length === 3) return -first;
	return runs.length === 6 && runs[3] === first + 1 && runs[4] === 0 && runs[5] === 0 ? first : runs;
}

function read(runs: Runs, step: number): Series {
	const packets: Array<number | null> = [];
	const bytes: Array<number | null> = [];
	let run = 0;
	for (let at = Math.max(runs[0]!, step - HISTORY_POINTS + 1); at <= step; at++) {
		while (run + 3 < runs.length && runs[run + 3]! <= at) run += 3;
		packets.push(known(runs[run + 1]!));
		bytes.push(known(runs[run + 2]!));
	}

	return {packets, bytes};
}

function view(store: Store, step: number): History {
	return {
		step,
		get(key) {
			const stored = store.entries.get(key);
			return stored === undefined ? undefined : read(decode(stored), step);
		},
		get size() {
			return store.entries.size;
		},
	};
}

const stores = new WeakMap<History, Store>();

export function createHistory(): History {
	const store: Store = {entries: new Map(), tables: new Map()};
	const history = view(store, 0);
	stores.set(history, store);
	return history;
}

/** Whether a stored number already says this point: the common case, with nothing to write. */
function unchanged(stored: Stored | undefined, packets: number, bytes: number, step: number): boolean {
	if (typeof stored !== 'number') return false;
	if (stored > 0) return step > stored && packets === 0 && bytes === 0;
	return step >= -stored && Number.isNaN(packets) && Number.isNaN(bytes);
}

/** `runs[from, to)` and one more run, in an array of exactly that size: a pushed-to array keeps
 * room to grow, which at 50,000 moving rules was half the history's memory. */
function extended(runs: Runs, from: number, to: number, step: number, packets: number, bytes: number): Runs {
	const next = new Array<number>(to - from + 3);
	for (let index = from; index < to; index++) next[index - from] = runs[index]!;
	next[to - from] = step;
	next[to - from + 1] = packets;
	next[to - from + 2] = bytes;
	return next;
}

function write(entries: Map<string, Stored>, key: string, rate: Rate, step: number): void {
	const packets = rate.packetsPerSecond ?? Number.NaN;
	const bytes = rate.bytesPerSecond ?? Number.NaN;
	const stored = entries.get(key);
	if (unchanged(stored, packets, bytes, step)) return;
	const runs = stored === undefined ? [] : decode(stored);
	// What was recorded at this step already (the same sample again) is recorded anew.
	let end = runs.length;
	while (end > 0 && runs[end - 3]! >= step) end -= 3;
	if (end > 0 && Object.is(runs[end - 2], packets) && Object.is(runs[end - 1], bytes)) {
		entries.set(key, encode(end === runs.length ? runs : runs.slice(0, end)));
		return;
	}

	// Runs that ended before the window are dropped.
	let start = 0;
	while (start + 3 < end && runs[start + 3]! <= step - HISTORY_POINTS + 1) start += 3;
	entries.set(key, encode(extended(runs, start, end, step, packets, bytes)));
}

function forgetChain(entries: Map<string, Stored>, chain: RatedChain): void {
	entries.delete(chain.key);
	for (const rule of chain.rules) entries.delete(rule.id);
}

/** Rules of the chain's previous self that it no longer has. */
function forgetRules(entries: Map<string, Stored>, before: RatedChain, after: RatedChain): void {
	const same = before.rules.length === after.rules.length && before.rules.every((rule, index) => rule.id === after.rules[index]!.id);
	if (same) return;
	const keep = new Set(after.rules.map(rule => rule.id));
	for (const rule of before.rules) if (!keep.has(rule.id)) entries.delete(rule.id);
}

function recordChain(entries: Map<string, Stored>, previous: RatedChain | undefined, chain: RatedChain, step: number): void {
	write(entries, chain.key, chain.rate, step);
	// In a chain that changed, most rules are still the objects they were (the engine keeps an idle
	// rule's rated object): those are skipped without a lookup.
	const before = previous?.rules;
	chain.rules.forEach((rule, index) => {
		if (before?.[index] !== rule) write(entries, rule.id, rule, step);
	});
	if (previous !== undefined) forgetRules(entries, previous, chain);
}

/** The table's chains against the ones recorded last time, position by position (chains rarely
 * move); by key only when they did. */
function recordTable(store: Store, key: string, chains: readonly RatedChain[], step: number): void {
	const before = store.tables.get(key);
	let byKey: Map<string, RatedChain> | undefined;
	let aligned = before?.length === chains.length;
	chains.forEach((chain, index) => {
		const old = before?.[index];
		if (old === chain) return;
		let previous = old?.key === chain.key ? old : undefined;
		if (previous === undefined && before !== undefined) {
			aligned = false;
			byKey ??= new Map(before.map(each => [each.key, each]));
			previous = byKey.get(chain.key);
		}

		recordChain(store.entries, previous, chain, step);
	});
	if (before !== undefined && !aligned) {
		const keep = new Set(chains.map(chain => chain.key));
		for (const chain of before) if (!keep.has(chain.key)) forgetChain(store.entries, chain);
	}

	store.tables.set(key, chains);
}

/** `family name`, numbered when a sample has two tables of that name (iptables' and nft's). */
function tableKeys(sample: RatedSample): string[] {
	const seen = new Map<string, number>();
	return sample.tables.map(table => {
		const name = `${table.family} ${table.name}`;
		const count = (seen.get(name) ?? 0) + 1;
		seen.set(name, count);
		return count === 1 ? name : `${name} #${count}`;
	});
}

/** The history with `sample` as its newest point. */
export function recordHistory(history: History, sample: RatedSample): History {
	const store = stores.get(history);
	if (store === undefined) throw new Error('recordHistory: not a history from createHistory');
	const step = history.step + 1;
	const keys = tableKeys(sample);
	const present = new Set(keys);
	// A table that is gone takes its chains' series with it (before the others are recorded, in
	// case a chain key moved to another table).
	for (const [key, chains] of store.tables) {
		if (present.has(key)) continue;
		for (const chain of chains) forgetChain(store.entries, chain);
		store.tables.delete(key);
	}

	sample.tables.forEach((table, index) => {
		recordTable(store, keys[index]!, table.chains, step);
	});
	const next = view(store, step);
	stores.set(next, store);
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
