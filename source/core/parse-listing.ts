// Parser for one table's `iptables -w -v -n -x -L [--line-numbers]` output (and, degraded, for
// `-L` without `-v`, `-x` or `-n`). Grammar, quirks and versions: ../shared/reference/iptables-formats.md
// §2–§6 and §11. One pass over the lines; the column scanner is in parse-listing-rule.ts, the line
// memory that skips what did not change since the previous call in listing-memory.ts.
import type {Chain, Family, ParsedDump, Rule} from './model.ts';
import {detach} from './strings.ts';
import {parseCounter, type Counter} from './counters.ts';
import {ParseError, excerpt, parseErrorAt} from './parse-error.ts';
import {commentOf, readRulePrefix, readRuleText, specOf} from './parse-listing-rule.ts';
import {emptyListingMemory, isFastLayout, ruleOf, type ListingRuleEntry} from './listing-memory.ts';
import {addRule, newState, nextLine, openChain, peekLine, rawLine, type State} from './listing-state.ts';
import {finishChains, knownLine} from './listing-known.ts';

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
	const head = rawLine(state);
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
	const layout = {lineNumbers: header.startsWith('num'), verbose: header.includes('pkts')};
	openChain(state, chain, layout);
	state.after.chains.push({head, columns: rawLine(state), layout, chain});
}

const exact = (digits: string | null): number => (digits !== null && /^\d{1,15}$/.test(digits) ? Number(digits) : Number.NaN);

/** The previous listing's rule lines by their text after the counters, made on the first miss. */
function previousByText(state: State): Map<string, ListingRuleEntry> {
	state.byText ??= new Map(state.before.rules.map(entry => [entry.rest.trimEnd(), entry]));
	return state.byText;
}

/** The rule on `line`, or null when the line does not have the shape of a rule. The text after the
 * counters is the same in every sample while the rule exists: a rule the previous listing had
 * elsewhere keeps its columns, a new one is split from a private copy that the memory keeps. */
function readRule(state: State, line: string): Rule | null {
	const prefix = readRulePrefix(line, state.layout);
	if (prefix === null) {
		return null;
	}

	const fast = isFastLayout(state.layout);
	const known = fast ? previousByText(state).get(line.slice(prefix.bodyStart)) : undefined;
	const rest = known?.rest ?? (fast ? detach(state.text.slice(state.lineStart + prefix.bodyStart, state.lineEnd)) : '');
	const text = known?.text ?? readRuleText(line, prefix.bodyStart, state.layout.verbose, state.same, fast ? rest.trimEnd() : undefined);
	if (text === null) {
		return null;
	}

	state.looksIpv6 ||= text.ipv6;
	const packets = prefix.packets === null ? 0n : counter(state, prefix.packets, line);
	const bytes = prefix.bytes === null ? 0n : counter(state, prefix.bytes, line);
	const rule = ruleOf(text, prefix.num ?? state.chain!.rules.length + 1, packets, bytes);
	if (fast) {
		state.after.rules.push({rest, text, rule, packets: exact(prefix.packets), bytes: exact(prefix.bytes)});
	}

	return rule;
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

	// A copy: the rule may be the previous sample's (listing-memory.ts), which must not change.
	const options = rule.options + '\n'.repeat(state.blanks + 1) + line;
	const continued: Rule = {...rule, options, comment: commentOf(options)};
	continued.spec = specOf(continued);
	const rules = state.ruleChain!.rules;
	rules[rules.lastIndexOf(rule)] = continued;
	state.rule = continued;
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
			addRule(state, rule);
		}
	}
}

function parse(state: State, options: ListingOptions): ParsedDump {
	while (state.next <= state.text.length) {
		if (state.next < state.text.length && knownLine(state)) {
			continue;
		}

		const line = nextLine(state)!;
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

	finishChains(state);

	const family = options.family ?? (state.looksIpv6 ? 'ipv6' : 'ipv4');
	return {
		tables: [{family, name: options.table ?? 'filter', chains: state.chains}],
		warnings: state.warnings,
		approximate: state.approximate || state.noCounters,
	};
}

/** A parser that remembers the previous listing line by line (listing-memory.ts): between two
 * samples of the same command only counters change, so a line costs a comparison, and what did
 * not change at all comes back as the same Rule and Chain objects. Use one parser per command
 * (table and family); the memory holds only the previous call's lines, never its text. */
export function createListingParser(): (text: string, options?: ListingOptions) => ParsedDump {
	let before = emptyListingMemory();
	return (text, options = {}) => {
		const state = newState(text, before);
		const dump = parse(state, options);
		before = state.after;
		return dump;
	};
}

/** Parses one table's listing. Empty input gives no tables (an empty namespace's save prints
 * nothing; what an empty listing means is the caller's call). Throws ParseError. */
export function parseListing(text: string, options: ListingOptions = {}): ParsedDump {
	return createListingParser()(text, options);
}
