// The listing parser's fast paths (listing-memory.ts): a chain header or rule line that the
// previous listing of the table had at the same place is taken from the memory without a regex
// or a split, and chains that came back unchanged are swapped for the previous Chain objects.
import {
	counted, knownRuleAt, nextListingChain, nextListingRule, sameChain, scanRuleCounters, isFastLayout,
} from './listing-memory.ts';
import {addRule, openChain, type State} from './listing-state.ts';

/** A chain header and column header the previous listing had at this place: no regex. Its Chain
 * object is new (rules are added to it); finishChains may swap it for the previous one. */
function knownChain(state: State): boolean {
	if (state.chains.length > 0 && state.blanks === 0) {
		return false;
	}

	const entry = nextListingChain(state.text, state.next, state.before, state.cursor);
	if (entry === undefined) {
		return false;
	}

	const {name, builtin, policy, references, policyPackets, policyBytes} = entry.chain;
	openChain(state, {name, builtin, policy, references, policyPackets, policyBytes, rules: []}, entry.layout);
	state.after.chains.push(entry);
	state.lineNumber += 2;
	state.blanks = 0;
	state.next += entry.head.length + entry.columns.length + 2;
	return true;
}

/** A rule line whose text after the counters the previous listing had at this place (or one
 * further: a rule was deleted): only its counters are read. False sends it to handleLine. */
function knownRule(state: State): boolean {
	const {chain} = state;
	if (chain === null || state.blanks > 0 || !isFastLayout(state.layout) || !scanRuleCounters(state.text, state.next)) {
		return false;
	}

	const entry = nextListingRule(state.text, counted.bodyStart, state.before, state.cursor);
	if (entry === undefined) {
		return false;
	}

	const kept = knownRuleAt(entry, chain.rules.length + 1);
	addRule(state, kept.rule);
	state.after.rules.push(kept);
	state.looksIpv6 ||= entry.text.ipv6;
	state.lineNumber++;
	state.next = counted.bodyStart + entry.rest.length + 1;
	return true;
}

/** Swaps each chain that came back with the same header and the same Rule objects for the
 * previous sample's Chain object, which the rates then pass over. */
export function finishChains(state: State): void {
	const entries = state.after.chains;
	for (let i = 0; i < state.chains.length; i++) {
		const entry = entries[i]!;
		const kept = sameChain(state.chains[i]!, entry.chain);
		state.chains[i] = kept;
		if (kept !== entry.chain) {
			entries[i] = {...entry, chain: kept};
		}
	}
}

/** True when the line at `state.next` was read from the memory; false sends it to the full parser. */
export function knownLine(state: State): boolean {
	return state.text.charCodeAt(state.next) === 67 /* C */ ? knownChain(state) : knownRule(state);
}
