import type {NftTarget, RatedChain, RatedRule} from '../core/model.ts';
import type {ColumnSpec} from './columns.ts';
import {formatBytes, formatCount, formatRate, sparkline} from './format.ts';
import {type History, seriesKey} from './history.ts';
import {type Delta, type Mark, chainDelta, countsAnything, deltaSince, ruleDelta} from './mark.ts';
import {chainHits} from './rows.ts';
import {sanitize} from './sanitize.ts';
import {type Counters, type Row, tableId} from './state.ts';
import {chainLabel} from './detail-nft.ts';
import {displayWidth} from './text.ts';

// What each table shows, as data (columns) and pure functions (cells). Every string that came
// from the firewall goes through `sanitize` here, before any width is measured.

export const RULE_COLUMNS: readonly ColumnSpec[] = [
	{id: '#', header: '#', align: 'right', min: 2, max: 6},
	{id: 'pkts', header: 'pkts', align: 'right', min: 5, max: 5, drop: 3},
	{id: 'bytes', header: 'bytes', align: 'right', min: 7, max: 7, drop: 2},
	{id: 'pkts/s', header: 'pkts/s', align: 'right', min: 6, max: 6},
	{id: 'bytes/s', header: 'bytes/s', align: 'right', min: 9, max: 9},
	{id: 'target', header: 'target', align: 'left', min: 6, max: 16},
	{id: 'prot', header: 'prot', align: 'left', min: 4, max: 6, drop: 12},
	{id: 'in', header: 'in', align: 'left', min: 6, max: 16, drop: 11},
	{id: 'out', header: 'out', align: 'left', min: 6, max: 16, drop: 10},
	{id: 'source', header: 'source', align: 'left', min: 9, max: 18},
	{id: 'destination', header: 'destination', align: 'left', min: 9, max: 18},
	{id: 'options', header: 'options', align: 'left', min: 16, want: 40, max: 1000, grow: true},
	{id: 'spark', header: 'history', align: 'left', min: 12, max: 12, drop: 1},
];

export const CHAIN_COLUMNS: readonly ColumnSpec[] = [
	// nft tables are named with their family (`ip docker-bridges`): room for that when it is there.
	{id: 'table', header: 'table', align: 'left', min: 5, max: 20, drop: 11},
	{id: 'chain', header: 'chain', align: 'left', min: 10, max: 28},
	{id: 'policy', header: 'policy', align: 'left', min: 6, max: 6, drop: 10},
	{id: 'rules', header: 'rules', align: 'right', min: 5, max: 6},
	{id: 'refs', header: 'refs', align: 'right', min: 4, max: 5, drop: 4},
	{id: 'pkts/s', header: 'pkts/s', align: 'right', min: 6, max: 6},
	{id: 'bytes/s', header: 'bytes/s', align: 'right', min: 9, max: 9},
	{id: 'hits/s', header: 'hits/s', align: 'right', min: 6, max: 6, drop: 3},
	{id: 'spark', header: 'history', align: 'left', min: 8, max: 30, grow: true, drop: 1},
];

export const PATH_COLUMNS: readonly ColumnSpec[] = [
	{id: 'pkts/s', header: 'pkts/s', align: 'right', min: 6, max: 6},
	{id: 'bytes/s', header: 'bytes/s', align: 'right', min: 9, max: 9},
	{id: 'spark', header: 'history', align: 'left', min: 12, max: 12, drop: 1},
	{id: 'path', header: 'packet path', align: 'left', min: 50, max: 1000, grow: true},
];

// Δpkts is as wide as its widest cell (`reset`, `12 new`: see markWidths), Δbytes as a byte count.
const DELTA_PACKETS: ColumnSpec = {id: 'Δpkts', header: 'Δpkts', align: 'right', min: 6, max: 10};
const DELTA_BYTES: ColumnSpec = {id: 'Δbytes', header: 'Δbytes', align: 'right', min: 8, max: 8};

/** With a mark the counters are Δ since it and lead; the rates are extras that go first. */
export const RULE_MARK_COLUMNS: readonly ColumnSpec[] = [
	RULE_COLUMNS[0]!,
	DELTA_PACKETS,
	DELTA_BYTES,
	{...RULE_COLUMNS[3]!, drop: 3},
	{...RULE_COLUMNS[4]!, drop: 2},
	...RULE_COLUMNS.slice(5),
];

export const CHAIN_MARK_COLUMNS: readonly ColumnSpec[] = [
	...CHAIN_COLUMNS.slice(0, 5),
	DELTA_PACKETS,
	DELTA_BYTES,
	{id: 'Δhits', header: 'Δhits', align: 'right', min: 6, max: 6, drop: 3},
	CHAIN_COLUMNS.at(-1)!,
];

