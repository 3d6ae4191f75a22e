import {type Align, fit} from './text.ts';

// Columns are data: a header, a width policy and an alignment. `layoutColumns` turns them into
// widths for the terminal at hand, so every table degrades the same way at 80 columns:
//   1. extras (drop < 10: sparkline, counters) go first, lowest `drop` first, until the `grow`
//      column has the width it `want`s (the options text before a sparkline);
//   2. then columns sized by their content shrink towards their `min`;
//   3. then the remaining droppable columns go, lowest `drop` first;
//   4. columns that shrank get their width back while there is room (a column dropped in step 3
//      may leave enough), then whatever is left goes to the `grow` column.
// Text that does not fit its column is cut with `…` (the full text is in the rule detail).

export type ColumnSpec = {
	id: string;
	header: string;
	align: Align;
	/** Content width is clamped into [min, max]; the header always fits. */
	min: number;
	max: number;
	grow?: boolean;
	/** For the `grow` column: the width extras are dropped for; `min` is its floor after that. */
	want?: number;
	drop?: number;
};

// The selected row is inverse and also marked in a gutter, so the cursor is visible where
// attributes are not (TERM=dumb, a screen reader, a colour-stripped test frame).
export const GUTTER = ' ';
export const GUTTER_SELECTED = '›';

/** Columns get the width less the gutter. */
export const GUTTER_WIDTH = 1;

export type LaidColumn = {id: string; header: string; align: Align; width: number};

const EXTRA = 10;
const GAP = 1;

function total(columns: ReadonlyArray<{width: number}>): number {
	return columns.reduce((sum, column) => sum + column.width, 0) + Math.max(0, columns.length - 1) * GAP;
}

type Working = LaidColumn & {spec: ColumnSpec; wanted: number};

function dropLowest(columns: Working[], below: number): boolean {
	let lowest = -1;
	columns.forEach((column, index) => {
		const drop = column.spec.drop;
		if (drop !== undefined && drop < below && (lowest < 0 || drop < columns[lowest]!.spec.drop!)) lowest = index;
	});
	if (lowest < 0) return false;
	columns.splice(lowest, 1);
	return true;
}

/** Shrinks the widest shrinkable column by one cell; false when none can shrink. */
function shrinkOne(columns: Working[]): boolean {
	let widest: Working | undefined;
	for (const column of columns) {
		const floor = Math.max(column.spec.min, column.spec.header.length);
		if (column.spec.grow !== true && column.width > floor && (widest === undefined || column.width > widest.width)) widest = column;
	}

	if (widest === undefined) return false;
	widest.width--;
	return true;
}

/** Widths for `width` terminal cells; `content` holds the widest value per column id. */
export function layoutColumns(specs: readonly ColumnSpec[], content: Readonly<Record<string, number>>, width: number): LaidColumn[] {
	const columns = specs.map(spec => {
		const wanted = spec.grow === true ? spec.min : Math.min(spec.max, Math.max(spec.min, content[spec.id] ?? spec.min));
		const width = Math.max(wanted, spec.header.length);
		return {id: spec.id, header: spec.header, align: spec.align, width, wanted: width, spec};
	});
	const grown = columns.find(column => column.spec.grow === true);
	const wanted = Math.max(0, (grown?.spec.want ?? grown?.spec.min ?? 0) - (grown?.spec.min ?? 0));
	while (total(columns) + wanted > width && dropLowest(columns, EXTRA)) { /* extras first */ }
	while (total(columns) > width && shrinkOne(columns)) { /* then content columns narrow */ }
	while (total(columns) > width && dropLowest(columns, Number.POSITIVE_INFINITY)) { /* then the rest */ }
	for (const column of columns) {
		if (column.width < column.wanted) column.width += Math.min(column.wanted - column.width, Math.max(0, width - total(columns)));
	}

	const grow = columns.find(column => column.spec.grow === true);
	if (grow !== undefined) grow.width = Math.min(grow.spec.max, Math.max(0, grow.width + width - total(columns)));
	return columns.map(({spec: _spec, wanted: _wanted, ...column}) => column);
}

export function headerLine(columns: readonly LaidColumn[]): string {
	return columns.map(column => fit(column.header, column.width, column.align)).join(' ');
}

/** One table line; each cell fitted to its column. Returned per cell so views can style cells. */
export function cellTexts(columns: readonly LaidColumn[], cells: Readonly<Record<string, string>>): string[] {
	return columns.map(column => fit(cells[column.id] ?? '', column.width, column.align));
}
