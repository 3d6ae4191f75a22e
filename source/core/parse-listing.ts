// Parser for one table's `iptables -w -v -n -x -L [--line-numbers]` output (and, degraded, for
// `-L` without `-v`, `-x` or `-n`). Grammar, quirks and versions: ../shared/reference/iptables-formats.md
// §2–§6 and §11. One pass over the lines; the column scanner is in parse-listing-rule.ts.
import type {Chain, Family, ParsedDump, Rule} from './model.ts';
import {detach} from './strings.ts';
import {parseCounter, type Counter} from './counters.ts';
import {ParseError, excerpt, parseErrorAt} from './parse-error.ts';
import {
	commentOf, readRulePrefix, readRuleText, specOf, type ListingLayout, type RuleText,
} from './parse-listing-rule.ts';

export type ListingOptions = {
	/** Default: inferred (`ipv6` when an address contains `:` or `opt` is blank), else `ipv4`. */
	family?: Family;
	/** Default `filter`; the listing does not name its table. */
	table?: string;
};

// §11.3; chain names have no whitespace (iptables rejects them).
const CHAIN_HEADER =
	/^Chain (\S+) \((?:policy (\S+)(?: (\S+) packets, (\S+) bytes)?|(\d+) references|ERROR obtaining refs)\)$/;
// §4: `[num] [pkts bytes] target prot opt [in out] source destination`, padded by spaces.
const COLUMN_HEADER = /^(num +)?(?: *pkts +bytes +)?target +prot +opt +(in +out +)?source +destination$/;
const NO_COUNTERS_WARNING = 'listing has no counters (made without -v): all counters read as 0';
// iptables-nft's own notes (§2, §9): the taint line on stdout, and the legacy-tables warning that
// stderr prints after the listing, in case both streams were captured together.
const KNOWN_NOTE = /^# (?:Table `[^']*' contains incompatible base-chains|Warning: iptables-legacy tables present)/;

/** Rule texts by the line after its counters, for one layout (with or without in/out). */
type Memo = {verbose: boolean; texts: Map<string, RuleText>};

type State = {
	text: string;
	/** Offset of the next line in `text`, and the 1-based number of the current one. */
	next: number;
	lineNumber: number;
	chains: Chain[];
	chain: Chain | null;
	layout: ListingLayout;
	/** The last rule read: where comment continuation lines go. */
	rule: Rule | null;
	/** Empty lines seen since the last non-empty one. */
	blanks: number;
	warnings: string[];
	approximate: boolean;
	/** A column header without `pkts`: the listing was made without `-v`. */
	noCounters: boolean;
	looksIpv6: boolean;
	memo: Memo;
	previousMemo: Memo;
	/** One copy of each column value: fewer live strings, less garbage-collector work. */
	same: (value: string) => string;
};

function nextLine(state: State): string | null {
	if (state.next > state.text.length) {
		return null;
	}

	const newline = state.text.indexOf('\n', state.next);
	const end = newline === -1 ? state.text.length : newline;
	const line = state.text.slice(state.next, end).trimEnd();
	state.next = end + 1;
	state.lineNumber++;
	return line;
}

function peekLine(state: State): string {
	const newline = state.text.indexOf('\n', state.next);
	return state.text.slice(state.next, newline === -1 ? state.text.length : newline).trim();
}

function counter(state: State, text: string, line: string): bigint {
	let parsed: Counter;
	try {
		parsed = parseCounter(text);
	} catch (error) {
		throw error instanceof ParseError ? parseErrorAt(state.lineNumber, error.message, line) : error;
	}

	state.approximate ||= parsed.approximate;
	return parsed.value;
}

/** A comment may contain `\n` and forge a `Chain …` line (§2). A real header starts the output
 * (or follows the taint line) or follows the one empty line between blocks, and is followed by
 * a column header; anything else is text of the previous rule's comment. */
function isRealHeader(state: State): boolean {
	return (state.chains.length === 0 || state.blanks > 0) && COLUMN_HEADER.test(peekLine(state));
}

function startChain(state: State, match: RegExpExecArray): void {
	const [line, name, policy, packets, bytes, references] = match;
	const chain: Chain = {
		// Rule keys made from the name may outlive this sample; a slice would pin all of `text`.
		name: detach(name!),
		builtin: policy !== undefined,
		policy: policy ?? null,
		references: references === undefined ? null : Number(references),
		policyPackets: packets === undefined ? null : counter(state, packets, line),
		policyBytes: bytes === undefined ? null : counter(state, bytes, line),
		rules: [],
	};
	const header = nextLine(state)!.trimStart();
	state.layout = {lineNumbers: header.startsWith('num'), verbose: header.includes('pkts')};
	state.noCounters ||= !state.layout.verbose;
	if (state.chains.length === 0) {
		state.memo.verbose = state.layout.verbose;
	}

	state.chains.push(chain);
	state.chain = chain;
}

