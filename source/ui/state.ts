import type {Family, NftTarget, RatedChain, RatedRule, RatedSample, RatedTable} from '../core/model.ts';
import type {PathKind, PathRow} from '../core/path.ts';
import {type History, createHistory} from './history.ts';
import type {Counters, Mark, Snapshot} from './mark.ts';

// The dashboard's whole state: one immutable value that `reduce` turns into the next. Nothing here
// knows about Ink or the terminal; the root passes the list height in as `viewportRows`.

/** `all`, a table id (`tableId`), or a bare table name from `--table` (every table of that name). */
export type TableChoice = string;

/** iptables tables in the order the overview lists them and `t` cycles through them. */
export const IPTABLES_ORDER: readonly string[] = ['filter', 'nat', 'mangle', 'raw', 'security'];

/** How the dashboard names and keys a table: its name for an iptables table, `FAMILY NAME` (nft's
 * own spelling, `inet filter`, `ip docker-bridges`) for an nft table, so iptables' `filter` and
 * nft's `ip filter` (both IPv4 under --backend auto beside a native table, or iptables-nft's table
 * read with --backend nftables) never meet. With the IP family (state.family) it is unique. */
export function tableId(table: Pick<RatedTable, 'name' | 'backend' | 'nftFamily'>): string {
	return table.backend === 'nft' ? `${table.nftFamily ?? 'nft'} ${table.name}` : table.name;
}

/** iptables tables in IPTABLES_ORDER (unknown ones after), then nft tables in nft's order. */
export function tableRank(table: Pick<RatedTable, 'name' | 'backend'>): number {
	if (table.backend === 'nft') return IPTABLES_ORDER.length + 1;
	const index = IPTABLES_ORDER.indexOf(table.name);
	return index < 0 ? IPTABLES_ORDER.length : index;
}

/** Sorted by tableRank; the sort is stable, so nft tables keep the order nft lists them in. */
export function orderTables<T extends Pick<RatedTable, 'name' | 'backend'>>(tables: readonly T[]): T[] {
	return tables.slice().sort((a, b) => tableRank(a) - tableRank(b));
}

export type SortKey = 'order' | 'rate' | 'bytes' | 'packets';
/** `s` walks this cycle; `order` (rule order, hook order for chains) is where it starts. */
export const SORT_CYCLE: readonly SortKey[] = ['order', 'rate', 'bytes', 'packets'];

export const PATH_KINDS: readonly PathKind[] = ['all', 'incoming', 'forward', 'outgoing'];

/** `+`/`-` step through these, in milliseconds. */
export const INTERVAL_STEPS: readonly number[] = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000];

/** The sort policy: a sort by rate, bytes or packets is recomputed on every shown sample, except
 * within this long of the last cursor move, when rows keep the order they have on screen (new rows
 * go to the end) so nothing reshuffles under a moving cursor. Changing the sort, filter, table or
 * view re-sorts at once. Ties keep rule order. See `held` and `sorted` in rows.ts. */
export const SORT_HOLD_MS = 3000;

export type View =
	| {kind: 'overview'}
	| {kind: 'path'}
	/** `table` is the table's id (tableId), not only its name. */
	| {kind: 'chain'; table: string; chain: string}
	| {kind: 'rule'; table: string; chain: string; rule: string};

/** One level of the drill-down stack: the view and where its cursor is. The selection is a row
 * key (chain key, rule key, path row key), so it survives rules moving; `index` is only the
 * fallback for when the selected row is gone. */
export type Frame = {view: View; selected: string | null; index: number; top: number};

export type Row =
	| {kind: 'chain'; key: string; gone: boolean; table: RatedTable; chain: RatedChain}
	/** `via`: one branch of the rule's verdict map, shown under it in the chain view so Enter can
	 * follow it (`"docker0" → filter-forward-in__docker0`); `rule` is then the vmap rule itself. */
	| {kind: 'rule'; key: string; gone: boolean; table: RatedTable; chain: RatedChain; rule: RatedRule; via?: NftTarget}
	| {kind: 'path'; key: string; gone: boolean; path: PathRow};

export type {Counters} from './mark.ts';

export type State = {
	/** The newest sample from the source, shown or not, and the clock time it arrived. */
	latest: RatedSample | null;
	latestAt: number | null;
	/** The sample on screen: `latest`, except while paused. */
	sample: RatedSample | null;
	/** Clock time (ms) the shown sample arrived, for its age. */
	receivedAt: number | null;
	history: History;
	stack: Frame[];
	/** The top frame's rows after filter, sort and tombstones. */
	rows: Row[];
	/** Clock time of the last cursor move, for the sort hold. */
	movedAt: number;
	family: Family;
	familyChosen: boolean;
	table: TableChoice;
	pathKind: PathKind;
	sort: SortKey;
	hideIdle: boolean;
	/** The path view folds idle rules by default; `i` there toggles this one. */
	pathHideIdle: boolean;
	bits: boolean;
	paused: boolean;
	/** The source said no more samples will come (a replay reached its end): the last one stays. */
	ended: boolean;
	help: boolean;
	/** The first line of the help shown, when the help is taller than the screen. */
	helpTop: number;
	filter: {text: string; editing: boolean};
	/** `z`: counters are shown since this snapshot. */
	baseline: Snapshot | null;
	/** `m`: every view is a diff since this snapshot (mark.ts). */
	mark: Mark | null;
	interval: {requestedMs: number; effectiveMs: number};
	error: {message: string; retryAt: number} | null;
	viewportRows: number;
	/** The terminal's width and the body's height, for what the reducer must clamp (the help's scroll). */
	viewportWidth: number;
	bodyRows: number;
	/** `--chain` waiting for the first sample to say which table holds it. */
	pendingChain: {table: string | undefined; chain: string} | null;
	quit: boolean;
};

