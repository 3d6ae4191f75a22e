import {useMemo} from 'react';
import {type CellContext, columnsFor, contentWidths} from '../cells.ts';
import {layoutColumns} from '../columns.ts';
import {type Row, type State, sinceBaseline, topFrame} from '../state.ts';
import {GUTTER_WIDTH, RowTable} from './row-table.tsx';

type Props = {state: State; width: number; height: number; color: boolean};

function kindOf(state: State): Row['kind'] {
	const {view} = topFrame(state);
	return view.kind === 'overview' ? 'chain' : view.kind === 'chain' ? 'rule' : 'path';
}

function emptyText(state: State): string {
	const {view} = topFrame(state);
	if (state.sample === null) return 'Waiting for the first sample…';
	if (state.filter.text !== '' || state.hideIdle) return 'Nothing matches the filter (Esc clears it, i shows idle rows).';
	if (view.kind === 'chain') {
		const exists = state.sample.tables.some(table => table.family === state.family && table.name === view.table && table.chains.some(chain => chain.name === view.chain));
		return exists ? 'This chain has no rules; its policy decides.' : `${view.table} ${view.chain} is not in the firewall.`;
	}

	return `No ${state.family === 'ipv4' ? 'IPv4' : 'IPv6'} chains in this table.`;
}

/** Overview, chain view and path view: the same virtualised table with different columns. */
export function ListBody({state, width, height, color}: Props) {
	const frame = topFrame(state);
	const kind = kindOf(state);
	const content = useMemo(() => contentWidths(state.rows), [state.rows]);
	const columns = useMemo(() => {
		const specs = columnsFor(kind).map(spec => (spec.id === 'bytes/s' && state.bits ? {...spec, header: 'bits/s'} : spec));
		return layoutColumns(specs, content, width - GUTTER_WIDTH);
	}, [kind, content, width, state.bits]);
	const sparkWidth = columns.find(column => column.id === 'spark')?.width ?? 0;
	const {bits, history, baseline} = state;
	const context = useMemo((): CellContext => ({
		bits,
		history,
		sparkWidth,
		since: (key, counters) => sinceBaseline({baseline}, key, counters),
	}), [bits, history, sparkWidth, baseline]);
	return (
		<RowTable
			rows={state.rows}
			columns={columns}
			selected={frame.index}
			top={frame.top}
			height={height}
			context={context}
			color={color}
			empty={emptyText(state)}
		/>
	);
}