/** The text after the counters is the same in every sample while the rule exists: read it once. */
function ruleText(state: State, line: string, bodyStart: number): RuleText | null {
	const {verbose} = state.layout;
	const key = line.slice(bodyStart);
	const known = state.previousMemo.verbose === verbose ? state.previousMemo.texts.get(key) : undefined;
	const text = known ?? state.memo.texts.get(key) ?? readRuleText(line, bodyStart, verbose, state.same);
	if (text !== null && state.memo.verbose === verbose) {
		state.memo.texts.set(key, text);
	}

	return text;
}

/** The rule on `line`, or null when the line does not have the shape of a rule. */
function readRule(state: State, line: string): Rule | null {
	const prefix = readRulePrefix(line, state.layout);
	const text = prefix === null ? null : ruleText(state, line, prefix.bodyStart);
	if (prefix === null || text === null) {
		return null;
	}

	state.looksIpv6 ||= text.ipv6;
	return {
		index: prefix.num ?? state.chain!.rules.length + 1,
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
		packets: prefix.packets === null ? 0n : counter(state, prefix.packets, line),
		bytes: prefix.bytes === null ? 0n : counter(state, prefix.bytes, line),
	};
}

/** A line that is not a rule: the next line of the previous rule's comment (with the empty
 * lines in between, which were part of it too). Text between a (forged) chain header and that
 * chain's first rule still goes to the last rule read, with a warning, rather than making the
 * whole sample unreadable for as long as such a comment exists. */
function continueRule(state: State, line: string): void {
	const rule = state.rule;
	if (rule === null) {
		throw parseErrorAt(state.lineNumber, 'unexpected line (not a rule, chain header or column header)', line);
	}

	if (state.chain?.rules.at(-1) !== rule) {
		state.warnings.push(`line ${state.lineNumber}: text outside any rule, read as part of the previous rule's comment: '${excerpt(line)}'`);
	}

	rule.options += '\n'.repeat(state.blanks + 1) + line;
	rule.comment = commentOf(rule.options);
	rule.spec = specOf(rule);
}

function handleLine(state: State, line: string): void {
	const header = line.startsWith('Chain ') ? CHAIN_HEADER.exec(line) : null;
	if (header !== null && isRealHeader(state)) {
		startChain(state, header);
	} else if (line.startsWith('Zeroing chain `')) {
		// `-L -Z -v` appends these to stdout after the listing (§1).
	} else if (line.startsWith('#') && (state.rule === null || KNOWN_NOTE.test(line))) {
		state.warnings.push(line);
	} else if (state.chain === null) {
		throw parseErrorAt(state.lineNumber, 'expected a chain header (Chain NAME (…))', line);
	} else {
		// After an empty line only a chain header may follow; anything else is comment text.
		const rule = state.blanks === 0 ? readRule(state, line) : null;
		if (rule === null) {
			continueRule(state, line);
		} else {
			state.rule = rule;
			state.chain.rules.push(rule);
		}
	}
}

function newState(text: string, previousMemo: Memo): State {
	const strings = new Map<string, string>();
	return {
		text,
		next: 0,
		lineNumber: 0,
		chains: [],
		chain: null,
		layout: {lineNumbers: false, verbose: true},
		rule: null,
		blanks: 0,
		warnings: [],
		approximate: false,
		noCounters: false,
		looksIpv6: false,
		memo: {verbose: true, texts: new Map()},
		previousMemo,
		same(value) {
			const known = strings.get(value);
			return known ?? (strings.set(value, value), value);
		},
	};
}

function parse(state: State, options: ListingOptions): ParsedDump {
	for (let line = nextLine(state); line !== null; line = nextLine(state)) {
		if (line === '') {
			state.blanks++;
		} else {
			handleLine(state, line);
			state.blanks = 0;
		}
	}

	if (state.chains.length === 0) {
		if (state.text.trim() === '') {
			return {tables: [], warnings: state.warnings, approximate: false};
		}

		throw new ParseError('no chain header (Chain NAME (…)) in the listing');
	}

	if (state.noCounters) {
		state.warnings.push(NO_COUNTERS_WARNING);
	}

	const family = options.family ?? (state.looksIpv6 ? 'ipv6' : 'ipv4');
	return {
		tables: [{family, name: options.table ?? 'filter', chains: state.chains}],
		warnings: state.warnings,
		approximate: state.approximate || state.noCounters,
	};
}

/** A parser that remembers each rule's text between calls: between two samples of the same
 * command only counters change, so a rule line is split into columns once while it exists. Use
 * one parser per command (table and family); the memory holds only the previous call's rules. */
export function createListingParser(): (text: string, options?: ListingOptions) => ParsedDump {
	let previousMemo: Memo = {verbose: true, texts: new Map()};
	return (text, options = {}) => {
		const state = newState(text, previousMemo);
		const dump = parse(state, options);
		previousMemo = state.memo;
		return dump;
	};
}

/** Parses one table's listing. Empty input gives no tables (an empty namespace's save prints
 * nothing; what an empty listing means is the caller's call). Throws ParseError. */
export function parseListing(text: string, options: ListingOptions = {}): ParsedDump {
	return createListingParser()(text, options);
}
