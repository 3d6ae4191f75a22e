import {useMemo} from 'react';
import type {CellContext} from '../cells.ts';
import {emptyText, listColumns, listKind, rowWidths} from '../list-layout.ts';
import {type State, sinceBaseline, topFrame} from '../state.ts';
import {RowTable} from './row-table.tsx';

type Props = {state: State; width: number; height: number; color: boolean};

/** Overview, chain view and path view: the same virtualised table with different columns. */
export function ListBody({state, width, height, color}: Props) {
	const frame = topFrame(state);
	const kind = listKind(state);
	const {bits, history, baseline, mark, rows} = state;
	const content = useMemo(() => rowWidths({rows, mark}), [rows, mark]);
	const marked = mark !== null;
	const columns = useMemo(() => listColumns(kind, marked, bits, content, width), [kind, marked, content, width, bits]);
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
			rows={rows}
			columns={columns}
			selected={frame.index}
			top={frame.top}
			height={height}
			context={context}
			color={color}
			// Only an empty list says why: working that out looks through every chain of the sample.
			empty={rows.length === 0 ? emptyText(state) : ''}
		/>
	);
}
