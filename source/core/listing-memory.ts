import type {Chain, Rule} from './model.ts';
import type {ListingLayout, RuleText} from './parse-listing-rule.ts';

// What a listing parser remembers of the previous listing of its table, line by line, so that the
// next one costs a comparison per line instead of splitting it into columns (as save-memory.ts does
// for iptables-save). A rule line is `pkts bytes target prot opt in out source destination options`:
// the counters come first, so a line whose text after them is the one remembered at the same place
// is the same rule; with equal counters and position it comes back as the same Rule object, and a
// chain whose header and rules all came back unchanged as the same Chain object, which the rates
// (iptables-rates.ts) then pass over. Only `-v` listings without `--line-numbers` (what the
// collector runs) take this path; every other layout is parsed in full each time.

/** One rule line of the previous listing. */
export type ListingRuleEntry = {
	/** The line after the space behind its bytes counter, untrimmed: a private copy. */
	rest: string;
	text: RuleText;
	/** The Rule built from this line last time (before any comment continuation lines were added),
	 * and its counters as numbers. */
	rule: Rule;
	packets: number;
	bytes: number;
};

/** One chain of the previous listing: its header and column-header lines, and what they said. */
export type ListingChainEntry = {
	/** `Chain NAME (…)` and the column header below it, untrimmed: private copies. */
	head: string;
	columns: string;
	layout: ListingLayout;
	/** The chain as it was returned last time (the model's Chain, rules included). */
	chain: Chain;
};

export type ListingMemory = {rules: ListingRuleEntry[]; chains: ListingChainEntry[]};

export const emptyListingMemory = (): ListingMemory => ({rules: [], chains: []});

/** Where the walk through the previous listing stands. */
export type ListingCursor = {rule: number; chain: number};

export const isFastLayout = (layout: ListingLayout): boolean => layout.verbose && !layout.lineNumbers;

const SPACE = 32;
/** Counters up to 15 digits are exact as numbers; longer ones go to the full parser. */
const MAX_EXACT_DIGITS = 15;

/** What `scanRuleCounters` read: the two counters and where the target column starts. */
export const counted = {packets: 0, bytes: 0, bodyStart: 0};

function number(text: string, from: number, end: number): number {
	let result = 0;
	for (let i = from; i < end; i++) result = (result * 10) + text.charCodeAt(i) - 48;
	return result;
}

/** The counter column at `at`: its digits' start and end (stored in `column`), false when it is
 * not 1–15 digits followed by a space. */
const column = {start: 0, end: 0};

function counterAt(text: string, at: number): boolean {
	let start = at;
	while (text.charCodeAt(start) === SPACE) start++;
	let end = start;
	while (text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
	column.start = start;
	column.end = end;
	return end > start && end - start <= MAX_EXACT_DIGITS && text.charCodeAt(end) === SPACE;
}

/** Reads `   pkts    bytes ` at the start of the line at `at` into `counted` without substrings:
 * exact decimals only (a `K`/`M` suffix or a 16+ digit counter goes to the full parser). */
export function scanRuleCounters(text: string, at: number): boolean {
	if (!counterAt(text, at)) return false;
	const packets = number(text, column.start, column.end);
	if (!counterAt(text, column.end)) return false;
	counted.packets = packets;
	counted.bytes = number(text, column.start, column.end);
	counted.bodyStart = column.end + 1;
	return true;
}

const endsLine = (text: string, at: number): boolean => at === text.length || text.charCodeAt(at) === 10;

/** True when the line at `at` is exactly `expected`. A slice and `===` is one memcmp in V8. */
export const lineIs = (text: string, at: number, expected: string): boolean =>
	endsLine(text, at + expected.length) && text.slice(at, at + expected.length) === expected;

/** The remembered rule whose text after the counters is the line's from `bodyStart`: the next one
 * in order, or the one after it (a rule was deleted). Undefined sends the line to the parser. */
export function nextListingRule(text: string, bodyStart: number, memory: ListingMemory, cursor: ListingCursor): ListingRuleEntry | undefined {
	for (let k = cursor.rule; k < cursor.rule + 2 && k < memory.rules.length; k++) {
		const entry = memory.rules[k]!;
		if (lineIs(text, bodyStart, entry.rest)) {
			cursor.rule = k + 1;
			return entry;
		}
	}

	return undefined;
}

/** The remembered chain whose header is the line at `at` and whose column header is the line
 * after it: the next one in order or the one after; undefined if neither. */
export function nextListingChain(text: string, at: number, memory: ListingMemory, cursor: ListingCursor): ListingChainEntry | undefined {
	for (let k = cursor.chain; k < cursor.chain + 2 && k < memory.chains.length; k++) {
		const entry = memory.chains[k]!;
		if (lineIs(text, at, entry.head) && lineIs(text, at + entry.head.length + 1, entry.columns)) {
			cursor.chain = k + 1;
			return entry;
		}
	}

	return undefined;
}

/** One literal for every Rule: one hidden class. */
export function ruleOf(text: RuleText, index: number, packets: bigint, bytes: bigint): Rule {
	return {
		index,
		target: text.target,
		goto: text.goto,
		protocol: text.protocol,
		protocolRaw: text.protocolRaw,
		opt: text.opt,
		in: text.in,
		out: text.out,
		source: text.source,
		destination: text.destination,
		options: text.options,
		comment: text.comment,
		spec: text.spec,
		packets,
		bytes,
	};
}

/** `entry`'s rule at `index` with the counters in `counted`: the same object when nothing moved. */
export function knownRuleAt(entry: ListingRuleEntry, index: number): ListingRuleEntry {
	const {packets, bytes} = counted;
	if (entry.rule.index === index && entry.packets === packets && entry.bytes === bytes) return entry;
	const rule = ruleOf(
		entry.text, index, entry.packets === packets ? entry.rule.packets : BigInt(packets), entry.bytes === bytes ? entry.rule.bytes : BigInt(bytes),
	);
	return {rest: entry.rest, text: entry.text, rule, packets, bytes};
}

/** The previous Chain object when `chain` came back with the same header and the same rules. */
export function sameChain(chain: Chain, before: Chain | undefined): Chain {
	if (before === undefined || before.name !== chain.name || before.policyPackets !== chain.policyPackets || before.policyBytes !== chain.policyBytes) return chain;
	if (before.rules.length !== chain.rules.length || before.references !== chain.references || before.policy !== chain.policy) return chain;
	for (let i = 0; i < chain.rules.length; i++) if (chain.rules[i] !== before.rules[i]) return chain;
	return before;
}
