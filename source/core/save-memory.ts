import type {Chain, Rule} from './model.ts';

// What a save parser remembers of the previous dump, line by line, so that the next dump costs a
// comparison per line instead of a parse. Between two samples of a 10,000-rule host the rule text
// does not change and most counters do not either: a line whose text after the counters is the
// one remembered at the same place reuses its parsed fields, with equal counters and position its
// Rule object, and a chain whose rules all came back unchanged its Chain object (bench/run.ts
// measures what this saves; a sample of an idle 50,000-rule host then allocates almost nothing).

/** One rule line of the previous dump: after its counters, `-A chainName rule.spec`. The spec
 * (the words after `-A CHAIN `, continuation lines included) is a private flat copy, and the
 * rule's other text fields are slices of it. */
export type RuleEntry = {
	table: string;
	/** Physical lines the rule spans (a comment may hold newlines). */
	lines: number;
	/** One string per chain, not a slice per rule. */
	chainName: string;
	/** The Rule built from this line last time (a rule built from this text again takes its fields
	 * from it: no separate parsed body is kept), and its counters as numbers (NaN above 2^53). */
	rule: Rule;
	packets: number;
	bytes: number;
};

/** One chain line (`:NAME POLICY [p:b]`) of the previous dump. */
export type ChainEntry = {
	table: string;
	/** `:NAME POLICY`, the line without its counters: a private copy. */
	head: string;
	name: string;
	/** `-` for a user chain. */
	policy: string;
	/** The counters as numbers (NaN above 2^53) and, for a built-in chain, as the model's bigints. */
	packets: number;
	bytes: number;
	policyPackets: bigint | null;
	policyBytes: bigint | null;
};

/** Per table: how many rule and chain lines it had, and how many rules jump or go to each target. */
export type TableMemory = {rules: number; chains: number; references: Map<string, number>};

export type SaveMemory = {
	rules: RuleEntry[];
	chains: ChainEntry[];
	/** The Chain object each entry of `chains` ended up as. */
	built: Chain[];
	tables: Map<string, TableMemory>;
};

export const emptyMemory = (): SaveMemory => ({rules: [], chains: [], built: [], tables: new Map()});

/** Where the walk through the previous dump's lines stands; `skips` counts deleted lines passed;
 * `end`, where the line nextRule matched ends. */
export type Cursor = {rule: number; chain: number; skips: number; end: number};

const endsLine = (text: string, at: number): boolean => at === text.length || text.charCodeAt(at) === 10;

/** True when `expected` is in `text` at `at`. A slice and `===` (one memcmp in V8) measured 6×
 * faster than `text.startsWith(expected, at)` over a 7 MB dump (Node 20). */
const isAt = (text: string, at: number, expected: string): boolean => text.slice(at, at + expected.length) === expected;

/** Where `-A CHAIN spec` of `entry` ends if it stands at `at` as a whole line; -1 if not. */
function ruleLineEnd(text: string, at: number, entry: RuleEntry): number {
	if (text.charCodeAt(at) !== 45 /* - */ || text.charCodeAt(at + 1) !== 65 /* A */ || text.charCodeAt(at + 2) !== 32) return -1;
	let end = at + 3 + entry.chainName.length;
	if (!isAt(text, at + 3, entry.chainName)) return -1;
	const {spec} = entry.rule;
	if (spec !== '') {
		if (text.charCodeAt(end) !== 32 || !isAt(text, end + 1, spec)) return -1;
		end += 1 + spec.length;
	}

	return endsLine(text, end) ? end : -1;
}

/** The remembered rule line of `table` whose text after the counters starts at `at`: the next
 * one in order, or the one after it (a rule was deleted); `cursor.end` is then where it ends.
 * Undefined sends the line to the parser. */
export function nextRule(text: string, at: number, table: string, memory: SaveMemory, cursor: Cursor): RuleEntry | undefined {
	for (let k = cursor.rule; k < cursor.rule + 2 && k < memory.rules.length; k++) {
		const entry = memory.rules[k]!;
		const end = entry.table === table ? ruleLineEnd(text, at, entry) : -1;
		if (end >= 0) {
			cursor.skips += k - cursor.rule;
			cursor.rule = k + 1;
			cursor.end = end;
			return entry;
		}
	}

	return undefined;
}

/** The index of the remembered chain line of `table` whose head is at `at` (followed by its
 * counters or the end of the line), the next one in order or the one after; -1 if neither. */
export function nextChain(text: string, at: number, table: string, memory: SaveMemory, cursor: Cursor): number {
	for (let k = cursor.chain; k < cursor.chain + 2 && k < memory.chains.length; k++) {
		const entry = memory.chains[k]!;
		const end = at + entry.head.length;
		if (entry.table === table && (text.charCodeAt(end) === 32 || endsLine(text, end)) && isAt(text, at, entry.head)) {
			cursor.skips += k - cursor.chain;
			cursor.chain = k + 1;
			return k;
		}
	}

	return -1;
}

/** `[packets:bytes]` as read by `scanCounters`: numbers (NaN when too long to be exact), where the
 * bytes' digits start, and the offset after `]`. One object, reused: this runs once per line. */
export const scanned = {packets: 0, bytes: 0, bytesAt: 0, end: 0};

const MAX_EXACT_DIGITS = 15;

function digits(text: string, from: number): number {
	let end = from;
	while (text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
	return end;
}

function value(text: string, from: number, end: number): number {
	if (end - from > MAX_EXACT_DIGITS) return Number.NaN;
	let result = 0;
	for (let i = from; i < end; i++) result = (result * 10) + text.charCodeAt(i) - 48;
	return result;
}

/** Reads `[digits:digits]` at `at` into `scanned` without a regex or a substring; false if absent. */
export function scanCounters(text: string, at: number): boolean {
	if (text.charCodeAt(at) !== 91) return false;
	const packetsEnd = digits(text, at + 1);
	if (packetsEnd === at + 1 || text.charCodeAt(packetsEnd) !== 58) return false;
	const bytesEnd = digits(text, packetsEnd + 1);
	if (bytesEnd === packetsEnd + 1 || text.charCodeAt(bytesEnd) !== 93) return false;
	scanned.packets = value(text, at + 1, packetsEnd);
	scanned.bytes = value(text, packetsEnd + 1, bytesEnd);
	scanned.bytesAt = packetsEnd + 1;
	scanned.end = bytesEnd + 1;
	return true;
}

/** A counter as bigint: from the number when it is exact, else from its digits in `text`. */
export function counterBigint(number: number, text: string, from: number): bigint {
	if (Number.isNaN(number)) return BigInt(text.slice(from, digits(text, from)));
	return number === 0 ? 0n : BigInt(number);
}