export const PATH_MARK_COLUMNS: readonly ColumnSpec[] = [
	DELTA_PACKETS,
	DELTA_BYTES,
	...PATH_COLUMNS.slice(2),
];

export type CellContext = {
	bits: boolean;
	history: History;
	sparkWidth: number;
	since: (key: string, counters: Counters) => Counters;
	/** The mark, when the views show Δ since it. */
	mark: Mark | null;
};

/** A Δ since the mark: `reset` when the counter went down (never a negative), `new` when the rule
 * appeared after the mark (counted from 0). */
export function deltaCells(delta: Delta | undefined): {'Δpkts': string; 'Δbytes': string} {
	if (delta === undefined) return {'Δpkts': '', 'Δbytes': ''};
	if (delta.status === 'reset') return {'Δpkts': 'reset', 'Δbytes': '–'};
	if (delta.status === 'uncounted') return {'Δpkts': '–', 'Δbytes': '–'};
	const packets = formatCount(delta.packets);
	return {'Δpkts': delta.status === 'new' ? `${packets} new` : packets, 'Δbytes': formatBytes(delta.bytes)};
}

/** The rule's matches and target options as one line: `-m tcp` is dropped when `-p tcp` already
 * says it, a goto is marked, and the comment follows as iptables -L prints it. */
export function ruleOptions(rule: RatedRule): string {
	const protocol = rule.protocol.replace(/^!/, '');
	const options = rule.options.replace(new RegExp(`(^|\\s)-m ${protocol.replace(/\W/g, '\\$&')}(?=\\s|$)`), '').trim();
	const parts = [options, rule.goto ? '[goto]' : '', rule.comment === null ? '' : `/* ${rule.comment} */`];
	return sanitize(parts.filter(part => part !== '').join(' '));
}

const spark = (context: CellContext, item: RatedRule | RatedChain): string =>
	sparkline(context.history.get(seriesKey(item))?.packets ?? [], context.sparkWidth);

/** Cells of a row nothing counts (an nft rule without `counter`, an nft base chain, a vmap
 * branch): a dim `–` in every numeric column and the sparkline, never a 0. */
const UNCOUNTED_CELLS: Readonly<Record<string, string>> = {
	pkts: '–', bytes: '–', 'pkts/s': '–', 'bytes/s': '–', spark: '–', 'Δpkts': '–', 'Δbytes': '–',
};

/** A branch of a verdict map, under its rule: where Enter goes and on which key. */
function viaCells(via: NftTarget): Record<string, string> {
	return {
		...UNCOUNTED_CELLS,
		'#': '↳',
		target: via.goto ? 'goto' : 'jump',
		options: sanitize(`${via.when} → ${via.chain}`),
	};
}

function ruleCells(row: Extract<Row, {kind: 'rule'}>, context: CellContext): Record<string, string> {
	const {rule} = row;
	if (row.via !== undefined) return viaCells(row.via);
	const counters = context.since(rule.key, rule);
	const uncounted = rule.counted === false ? UNCOUNTED_CELLS : {};
	return {
		'#': String(rule.index),
		pkts: formatCount(counters.packets),
		bytes: formatBytes(counters.bytes),
		'pkts/s': row.gone ? '–' : formatRate(rule.packetsPerSecond, 'packets'),
		'bytes/s': row.gone ? '–' : formatRate(rule.bytesPerSecond, 'bytes', context.bits),
		target: sanitize(rule.target),
		prot: sanitize(rule.protocol),
		in: sanitize(rule.in),
		out: sanitize(rule.out),
		source: sanitize(rule.source),
		destination: sanitize(rule.destination),
		options: ruleOptions(rule),
		spark: spark(context, rule),
		...(context.mark === null ? {} : row.gone ? {'Δpkts': '–', 'Δbytes': '–'} : deltaCells(ruleDelta(context.mark, rule))),
		...uncounted,
	};
}

function chainCells(row: Extract<Row, {kind: 'chain'}>, context: CellContext): Record<string, string> {
	const {chain} = row;
	return {
		table: sanitize(tableId(row.table)),
		chain: sanitize(chainLabel(chain)),
		policy: chain.policy === null ? '-' : sanitize(chain.policy),
		rules: String(chain.rules.length),
		refs: chain.references === null ? '' : String(chain.references),
		'pkts/s': row.gone ? '–' : formatRate(chain.rate.packetsPerSecond, 'packets'),
		'bytes/s': row.gone ? '–' : formatRate(chain.rate.bytesPerSecond, 'bytes', context.bits),
		'hits/s': row.gone ? '–' : formatRate(chainHits(chain), 'packets'),
		// An uncounted chain has no rate of its own to draw: a dim `–` rather than a blank that looks idle.
		spark: chain.counted === false ? '–' : spark(context, chain),
		...(context.mark === null ? {} : chainMarkCells(row, context.mark)),
	};
}

