import {useMemo} from 'react';
import {type CellContext, columnsFor, contentWidths, markWidths} from '../cells.ts';
import {layoutColumns} from '../columns.ts';
import {type Row, type State, findChain, sinceBaseline, topFrame} from '../state.ts';
import {GUTTER_WIDTH, RowTable} from './row-table.tsx';

type Props = {state: State; width: number; height: number; color: boolean};

function kindOf(state: State): Row['kind'] {
	const {view} = topFrame(state);
	return view.kind === 'overview' ? 'chain' : view.kind === 'chain' ? 'rule' : 'path';
}

function emptyText(state: State): string {
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

/** Overview, chain view and path view: the same virtualised table with different columns. */
export function ListBody({state, width, height, color}: Props) {
	const frame = topFrame(state);
	const kind = kindOf(state);
	const {bits, history, baseline, mark} = state;
	const content = useMemo(() => ({...contentWidths(state.rows), ...(mark === null ? {} : markWidths(state.rows, mark))}), [state.rows, mark]);
	const marked = mark !== null;
	const columns = useMemo(() => {
		const specs = columnsFor(kind, marked).map(spec => (spec.id === 'bytes/s' && bits ? {...spec, header: 'bits/s'} : spec));
		return layoutColumns(specs, content, width - GUTTER_WIDTH);
	}, [kind, marked, content, width, bits]);
	const sparkWidth = columns.find(column => column.id === 'spark')?.width ?? 0;
	const context = useMemo((): CellContext => ({
		bits,
		history,
		sparkWidth,
		since: (key, counters) => sinceBaseline({baseline}, key, counters),
		mark,
	}), [bits, history, sparkWidth, baseline, mark]);
	return (
		<RowTable
			rows={state.rows}
			columns={columns}
			selected={frame.index}
			top={frame.top}
			height={height}
			context={context}
			color={color}
			// Only an empty list says why: working that out looks through every chain of the sample.
			empty={state.rows.length === 0 ? emptyText(state) : ''}
		/>
	);
}
