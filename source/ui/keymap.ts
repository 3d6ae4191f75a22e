import {truncate} from './text.ts';

// Every key fwtop knows, as data. The help overlay, the footer hints and the README key table are
// generated from this list, and test/ui/keymap.test.ts fails on a command without a key or a
// description and on two commands sharing a key in one scope (gemini-cli keyBindings.ts does the same).

export type Command =
	| 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'
	| 'enter' | 'back' | 'detail'
	| 'cycleTable' | 'family4' | 'family6' | 'toggleView'
	| 'filter' | 'cycleSort' | 'toggleIdle'
	| 'pause' | 'intervalUp' | 'intervalDown' | 'zero' | 'mark' | 'clearMark' | 'bits'
	| 'help' | 'quit'
	| 'closeHelp' | 'helpUp' | 'helpDown' | 'helpPageUp' | 'helpPageDown'
	| 'filterApply' | 'filterCancel' | 'filterErase';

/** `list`: the dashboard; `help`: the help overlay; `filter`: the `/` text box (printable keys are
 * text there); `always`: every scope. */
export type Scope = 'list' | 'help' | 'filter' | 'always';

/** A single printable character, or one of the named keys below. */
export type KeyName = string;

export type Binding = {
	command: Command;
	keys: readonly KeyName[];
	/** At most 23 characters, so the help fits two columns at 80 columns. */
	description: string;
	scope: Scope;
	/** A word or two for the footer; bindings without one are only in the help. */
	hint?: string;
	/** More for the README table, where there is room. */
	more?: string;
};

export const KEYMAP: readonly Binding[] = [
	{command: 'up', keys: ['up', 'k'], description: 'move up', scope: 'list'},
	{command: 'down', keys: ['down', 'j'], description: 'move down', scope: 'list'},
	{command: 'pageUp', keys: ['pageup'], description: 'page up', scope: 'list'},
	{command: 'pageDown', keys: ['pagedown'], description: 'page down', scope: 'list'},
	{command: 'home', keys: ['home'], description: 'first row', scope: 'list'},
	{command: 'end', keys: ['end'], description: 'last row', scope: 'list'},
	{command: 'enter', keys: ['return'], description: 'drill in; follow a jump', scope: 'list', hint: 'open', more: 'a chain opens its rules, a jump to a user chain opens that chain, any other rule its detail'},
	{command: 'back', keys: ['escape', 'backspace', 'h'], description: 'back', scope: 'list', hint: 'back'},
	{command: 'detail', keys: ['d'], description: 'rule detail', scope: 'list'},
	{command: 'cycleTable', keys: ['tab', 't'], description: 'table (path view: flow)', scope: 'list', hint: 'table', more: 'all, then the tables the host has: filter, nat, mangle, raw, security, then nftables tables by family and name (`ip docker-bridges`); in the path view the packet flow: all, incoming, forward, outgoing'},
	{command: 'family4', keys: ['4'], description: 'IPv4', scope: 'list', more: 'read at once (the dashboard reads the family it shows every interval, the other every tenth read)'},
	{command: 'family6', keys: ['6'], description: 'IPv6', scope: 'list', more: 'read at once, as with 4'},
	{command: 'toggleView', keys: ['v'], description: 'overview ↔ path view', scope: 'list', hint: 'path'},
	{command: 'filter', keys: ['/'], description: 'filter (rule pattern)', scope: 'list', hint: 'filter', more: '[TABLE/][CHAIN:]TEXT as --until takes it (see Rule patterns): every word must occur in the rule (target, protocol, interfaces, addresses, options, comment; numbers whole); the overview keeps the chains whose name or rules match'},
	{command: 'cycleSort', keys: ['s'], description: 'cycle the sort order', scope: 'list', hint: 'sort', more: 'rule (or hook) order, rate, bytes, packets; with a mark: Δ packets, Δ bytes'},
	{command: 'toggleIdle', keys: ['i'], description: 'hide/show idle rules', scope: 'list', hint: 'idle', more: 'idle: a rate of zero (an unknown rate is not idle); the path view folds them by default; with a mark: the rules that did not move'},
	{command: 'pause', keys: ['p', 'space'], description: 'pause; sampling goes on', scope: 'list', hint: 'pause', more: 'the display freezes; on resume it shows the newest sample'},
	{command: 'intervalUp', keys: ['+'], description: 'longer interval', scope: 'list', more: '0.25, 0.5, 1, 2, 5, 10, 30, 60 s'},
	{command: 'intervalDown', keys: ['-'], description: 'shorter interval', scope: 'list'},
	{command: 'zero', keys: ['z'], description: 'zero (client-side only)', scope: 'list', more: 'the pkts and bytes columns count from this moment, every row and the sort stay; fwtop never runs iptables -Z'},
	{command: 'mark', keys: ['m'], description: 'mark (diff since now)', scope: 'list', hint: 'mark', more: 'every view shows the packets and bytes since the mark, sorted by Δ, the rules that did not move hidden (i shows them); m again moves the mark'},
	{command: 'clearMark', keys: ['M'], description: 'clear the mark', scope: 'list', more: 'back to the live counters'},
	{command: 'bits', keys: ['b'], description: 'bits/s ↔ bytes/s', scope: 'list'},
	{command: 'help', keys: ['?'], description: 'help', scope: 'list', hint: 'help'},
	{command: 'quit', keys: ['q', 'ctrl+c'], description: 'quit', scope: 'always', hint: 'quit'},
	{command: 'closeHelp', keys: ['?', 'escape'], description: 'close help', scope: 'help', hint: 'close'},
	{command: 'helpUp', keys: ['up', 'k'], description: 'scroll up', scope: 'help'},
	{command: 'helpDown', keys: ['down', 'j'], description: 'scroll down', scope: 'help'},
	{command: 'helpPageUp', keys: ['pageup'], description: 'page up', scope: 'help'},
	{command: 'helpPageDown', keys: ['pagedown'], description: 'page down', scope: 'help'},
	{command: 'filterApply', keys: ['return'], description: 'keep the filter', scope: 'filter'},
	{command: 'filterCancel', keys: ['escape'], description: 'clear the filter', scope: 'filter'},
	{command: 'filterErase', keys: ['backspace'], description: 'delete a character', scope: 'filter'},
];

