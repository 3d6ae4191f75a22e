import type {SourceDescription} from '../core/sample-source.ts';
import {type Line, chromeOf, headerLine, statusLine} from './chrome.ts';
import {GUTTER, headerLine as columnHeader} from './columns.ts';
import {footerText} from './keymap.ts';
import {emptyText, listColumns, listKind, rowWidths} from './list-layout.ts';
import {type InitialOptions, createState} from './state.ts';
import {type ToneProps, toneProps} from './theme.ts';
import {displayWidth, truncate} from './text.ts';

// The dashboard as it first looks, before a sample (header, breadcrumb, column heads, "Waiting for
// the first sample…", key hints), drawn as lines without Ink. Ink, React and yoga take 200–300 ms
// to load and render for the first time on this machine class; this frame is on the screen while
// they load (run.tsx), and Ink's first frame then replaces only the lines that differ
// (screen-writer.ts). Built from the same pure pieces as the Ink components (chrome.ts,
// list-layout.ts, keymap.ts), and test/ui/waiting-frame.test.tsx holds it to Ink's own frame.

/** SGR codes as chalk writes them (Ink styles text with chalk): [open, close]. */
const ATTRIBUTES: Array<[keyof ToneProps, number, number]> = [['bold', 1, 22], ['dimColor', 2, 22], ['italic', 3, 23], ['strikethrough', 9, 29]];
const COLORS: Record<string, number> = {red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36};

/** `text` with the styles of `props`, as escape codes; `text` itself when there are none. */
export function styled(text: string, props: ToneProps): string {
	if (text === '') return text;
	let result = text;
	const color = props.color === undefined ? undefined : COLORS[props.color];
	if (color !== undefined) result = `\u001B[${color}m${result}\u001B[39m`;
	for (const [name, open, close] of ATTRIBUTES) if (props[name] === true) result = `\u001B[${open}m${result}\u001B[${close}m`;
	return result;
}

/** One line of segments cut at `width` cells, as Ink's `wrap="truncate"` cuts it (`…` at the end). */
function lineString(line: Line, width: number, color: boolean): string {
	let out = '';
	let used = 0;
	for (const segment of line) {
		const room = width - used;
		const fits = displayWidth(segment.text) <= room;
		out += styled(fits ? segment.text : truncate(segment.text, room), toneProps(segment.tone, color));
		if (!fits) break;
		used += displayWidth(segment.text);
	}

	return out;
}

export type TerminalSize = {columns: number; rows: number};

/** A terminal's size, 80×24 when it does not say. */
export const terminalSizeOf = (stdout: Pick<NodeJS.WriteStream, 'columns' | 'rows'>): TerminalSize => ({columns: stdout.columns || 80, rows: stdout.rows || 24});

/** The frame App draws for `initial` before any sample, `size` being the terminal's: one string
 * per line (Ink draws one line less than the terminal has, see app.tsx). */
export function waitingFrame(initial: InitialOptions, description: SourceDescription, size: TerminalSize, now: number, color: boolean): string[] {
	const state = createState(initial);
	const width = size.columns;
	const height = Math.max(3, size.rows - 1);
	const chrome = chromeOf(state, now, width, height);
	const columns = listColumns(listKind(state), false, state.bits, rowWidths(state), width);
	const list = [
		styled(truncate(GUTTER + columnHeader(columns), width), {bold: true}),
		styled(truncate(GUTTER + emptyText(state), width), {dimColor: true}),
	];
	const body = Array.from({length: chrome.body}, (_, index) => list[index] ?? '');
	return [
		lineString(headerLine(state, description, now, width), width, color),
		...chrome.alerts.map(line => lineString(line, width, color)),
		lineString(statusLine(state), width, color),
		...chrome.notes.map(line => lineString(line, width, color)),
		...body,
		styled(footerText(width, false), {dimColor: true}),
	];
}