function chainMarkCells(row: Extract<Row, {kind: 'chain'}>, mark: Mark): Record<string, string> {
	if (row.gone) return {'Δpkts': '–', 'Δbytes': '–', 'Δhits': '–'};
	const delta = chainDelta(mark, row.chain);
	if (!countsAnything(row.chain)) return {...deltaCells(delta.own), 'Δhits': '–'};
	return {...deltaCells(delta.own), 'Δhits': delta.reset && delta.hits === 0n ? 'reset' : formatCount(delta.hits)};
}

function pathCells(row: Extract<Row, {kind: 'path'}>, context: CellContext): Record<string, string> {
	const {path} = row;
	// Rules and policies have counters; hooks, chain headers, returns and notes do not.
	const counted = path.kind === 'rule' ? path.rule : path.kind === 'policy' ? path.chainRef : undefined;
	const rate = counted === undefined ? undefined : path.kind === 'policy' ? path.chainRef?.rate : path.rule;
	const marks: Record<string, string> = {hook: '■ ', chain: '', rule: '', policy: '', return: '↩ ', folded: '', note: '· '};
	return {
		'pkts/s': rate === undefined ? '' : formatRate(rate.packetsPerSecond, 'packets'),
		'bytes/s': rate === undefined ? '' : formatRate(rate.bytesPerSecond, 'bytes', context.bits),
		spark: counted === undefined ? '' : counted.counted === false ? '–' : spark(context, counted),
		path: '  '.repeat(Math.max(0, path.depth)) + marks[path.kind] + sanitize(path.label),
		...(context.mark === null ? {} : deltaCells(counted === undefined ? undefined : deltaSince(context.mark, counted.key, counted))),
	};
}

export function rowCells(row: Row, context: CellContext): Record<string, string> {
	if (row.kind === 'rule') return ruleCells(row, context);
	if (row.kind === 'chain') return chainCells(row, context);
	return pathCells(row, context);
}

export function columnsFor(row: Row['kind'], marked = false): readonly ColumnSpec[] {
	if (marked) return row === 'rule' ? RULE_MARK_COLUMNS : row === 'chain' ? CHAIN_MARK_COLUMNS : PATH_MARK_COLUMNS;
	return row === 'rule' ? RULE_COLUMNS : row === 'chain' ? CHAIN_COLUMNS : PATH_COLUMNS;
}

const MEASURED: Record<Row['kind'], readonly string[]> = {
	rule: ['#', 'target', 'prot', 'in', 'out', 'source', 'destination'],
	chain: ['table', 'chain'],
	path: [],
};

/** The widest value per content-sized column, over all rows (not only the visible ones), so
 * columns do not jump while scrolling. Only cheap fields are measured. */
export function contentWidths(rows: readonly Row[]): Record<string, number> {
	const widths: Record<string, number> = {};
	for (const row of rows) {
		const values: Record<string, string> = row.kind === 'rule' && row.via !== undefined ? {'#': '↳', target: 'jump'} : row.kind === 'rule'
			? {'#': String(row.rule.index), target: row.rule.target, prot: row.rule.protocol, in: row.rule.in, out: row.rule.out, source: row.rule.source, destination: row.rule.destination}
			: row.kind === 'chain' ? {table: tableId(row.table), chain: chainLabel(row.chain)} : {};
		for (const id of MEASURED[row.kind]) {
			const width = displayWidth(sanitize(values[id] ?? ''));
			if (width > (widths[id] ?? 0)) widths[id] = width;
		}
	}

	return widths;
}

/** The width of the Δpkts column over every row (not only the visible ones, so it does not jump
 * while scrolling): wider only when a row says `new`. */
export function markWidths(rows: readonly Row[], mark: Mark): Record<string, number> {
	let width = 0;
	for (const row of rows) {
		const counted = row.kind === 'rule' ? row.rule : row.kind === 'chain' ? row.chain : row.path.kind === 'rule' ? row.path.rule : row.path.kind === 'policy' ? row.path.chainRef : undefined;
		if (counted === undefined || row.gone) continue;
		width = Math.max(width, displayWidth(deltaCells(deltaSince(mark, counted.key, counted))['Δpkts']));
	}

	return {'Δpkts': width};
}
