// Parser for one table's `iptables -w -v -n -x -L [--line-numbers]` output (and, degraded, for
// `-L` without `-v`, `-x` or `-n`). Grammar, quirks and versions: ../shared/reference/iptables-formats.md
// §2–§6 and §11. One pass over the lines; the hot path is in parse-listing-rule.ts.
import type {Chain, Family, ParsedDump, Rule} from './model.ts';
import {parseCounter, type Counter} from './counters.ts';
import {ParseError, parseErrorAt} from './parse-error.ts';
import {protocolName} from './protocols.ts';
import {splitRuleLine, type ListingLayout, type RuleColumns} from './parse-listing-rule.ts';

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

type State = {
	lines: string[];
	chains: Chain[];
	chain: Chain | null;
	layout: ListingLayout;
	/** The last rule of the current chain: where comment continuation lines go. */
	rule: Rule | null;
	/** Empty lines seen since the last non-empty one. */
	blanks: number;
	warnings: string[];
	approximate: boolean;
	/** A column header without `pkts`: the listing was made without `-v`. */
	noCounters: boolean;
	looksIpv6: boolean;
};

function counter(state: State, text: string, lineNumber: number, line: string): bigint {
	let parsed: Counter;
	try {
		parsed = parseCounter(text);
	} catch (error) {
		throw error instanceof ParseError ? parseErrorAt(lineNumber, error.message, line) : error;
	}

	state.approximate ||= parsed.approximate;
	return parsed.value;
}

/** A comment may contain `\n` and forge a `Chain …` line (§2). A real header starts the output
 * (or follows the taint line) or follows the one empty line between blocks, and is followed by
 * a column header; anything else is text of the previous rule's comment. */
function isRealHeader(state: State, index: number): boolean {
	const next = state.lines[index + 1]?.trim() ?? '';
	return (state.chains.length === 0 || state.blanks > 0) && COLUMN_HEADER.test(next);
}

function startChain(state: State, match: RegExpExecArray, index: number): void {
	const [line, name, policy, packets, bytes, references] = match;
	const lineNumber = index + 1;
	const chain: Chain = {
		name: name!,
		builtin: policy !== undefined,
		policy: policy ?? null,
		references: references === undefined ? null : Number(references),
		policyPackets: packets === undefined ? null : counter(state, packets, lineNumber, line),
		policyBytes: bytes === undefined ? null : counter(state, bytes, lineNumber, line),
		rules: [],
	};
	const header = state.lines[index + 1]!.trim();
	state.layout = {lineNumbers: header.startsWith('num'), verbose: header.includes('pkts')};
	state.noCounters ||= !state.layout.verbose;
	state.chains.push(chain);
	state.chain = chain;
	state.rule = null;
}

function commentOf(options: string): string | null {
	const open = options.indexOf('/* ');
	const close = options.lastIndexOf(' */');
	return open !== -1 && close >= open + 2 ? options.slice(open + 3, close) : null;
}

function specOf(rule: Rule): string {
	const interfaces = rule.in === '' && rule.out === '' ? '' : ` ${rule.in} ${rule.out}`;
	const goto = rule.goto ? ' [goto]' : '';
	const options = rule.options === '' ? '' : ` ${rule.options}`;
	return `${rule.target} ${rule.protocolRaw} ${rule.opt}${interfaces} ${rule.source} ${rule.destination}${goto}${options}`;
}

function makeRule(state: State, columns: RuleColumns, lineNumber: number, line: string): Rule {
	const goto = columns.rest.startsWith('[goto]');
	const options = goto ? columns.rest.slice(6).trimStart() : columns.rest;
	state.looksIpv6 ||= columns.opt === '' || columns.source.includes(':') || columns.destination.includes(':');
	const rule: Rule = {
		index: columns.num ?? state.chain!.rules.length + 1,
		target: columns.target,
		goto,
		protocol: protocolName(columns.protocolRaw),
		protocolRaw: columns.protocolRaw,
		// ip6tables ≤1.8.8 leaves opt blank where ≥1.8.9 prints `--` (6e41c2d8): same meaning.
		opt: columns.opt === '' ? '--' : columns.opt,
		in: columns.in ?? '',
		out: columns.out ?? '',
		source: columns.source,
		destination: columns.destination,
		options,
		comment: commentOf(options),
		spec: '',
		packets: columns.packets === null ? 0n : counter(state, columns.packets, lineNumber, line),
		bytes: columns.bytes === null ? 0n : counter(state, columns.bytes, lineNumber, line),
	};
	rule.spec = specOf(rule);
	return rule;
}

/** A line that is not a rule: the next line of the previous rule's comment (with the empty
 * lines in between, which were part of it too). */
function continueRule(state: State, line: string, lineNumber: number): void {
	const rule = state.rule;
	if (rule === null) {
		throw parseErrorAt(lineNumber, 'unexpected line (not a rule, chain header or column header)', line);
	}

	rule.options += '\n'.repeat(state.blanks + 1) + line;
	rule.comment = commentOf(rule.options);
	rule.spec = specOf(rule);
}

function handleLine(state: State, line: string, index: number): number {
	const header = line.startsWith('Chain ') ? CHAIN_HEADER.exec(line) : null;
	if (header !== null && isRealHeader(state, index)) {
		startChain(state, header, index);
		return index + 2;
	}

	if (line.startsWith('Zeroing chain `')) {
		return index + 1; // `-L -Z -v` appends these to stdout after the listing (§1).
	}

	if (line.startsWith('#') && state.rule === null) {
		state.warnings.push(line); // `# Table `filter' contains incompatible base-chains…` (§2)
		return index + 1;
	}

	if (state.chain === null) {
		throw parseErrorAt(index + 1, 'expected a chain header (Chain NAME (…))', line);
	}

	const columns = state.blanks === 0 ? splitRuleLine(line, state.layout) : null;
	if (columns === null) {
		continueRule(state, line, index + 1);
	} else {
		state.rule = makeRule(state, columns, index + 1, line);
		state.chain.rules.push(state.rule);
	}

	return index + 1;
}

function newState(text: string): State {
	return {
		lines: text.split('\n'),
		chains: [],
		chain: null,
		layout: {lineNumbers: false, verbose: true},
		rule: null,
		blanks: 0,
		warnings: [],
		approximate: false,
		noCounters: false,
		looksIpv6: false,
	};
}

/** Parses one table's listing. Empty input gives no tables (an empty namespace's save prints
 * nothing; what an empty listing means is the caller's call). Throws ParseError. */
export function parseListing(text: string, options: ListingOptions = {}): ParsedDump {
	const state = newState(text);
	let index = 0;
	while (index < state.lines.length) {
		const line = state.lines[index]!.trimEnd();
		if (line === '') {
			state.blanks++;
			index++;
		} else {
			index = handleLine(state, line, index);
			state.blanks = 0;
		}
	}

	if (state.chains.length === 0) {
		if (text.trim() === '') {
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