const labels: Record<string, string> = {
	up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn', home: 'Home', end: 'End',
	return: 'Enter', escape: 'Esc', backspace: 'Backspace', tab: 'Tab', space: 'Space', 'ctrl+c': 'Ctrl-C',
};

export function keyLabel(key: KeyName): string {
	return labels[key] ?? key;
}

export function keysLabel(binding: Binding): string {
	return binding.keys.map(keyLabel).join(' ');
}

/** The fields of Ink's `Key` that name a key; kept structural so this module needs no Ink. */
export type KeyFlags = {
	upArrow: boolean; downArrow: boolean; leftArrow: boolean; rightArrow: boolean;
	pageUp: boolean; pageDown: boolean; home: boolean; end: boolean;
	return: boolean; escape: boolean; backspace: boolean; delete: boolean; tab: boolean; ctrl: boolean;
};

const named: Array<[keyof KeyFlags, KeyName]> = [
	['upArrow', 'up'], ['downArrow', 'down'], ['leftArrow', 'left'], ['rightArrow', 'right'],
	['pageUp', 'pageup'], ['pageDown', 'pagedown'], ['home', 'home'], ['end', 'end'],
	['return', 'return'], ['escape', 'escape'], ['backspace', 'backspace'], ['tab', 'tab'],
	// Ink 6 reports the Backspace key of most terminals (DEL, 0x7f) as `delete` (parse-keypress.js).
	['delete', 'backspace'],
];

/** Control characters inside a multi-key string (`jj\r` in one read), which Ink passes through
 * unparsed. */
const controlKeys: Record<string, KeyName> = {' ': 'space', '\r': 'return', '\n': 'return', '\t': 'tab', '\u007F': 'backspace', '\b': 'backspace'};

/** The keys in one input event. Printable keys typed faster than a read (or sent by tmux
 * `send-keys jjj`) arrive as one string: each character is its own key. */
export function keysOf(input: string, key: KeyFlags): KeyName[] {
	for (const [flag, name] of named) if (key[flag]) return [name];
	if (key.ctrl) return input === '' ? [] : ['ctrl+' + input.toLowerCase()];
	return [...input].map(character => controlKeys[character] ?? (character < ' ' ? 'ctrl+' + String.fromCharCode(character.charCodeAt(0) + 96) : character));
}

/** A key is text in the filter box when it is one printable character. */
export function isText(key: KeyName): boolean {
	return key === 'space' || ([...key].length === 1 && !/[\u0000-\u001F\u007F-\u009F]/.test(key));
}

const scopeChain: Record<Exclude<Scope, 'always'>, Scope[]> = {
	list: ['list', 'always'],
	help: ['help', 'always'],
	filter: ['filter', 'always'],
};

export function commandFor(scope: Exclude<Scope, 'always'>, key: KeyName): Command | undefined {
	for (const candidate of scopeChain[scope]) {
		const binding = KEYMAP.find(item => item.scope === candidate && item.keys.includes(key));
		if (binding) return binding.command;
	}

	return undefined;
}

const FIRST: readonly Command[] = ['help', 'closeHelp', 'quit'];

/** Footer hints for a scope: help and quit first (they must fit at 80 columns), then the rest
 * in keymap order. */
export function hints(scope: Exclude<Scope, 'always'>): Array<{keys: string; hint: string}> {
	const bindings = KEYMAP.filter(binding => binding.hint !== undefined && scopeChain[scope].includes(binding.scope));
	const rank = (binding: Binding): number => (FIRST.includes(binding.command) ? 0 : 1);
	return bindings.map((binding, index) => ({binding, index}))
		.sort((a, b) => rank(a.binding) - rank(b.binding) || a.index - b.index)
		.map(({binding}) => ({keys: keyLabel(binding.keys[0]!), hint: binding.hint!}));
}

/** The footer: the hints of a scope, as many as fit in `width` cells (cut with `…` if one is wider). */
export function footerText(width: number, help: boolean): string {
	let line = '';
	for (const item of hints(help ? 'help' : 'list')) {
		const next = line === '' ? `${item.keys} ${item.hint}` : `${line}  ${item.keys} ${item.hint}`;
		if (next.length > width) break;
		line = next;
	}

	return truncate(line, width);
}

const scopeTitles: Record<Scope, string> = {list: 'dashboard', help: 'help', filter: 'filter box', always: 'everywhere'};

/** The README key table, as Markdown. */
export function keyTableMarkdown(): string {
	const escape = (text: string): string => text.replaceAll('|', '\\|');
	const rows = KEYMAP.map(binding => {
		const keys = binding.keys.map(key => '`' + escape(keyLabel(key)) + '`').join(' ');
		const action = binding.more === undefined ? binding.description : `${binding.description}: ${binding.more}`;
		return `| ${keys} | ${escape(action)} | ${scopeTitles[binding.scope]} |`;
	});
	return ['| Keys | Action | Where |', '| --- | --- | --- |', ...rows].join('\n') + '\n';
}

/** The keys of a command as the help shows them, e.g. `↓ j`. */
export function keysFor(command: Command): string {
	const binding = KEYMAP.find(item => item.command === command);
	return binding === undefined ? '' : keysLabel(binding);
}
