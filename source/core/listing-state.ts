// The state of one listing parse (parse-listing.ts) and its line reader, shared with the fast
// paths of listing-memory.ts.
import type {Chain, Rule} from './model.ts';
import {detach} from './strings.ts';
import type {ListingLayout} from './parse-listing-rule.ts';
import {emptyListingMemory, type ListingCursor, type ListingMemory, type ListingRuleEntry} from './listing-memory.ts';

export type State = {
	text: string;
	/** Offset of the next line in `text`, and the 1-based number of the current one. */
	next: number;
	lineNumber: number;
	/** Where the current line starts and ends (before its newline) in `text`. */
	lineStart: number;
	lineEnd: number;
	chains: Chain[];
	chain: Chain | null;
	layout: ListingLayout;
	/** The last rule read: where comment continuation lines go; and the chain that holds it. */
	rule: Rule | null;
	ruleChain: Chain | null;
	/** Empty lines seen since the last non-empty one. */
	blanks: number;
	warnings: string[];
	approximate: boolean;
	/** A column header without `pkts`: the listing was made without `-v`. */
	noCounters: boolean;
	looksIpv6: boolean;
	/** The previous listing's lines (listing-memory.ts), and this one's, remembered for the next call. */
	before: ListingMemory;
	after: ListingMemory;
	cursor: ListingCursor;
	/** The previous listing's rule texts by the line after the counters, made on the first miss. */
	byText: Map<string, ListingRuleEntry> | undefined;
	/** One copy of each column value: fewer live strings, less garbage-collector work. */
	same: (value: string) => string;
};

export function nextLine(state: State): string | null {
	if (state.next > state.text.length) {
		return null;
	}

	const newline = state.text.indexOf('\n', state.next);
	const end = newline === -1 ? state.text.length : newline;
	const line = state.text.slice(state.next, end).trimEnd();
	state.lineStart = state.next;
	state.lineEnd = end;
	state.next = end + 1;
	state.lineNumber++;
	return line;
}

export function peekLine(state: State): string {
	const newline = state.text.indexOf('\n', state.next);
	return state.text.slice(state.next, newline === -1 ? state.text.length : newline).trim();
}

/** The current line as the listing has it (untrimmed): a private copy. */
export const rawLine = (state: State): string => detach(state.text.slice(state.lineStart, state.lineEnd));

export function openChain(state: State, chain: Chain, layout: ListingLayout): void {
	state.layout = layout;
	state.noCounters ||= !layout.verbose;
	state.chains.push(chain);
	state.chain = chain;
}

export function addRule(state: State, rule: Rule): void {
	state.rule = rule;
	state.ruleChain = state.chain;
	state.chain!.rules.push(rule);
	state.blanks = 0;
}

export function newState(text: string, before: ListingMemory): State {
	const strings = new Map<string, string>();
	return {
		text,
		next: 0,
		lineNumber: 0,
		lineStart: 0,
		lineEnd: 0,
		chains: [],
		chain: null,
		layout: {lineNumbers: false, verbose: true},
		rule: null,
		ruleChain: null,
		blanks: 0,
		warnings: [],
		approximate: false,
		noCounters: false,
		looksIpv6: false,
		before,
		after: emptyListingMemory(),
		cursor: {rule: 0, chain: 0},
		byText: undefined,
		same(value) {
			const known = strings.get(value);
			return known ?? (strings.set(value, value), value);
		},
	};
}

