import {KEYMAP, keysFor, keysLabel} from './keymap.ts';
import {fit, truncate, wrap} from './text.ts';

// The help overlay as lines, generated from the keymap (what is bound is what is shown). Pure, so
// the reducer can clamp the scroll position and tests can read it without a renderer. On a
// terminal shorter than the help it scrolls with the help scope's keys.

const KEYS_WIDTH = 16;
const MAX_COLUMN = 48;

function bindingLines(width: number): string[] {
	return KEYMAP.filter(binding => binding.scope === 'list' || binding.scope === 'always')
		.map(binding => truncate(`${fit(keysLabel(binding), KEYS_WIDTH)}${binding.description}`, width - 1));
}

function filterLines(width: number): string[] {
	const keys = KEYMAP.filter(binding => binding.scope === 'filter').map(binding => `${keysLabel(binding)} ${binding.description}`);
	return wrap(`In the ${keysFor('filter')} box: ${keys.join(' · ')}.`, width);
}

/** The bindings in one column, or two side by side when one does not fit and there is room. */
function bindingRows(width: number, rows: number): string[] {
	const single = bindingLines(width);
	if (single.length <= rows || width < 80) return single;
	const columnWidth = Math.min(Math.floor(width / 2), MAX_COLUMN);
	const lines = bindingLines(columnWidth);
	const half = Math.ceil(lines.length / 2);
	return lines.slice(0, half).map((left, index) => {
		const right = lines[half + index];
		return right === undefined ? left : fit(left, columnWidth) + right;
	});
}

export type HelpLine = {text: string; dim: boolean};

/** Every line below the title: the bindings, then the filter box's keys (dim). */
export function helpLines(width: number, height: number): HelpLine[] {
	const footer = filterLines(width);
	const bindings = bindingRows(width, Math.max(1, height - 1 - footer.length));
	return [...bindings.map(text => ({text, dim: false})), ...footer.map(text => ({text, dim: true}))];
}

const rowsBelowTitle = (height: number): number => Math.max(1, height - 1);

/** How far the help can scroll on a body of `height` lines: 0 when it fits. */
export function maxHelpTop(width: number, height: number): number {
	const lines = helpLines(width, height).length;
	const rows = rowsBelowTitle(height);
	// While scrolled, one row says how much is left below.
	return lines <= rows ? 0 : lines - rows + 1;
}

export type HelpWindow = {title: string; lines: HelpLine[]; more: number};

/** The title and the lines shown from `top`, and how many lines are below them. */
export function helpWindow(width: number, height: number, top: number): HelpWindow {
	const lines = helpLines(width, height);
	const rows = rowsBelowTitle(height);
	const close = keysFor('closeHelp').split(' ').join(' or ');
	if (lines.length <= rows) return {title: `Keys (${close} closes this)`, lines, more: 0};
	const first = Math.max(0, Math.min(top, maxHelpTop(width, height)));
	const room = first + rows >= lines.length ? rows : rows - 1;
	const scroll = [keysFor('helpUp'), keysFor('helpDown'), keysFor('helpPageUp'), keysFor('helpPageDown')].map(keys => keys.split(' ')[0]).join(' ');
	return {
		title: `Keys (${close} closes this; ${scroll} scroll)`,
		lines: lines.slice(first, first + room),
		more: Math.max(0, lines.length - first - room),
	};
}
