import {computeRows, type RowOptions} from './rows.ts';
import type {PathRow} from '../core/path.ts';
import {type Frame, type Row, type State, type View, findChain, tableId, topFrame} from './state.ts';

// Cursor, scrolling and the drill-down stack. Pure: state in, state out.

const clamp = (value: number, low: number, high: number): number => Math.max(low, Math.min(high, value));

/** The first visible row: the selection stays inside a window of `height` rows. */
export function scrollTop(index: number, top: number, height: number, count: number): number {
	const rows = Math.max(1, height);
	let next = top;
	if (index < next) next = index;
	if (index >= next + rows) next = index - rows + 1;
	return clamp(next, 0, Math.max(0, count - rows));
}

function replaceTop(state: State, frame: Frame): State {
	return {...state, stack: [...state.stack.slice(0, -1), frame]};
}

/** Puts the cursor back on the selected key after the rows changed. When rows were inserted or
 * removed above it, the window shifts with it, so the selected row keeps its place on screen. */
function reconcile(frame: Frame, rows: readonly Row[], height: number): Frame {
	const found = frame.selected === null ? -1 : rows.findIndex(row => row.key === frame.selected);
	const index = found >= 0 ? found : clamp(frame.index, 0, Math.max(0, rows.length - 1));
	const top = found >= 0 ? frame.top + (found - frame.index) : frame.top;
	return {...frame, index, selected: rows[index]?.key ?? null, top: scrollTop(index, top, height, rows.length)};
}

/** Recomputes the top frame's rows and keeps its selection. */
export function refresh(state: State, options: RowOptions = {}): State {
	const rows = computeRows(state, options);
	return replaceTop({...state, rows}, reconcile(topFrame(state), rows, state.viewportRows));
}

export function moveTo(state: State, index: number, now: number): State {
	const frame = topFrame(state);
	if (state.rows.length === 0) return state;
	const next = clamp(index, 0, state.rows.length - 1);
	const top = scrollTop(next, frame.top, state.viewportRows, state.rows.length);
	return replaceTop({...state, movedAt: now}, {...frame, index: next, selected: state.rows[next]!.key, top});
}

export function moveBy(state: State, delta: number, now: number): State {
	const frame = topFrame(state);
	// The rule detail has no rows; the keys scroll its text (clamped to its length when drawn).
	if (frame.view.kind === 'rule') return replaceTop(state, {...frame, top: Math.max(0, frame.top + delta)});
	return moveTo(state, frame.index + delta, now);
}

export function setViewport(state: State, rows: number): State {
	if (rows === state.viewportRows) return state;
	const frame = topFrame(state);
	if (frame.view.kind === 'rule') return {...state, viewportRows: rows};
	return replaceTop({...state, viewportRows: rows}, {...frame, top: scrollTop(frame.index, frame.top, rows, state.rows.length)});
}

export function push(state: State, view: View): State {
	return refresh({...state, stack: [...state.stack, {view, selected: null, index: 0, top: 0}]});
}

export function pop(state: State): State {
	if (state.stack.length <= 1) return state;
	return refresh({...state, stack: state.stack.slice(0, -1)});
}

/** Back to the root view (overview or path), as after a table or family change. */
export function resetStack(state: State, root: View): State {
	return refresh({...state, stack: [{view: root, selected: null, index: 0, top: 0}]});
}

/** Enter: a chain opens its rules; a rule that jumps or goes to a user chain follows it, and so
 * does a verdict-map branch (↳); any other rule opens its detail. In the path view a chain row
 * opens the chain, a rule row its detail. */
export function drillIn(state: State): State {
	const row = state.rows[topFrame(state).index];
	if (row === undefined || row.gone) return state;
	if (row.kind === 'chain') return push(state, {kind: 'chain', table: tableId(row.table), chain: row.chain.name});
	if (row.kind === 'rule') {
		const table = tableId(row.table);
		if (row.via !== undefined) return push(state, {kind: 'chain', table, chain: row.via.chain});
		const target = findChain(state, table, row.rule.target);
		if (row.rule.target !== '' && target !== undefined && !target.chain.builtin) {
			return push(state, {kind: 'chain', table, chain: target.chain.name});
		}

		return detail(state);
	}

	const {path} = row;
	if (path.kind === 'rule') return detail(state);
	const table = pathTable(state, path);
	if (table !== undefined && path.chain !== undefined && path.kind !== 'hook' && path.kind !== 'note') {
		return push(state, {kind: 'chain', table, chain: path.chain});
	}

	return state;
}

/** The id of the table a path row is in. The path names tables by name only, so where two tables
 * of the family share it (iptables' `filter` and nft's `ip filter`) the one holding the row's
 * chain or rule object is it. */
function pathTable(state: State, path: PathRow): string | undefined {
	const named = state.sample?.tables.filter(table => table.family === state.family && table.name === path.table) ?? [];
	const holds = named.find(table => table.chains.some(chain =>
		(path.kind !== 'rule' && chain === path.chainRef) || (path.rule !== undefined && chain.rules.includes(path.rule))));
	const found = holds ?? named[0];
	return found === undefined ? undefined : tableId(found);
}

/** The rule detail of the selected rule, jump or not. */
export function detail(state: State): State {
	const row = state.rows[topFrame(state).index];
	if (row?.kind === 'rule' && !row.gone) {
		return push(state, {kind: 'rule', table: tableId(row.table), chain: row.chain.name, rule: row.rule.key});
	}

	const table = row?.kind === 'path' ? pathTable(state, row.path) : undefined;
	if (row?.kind === 'path' && row.path.rule !== undefined && table !== undefined && row.path.chain !== undefined) {
		return push(state, {kind: 'rule', table, chain: row.path.chain, rule: row.path.rule.key});
	}

	return state;
}
