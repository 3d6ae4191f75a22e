import type {RatedChain, RatedRule, RatedTable} from '../core/model.ts';
import {buildPath} from '../core/path.ts';
import {chainKeyOf, compareDeltaKeys, markActivity, ruleKeyOf, ruleMoved} from './mark.ts';
import {patternFilter} from './row-filter.ts';
import {
	type Row, type SortKey, type State, findChain, orderTables, sinceBaseline, sortsByValue, topFrame, visibleTables,
} from './state.ts';

// The rows of the view on top of the stack: collected in natural order (hook order for chains,
// rule order for rules, traversal order for the path), filtered, sorted, with tombstones.

const HOOK_ORDER = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** Built-in chains in hook order, then user chains as the dump lists them. */
export function chainOrder(chains: readonly RatedChain[]): RatedChain[] {
	const rank = (chain: RatedChain): number => {
		const hook = HOOK_ORDER.indexOf(chain.name);
		return chain.builtin ? (hook < 0 ? HOOK_ORDER.length : hook) : HOOK_ORDER.length + 1;
	};

	return chains.map((chain, index) => ({chain, index}))
		.sort((a, b) => rank(a.chain) - rank(b.chain) || a.index - b.index)
		.map(item => item.chain);
}

/** Rule matches per second summed over a chain: how busy it is, whatever its policy. */
export function chainHits(chain: RatedChain): number | null {
	let sum = 0;
	let known = false;
	for (const rule of chain.rules) {
		if (rule.packetsPerSecond === null) continue;
		known = true;
		sum += rule.packetsPerSecond;
	}

	return known ? sum : null;
}

/** Whether a row carries traffic now: a known rate above zero, a known zero, or unknown. */
export function activity(row: Row): 'active' | 'idle' | 'unknown' {
	const rates = row.kind === 'rule'
		? [row.rule.packetsPerSecond]
		: row.kind === 'chain'
			? [row.chain.rate.packetsPerSecond, chainHits(row.chain)]
			: [row.path.rule === undefined ? row.path.chainRef?.rate.packetsPerSecond ?? null : row.path.rule.packetsPerSecond];
	if (rates.some(rate => rate !== null && rate > 0)) return 'active';
	return rates.some(rate => rate !== null) ? 'idle' : 'unknown';
}

/** Idle: a known rate of zero. An unknown rate (first sample) is not idle, it is unknown. */
function isIdle(row: Row): boolean {
	return row.kind !== 'path' && activity(row) === 'idle';
}

function collect(state: State): Row[] {
	const view = topFrame(state).view;
	if (state.sample === null) return [];
	switch (view.kind) {
		case 'overview': {
			const tables = orderTables(visibleTables(state));
			return tables.flatMap((table: RatedTable) =>
				chainOrder(table.chains).map((chain): Row => ({kind: 'chain', key: chain.key, gone: false, table, chain})));
		}

		case 'chain': {
			const found = findChain(state, view.table, view.chain);
			if (found === undefined) return [];
			// A loop, not flatMap: no array per rule in a 20,000-rule chain.
			const rows: Row[] = [];
			for (const rule of found.chain.rules) {
				rows.push({kind: 'rule', key: rule.key, gone: false, ...found, rule});
				rule.targets?.forEach((via, index) => rows.push({kind: 'rule', key: `${rule.key}>vmap ${index}`, gone: false, ...found, rule, via}));
			}

			return rows;
		}

		case 'path': {
			const {mark} = state;
			// With a mark the path folds the rules that did not move since it (like probe's report).
			const options = mark === null
				? {family: state.family, kind: state.pathKind, hideIdle: state.pathHideIdle}
				: {family: state.family, kind: state.pathKind, hideIdle: mark.hideUnmoved, active: (rule: RatedRule) => ruleMoved(mark, rule), idleWord: 'unmoved'};
			return buildPath(state.sample, options).map((path): Row => ({kind: 'path', key: path.key, gone: false, path}));
		}

		case 'rule':
			return [];
	}
}

/** Hidden by `i`: idle rows (a known rate of zero), or with a mark the rows that did not move.
 * Path rows are folded by buildPath instead. */
function hidden(state: State, row: Row): boolean {
	if (row.kind === 'path') return false;
	if (state.mark !== null) return state.mark.hideUnmoved && markActivity(state.mark, row) === 'idle';
	return state.hideIdle && isIdle(row);
}

