import {type StyledChar, styledCharsFromTokens, tokenize} from '@alcalzone/ansi-tokenize';
import sliceAnsi from 'slice-ansi';
import {frameDrawn, frameMemo} from './frame-drawn.ts';
import measuredWidth, {widestLine} from './measured-width.ts';
import {lineString, rowString} from './row-string.ts';

// Ink's output stage, worked out row by row and remembered. The build (scripts/esbuild-options.mjs)
// gives Ink's renderer this class instead of ink/build/output.js. Ink's own get() lays every frame
// out in a grid of width × height cell objects and serialises every row of it again: at 200×50
// that is 10,000 objects and 50 `styledCharsToString` calls per frame — in a CPU profile of a
// key's frame (bench/frames.ts) about a third of the work, and much of the garbage collection —
// for rows that are nearly all what they were in the last frame.
//
// Here the writes are first sorted onto the rows they land on, with Ink's clipping and
// transformers, and each row's text is then made from its writes to the byte as Ink makes it
// (a row that is one line is serialised straight from the line's tokens, any other through Ink's
// cells; row-string.ts), and remembered by those writes: a row that did not change costs a key
// and a lookup. test/ui/row-output.test.ts holds it to Ink's Output over random writes, clips and
// styles.

type Transformer = (line: string, index: number) => string;

type Clip = {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined};

type Operation =
	| {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]}
	| {type: 'clip'; clip: Clip}
	| {type: 'unclip'};

/** One line of a write, where it lands in its row, transformed and clipped. */
type Placement = {x: number; line: string};

/** Rows remembered by their width and writes, for this frame and the last (bounded-memo.ts). */
const rememberedRows = frameMemo<string>();

/** The row's text as Ink's grid would give it: blank cells, each write's characters placed from
 * its x (a wide character blanks the cells it covers), serialised, trailing blanks trimmed. */
function drawRow(width: number, placements: readonly Placement[]): string {
	// A row that is one line written at a column inside it (nearly every row) is that column's
	// blanks and the line's own text: no grid needed. (Ink drops what is written left of column 0
	// and closes the gap after the last one, so those go through the grid.)
	if (placements.length === 1) {
		const [{x, line}] = placements as [Placement];
		if (Number.isInteger(x) && x >= 0 && x <= width) return (' '.repeat(x) + lineString(tokenize(line))).trimEnd();
	}

	const row: StyledChar[] = [];
	for (let x = 0; x < width; x++) row.push({type: 'char', value: ' ', fullWidth: false, styles: []});
	for (const {x, line} of placements) {
		let offsetX = x;
		for (const character of styledCharsFromTokens(tokenize(line))) {
			row[offsetX] = character;
			const characterWidth = Math.max(1, measuredWidth(character.value));
			for (let index = 1; index < characterWidth; index++) {
				row[offsetX + index] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
			}

			offsetX += characterWidth;
		}
	}

	return rowString(row.filter(item => item !== undefined)).trimEnd();
}

function rowText(width: number, placements: readonly Placement[] | undefined): string {
	if (placements === undefined) return '';
	let key = String(width);
	for (const {x, line} of placements) key += `\u0000${x}\u0001${line}`;
	return rememberedRows.get(key, () => drawRow(width, placements));
}

function clipped(operation: Extract<Operation, {type: 'write'}>, clip: Clip | undefined): {x: number; y: number; lines: string[]} | undefined {
	let {x, y} = operation;
	let lines = operation.text.split('\n');
	if (clip === undefined) return {x, y, lines};
	const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
	const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
	if (clipHorizontally) {
		const width = widestLine(operation.text);
		if (x + width < clip.x1! || x > clip.x2!) return undefined;
	}

	if (clipVertically && (y + lines.length < clip.y1! || y > clip.y2!)) return undefined;
	if (clipHorizontally) {
		const {x1, x2} = clip as {x1: number; x2: number};
		lines = lines.map(line => {
			const from = x < x1 ? x1 - x : 0;
			const width = measuredWidth(line);
			const to = x + width > x2 ? x2 - x : width;
			return sliceAnsi(line, from, to);
		});
		if (x < x1) x = x1;
	}

	if (clipVertically) {
		const {y1, y2} = clip as {y1: number; y2: number};
		const from = y < y1 ? y1 - y : 0;
		const to = y + lines.length > y2 ? y2 - y : lines.length;
		lines = lines.slice(from, to);
		if (y < y1) y = y1;
	}

	return {x, y, lines};
}

export default class Output {
	width: number;
	height: number;
	private readonly operations: Operation[] = [];

	constructor(options: {width: number; height: number}) {
		this.width = options.width;
		this.height = options.height;
	}

	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void {
		if (!text) return;
		this.operations.push({type: 'write', x, y, text, transformers: options.transformers});
	}

	clip(clip: Clip): void {
		this.operations.push({type: 'clip', clip});
	}

	unclip(): void {
		this.operations.push({type: 'unclip'});
	}

	get(): {output: string; height: number} {
		const rows = this.placements();
		const lines: string[] = [];
		for (let y = 0; y < this.height; y++) lines.push(rowText(this.width, rows.get(y)));
		frameDrawn();
		return {output: lines.join('\n'), height: this.height};
	}

	/** Each row's writes in the order Ink draws them. As in Ink, a line that falls outside the
	 * rows is skipped and the write's next line tries the same row again. */
	private placements(): Map<number, Placement[]> {
		const rows = new Map<number, Placement[]>();
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			else if (operation.type === 'unclip') clips.pop();
			else {
				const placed = clipped(operation, clips.at(-1));
				if (placed === undefined) continue;
				let offsetY = 0;
				for (const [index, original] of placed.lines.entries()) {
					const y = placed.y + offsetY;
					if (!(Number.isInteger(y) && y >= 0 && y < this.height)) continue;
					let line = original;
					for (const transformer of operation.transformers) line = transformer(line, index);
					let row = rows.get(y);
					if (row === undefined) rows.set(y, row = []);
					row.push({x: placed.x, line});
					offsetY++;
				}
			}
		}

		return rows;
	}
}