export type InitialOptions = {
	table?: string;
	chain?: string;
	path?: boolean;
	filter?: string;
	intervalMs: number;
	family?: Family;
	bits?: boolean;
};

const rootFrame = (path: boolean): Frame => ({view: path ? {kind: 'path'} : {kind: 'overview'}, selected: null, index: 0, top: 0});

export function tableChoice(name: string | undefined): TableChoice {
	return name === undefined || name === '' ? 'all' : name;
}

/** What `t` cycles through: all, then the tables of the shown family in the overview's order. */
export function tableChoices(state: Pick<State, 'sample' | 'family'>): TableChoice[] {
	const tables = orderTables(state.sample?.tables.filter(table => table.family === state.family) ?? []);
	return ['all', ...new Set(tables.map(table => tableId(table)))];
}

export function createState(initial: InitialOptions): State {
	return {
		latest: null,
		latestAt: null,
		sample: null,
		receivedAt: null,
		history: createHistory(),
		stack: [rootFrame(initial.path === true)],
		rows: [],
		movedAt: Number.NEGATIVE_INFINITY,
		family: initial.family ?? 'ipv4',
		familyChosen: initial.family !== undefined,
		table: tableChoice(initial.table),
		pathKind: 'all',
		sort: 'order',
		hideIdle: false,
		pathHideIdle: true,
		bits: initial.bits === true,
		paused: false,
		ended: false,
		help: false,
		helpTop: 0,
		filter: {text: initial.filter ?? '', editing: false},
		baseline: null,
		mark: null,
		interval: {requestedMs: initial.intervalMs, effectiveMs: initial.intervalMs},
		error: null,
		viewportRows: 20,
		viewportWidth: 80,
		bodyRows: 21,
		pendingChain: initial.chain === undefined || initial.path === true ? null : {table: initial.table, chain: initial.chain},
		quit: false,
	};
}

export function topFrame(state: State): Frame {
	return state.stack.at(-1)!;
}

export function rootView(state: State): 'overview' | 'path' {
	return state.stack[0]!.view.kind === 'path' ? 'path' : 'overview';
}

/** Whether the list is sorted by a value (rate, counters, Δ since the mark) rather than in rule
 * order: then the sort hold applies. The path view is always in path order. */
export function sortsByValue(state: State): boolean {
	return topFrame(state).view.kind !== 'path' && (state.mark !== null || state.sort !== 'order');
}

export function selectedRow(state: State): Row | undefined {
	const frame = topFrame(state);
	return state.rows[frame.index]?.key === frame.selected ? state.rows[frame.index] : undefined;
}

/** Whether `table` is the one `choice` names: by id; a bare name (`--table filter`, before the
 * first sample said which tables exist) selects every table of that name unless it is an id. */
function chosen(tables: readonly RatedTable[], choice: TableChoice): (table: RatedTable) => boolean {
	const byId = tables.some(table => tableId(table) === choice);
	return table => (byId ? tableId(table) === choice : table.name === choice);
}

/** The tables of the shown sample that the family and table choice select. */
export function visibleTables(state: State): RatedTable[] {
	const tables = state.sample?.tables.filter(table => table.family === state.family) ?? [];
	return state.table === 'all' ? tables : tables.filter(chosen(tables, state.table));
}

/** A chain by table id (tableId) and chain name, in the shown family. */
export function findChain(state: Pick<State, 'sample' | 'family'>, table: string, chain: string): {table: RatedTable; chain: RatedChain} | undefined {
	const found = state.sample?.tables.find(candidate => candidate.family === state.family && tableId(candidate) === table);
	const match = found?.chains.find(candidate => candidate.name === chain);
	return found && match ? {table: found, chain: match} : undefined;
}

/** Counters since the `z` baseline: the baseline is subtracted while it is not above the counter
 * (a counter that went down was reset or replaced; then it counts from zero, as it does). */
export function sinceBaseline(state: Pick<State, 'baseline'>, key: string, counters: Counters): Counters {
	const base = state.baseline?.counters.get(key);
	if (base === undefined || counters.packets < base.packets || counters.bytes < base.bytes) return counters;
	return {packets: counters.packets - base.packets, bytes: counters.bytes - base.bytes};
}
