import {Box, Text} from 'ink';
import {memo} from 'react';
import {type CellContext, rowCells} from '../cells.ts';
import {GUTTER, GUTTER_SELECTED, type LaidColumn, cellTexts, headerLine} from '../columns.ts';
import {scrollTop} from '../navigation.ts';
import type {Row} from '../state.ts';
import {rowTone, toneProps} from '../theme.ts';

// The rule list is a small component of our own rather than @alcalzone/ink-table: that table
// sizes its columns from every row it is given and draws each cell as its own Box (one Yoga node
// per cell, plus a separator line between rows), so a 20,000-rule kube-proxy chain would lay out
// ~260,000 nodes on every frame. Here the window of visible rows is cut out first (from the height
// and the selection), each row is one line of text, and column widths come from `layoutColumns`
// (columns as data). A 20,000-rule chain renders as many nodes as a 20-rule one.

type RowProps = {row: Row; columns: readonly LaidColumn[]; context: CellContext; selected: boolean; color: boolean};

const TableRow = memo(function TableRow({row, columns, context, selected, color}: RowProps) {
	const cells = cellTexts(columns, rowCells(row, context));
	const tone = rowTone(row, context.mark);
	return (
		<Text wrap="truncate" inverse={selected} {...toneProps(tone, color)}>
			{selected ? GUTTER_SELECTED : GUTTER}
			{cells.map((cell, index) => {
				const text = index === 0 ? cell : ' ' + cell;
				// Unknown rates are a dim `–`, never a fake 0.
				return cell.trim() === '–' && tone !== 'gone'
					? <Text key={columns[index]!.id} dimColor>{text}</Text>
					: text;
			})}
		</Text>
	);
});

export type RowTableProps = {
	rows: readonly Row[];
	columns: readonly LaidColumn[];
	selected: number;
	top: number;
	/** Lines for the rows, not counting the column header. */
	height: number;
	context: CellContext;
	color: boolean;
	empty: string;
};

export function RowTable({rows, columns, selected, top, height, context, color, empty}: RowTableProps) {
	const first = scrollTop(selected, top, height, rows.length);
	const visible = rows.slice(first, first + height);
	return (
		<Box flexDirection="column" height={height + 1}>
			<Text wrap="truncate" bold>{GUTTER + headerLine(columns)}</Text>
			{visible.length === 0 && <Text dimColor>{GUTTER + empty}</Text>}
			{visible.map((row, index) => (
				<TableRow key={row.key} row={row} columns={columns} context={context} selected={first + index === selected} color={color}/>
			))}
		</Box>
	);
}
