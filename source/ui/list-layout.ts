import {columnsFor, contentWidths, markWidths} from './cells.ts';
import {GUTTER_WIDTH, type LaidColumn, layoutColumns} from './columns.ts';
import {type Row, type State, findChain, topFrame} from './state.ts';

// What the list draws besides its rows: which columns, how wide, and what an empty list says.
// Pure, for ListBody and for the frame drawn before Ink has loaded (waiting-frame.ts).

export function listKind(state: State): Row['kind'] {
	const {view} = topFrame(state);
	return view.kind === 'overview' ? 'chain' : view.kind === 'chain' ? 'rule' : 'path';
}

export function emptyText(state: State): string {
	const {view} = topFrame(state);
	if (state.sample === null) return 'Waiting for the first sample…';
	if (state.mark?.hideUnmoved === true && state.filter.text === '') return 'Nothing moved since the mark (i shows what did not).';
	if (state.filter.text !== '' || state.hideIdle) return 'Nothing matches the filter (Esc clears it, i shows idle rows).';
	if (view.kind === 'chain') {
		const exists = findChain(state, view.table, view.chain) !== undefined;
		return exists ? 'This chain has no rules; its policy decides.' : `${view.table} ${view.chain} is not in the firewall.`;
	}

	return `No ${state.family === 'ipv4' ? 'IPv4' : 'IPv6'} chains in this table.`;
}

/** The widest value per column of the rows (and of their deltas since the mark). */
export function rowWidths(state: Pick<State, 'rows' | 'mark'>): Record<string, number> {
	const {rows, mark} = state;
	return {...contentWidths(rows), ...(mark === null ? {} : markWidths(rows, mark))};
}

/** The list's columns laid out in `width` cells (the gutter taken off). */
export function listColumns(kind: Row['kind'], marked: boolean, bits: boolean, content: Readonly<Record<string, number>>, width: number): LaidColumn[] {
	const specs = columnsFor(kind, marked).map(spec => (spec.id === 'bytes/s' && bits ? {...spec, header: 'bits/s'} : spec));
	return layoutColumns(specs, content, width - GUTTER_WIDTH);
}