/** What the sort compares: an unknown rate (first sample) sorts after every known one, and what
 * nothing counts (nft without `counter`) after that, so it never poses as a 0. A vmap branch (↳)
 * sorts as its rule, so it stays under it. An uncounted nft base chain sorts by its rules' hits. */
const UNKNOWN = -1;
const UNCOUNTED = -2;

function sortValue(state: State, row: Row, sort: SortKey): number {
	if (row.kind === 'path') return 0;
	const counted = row.kind === 'rule' ? row.rule : row.chain;
	const none = counted.counted === false ? UNCOUNTED : UNKNOWN;
	const rate = row.kind === 'rule' ? row.rule.packetsPerSecond : row.chain.rate.packetsPerSecond ?? chainHits(row.chain);
	if (sort === 'rate') return rate ?? none;
	if (counted.counted === false) return UNCOUNTED;
	const since = sinceBaseline(state, counted.key, counted);
	return Number(sort === 'bytes' ? since.bytes : since.packets);
}

/** Sorted by the sort key, largest first; ties keep natural order (the rule index for rules), so
 * equal rows never swap places between samples. */
function sorted(state: State, rows: Row[]): Row[] {
	if (!sortsByValue(state)) return rows;
	if (state.mark !== null) return byDelta(state.mark, rows);
	const decorated = rows.map((row, position) => ({row, position, value: sortValue(state, row, state.sort)}));
	decorated.sort((a, b) => b.value - a.value || a.position - b.position);
	return decorated.map(item => item.row);
}

/** The diff's order (mark.ts): what moved, largest Δ first; then resets; then the rest. */
function byDelta(mark: NonNullable<State['mark']>, rows: Row[]): Row[] {
	const keyOf = (row: Row) => (row.kind === 'rule' ? ruleKeyOf(mark, row.rule) : row.kind === 'chain' ? chainKeyOf(mark, row.chain) : {group: 2 as const, value: 0n, next: 0n});
	const decorated = rows.map((row, position) => ({row, position, key: keyOf(row)}));
	decorated.sort((a, b) => compareDeltaKeys(a.key, b.key) || a.position - b.position);
	return decorated.map(item => item.row);
}

/** The sort hold: rows keep the order they had on screen, rows not seen before go at the end
 * in sort order. Used while the cursor is moving, so rows do not reshuffle under it. */
function held(rows: Row[], previous: readonly Row[]): Row[] {
	const position = new Map(previous.map((row, index) => [row.key, index]));
	const known = rows.filter(row => position.has(row.key));
	known.sort((a, b) => position.get(a.key)! - position.get(b.key)!);
	return [...known, ...rows.filter(row => !position.has(row.key))];
}

/** Rows of the previous sample whose rule or chain no longer exists stay one more sample, greyed,
 * where they were (htop's tombstones). A row only filtered out is not gone. */
function withTombstones(rows: Row[], collected: readonly Row[], previous: readonly Row[]): Row[] {
	const present = new Set(collected.map(row => row.key));
	const ghosts: Array<{row: Row; index: number}> = [];
	previous.forEach((row, index) => {
		if (!row.gone && row.kind !== 'path' && !present.has(row.key)) ghosts.push({row: {...row, gone: true}, index});
	});
	if (ghosts.length === 0) return rows;
	// A merge rather than splices: a deleted 20,000-rule chain must not cost 20,000² moves.
	const result: Row[] = [];
	let next = 0;
	for (const row of rows) {
		while (next < ghosts.length && ghosts[next]!.index <= result.length) result.push(ghosts[next++]!.row);
		result.push(row);
	}

	while (next < ghosts.length) result.push(ghosts[next++]!.row);
	return result;
}

export type RowOptions = {
	/** The rows on screen before this sample: for tombstones and the sort hold. */
	previous?: readonly Row[];
	hold?: boolean;
};

export function computeRows(state: State, options: RowOptions = {}): Row[] {
	const collected = collect(state);
	const matches = patternFilter(state);
	const kept = collected.filter(row => !hidden(state, row) && (matches === null || matches(row)));
	const previous = options.previous;
	const ordered = previous !== undefined && options.hold === true && sortsByValue(state)
		? held(sorted(state, kept), previous)
		: sorted(state, kept);
	return previous === undefined ? ordered : withTombstones(ordered, collected, previous);
}
