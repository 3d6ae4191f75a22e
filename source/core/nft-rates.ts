import {chainKey, ruleId, ruleKey} from './identity.ts';
import type {Chain, Rate, RatedChain, RatedRule, RatedTable, RateStatus, Rule, Table} from './model.ts';
import {rateOf, type Counters, type RateState} from './rates.ts';

// Rates of an nft table (parse-nft.ts). A rule is identified by its handle, which nft keeps for
// the rule's lifetime whatever is inserted around it, plus its text (a rule replaced in place keeps
// its handle but is a new rule with a new counter). Rules without a counter, base chains (nftables
// keeps no chain counters) and chains entered through uncounted jumps or verdict maps have no
// counts at all: their rates are unknown and they say `uncounted` instead of a fake 0.

/** Keys of nft chains start with the nft family, so `inet filter` and iptables' `filter` never meet. */
export function nftChainKey(table: Table, chain: string): string {
	return chainKey(table.family, `nft ${table.nftFamily ?? ''} ${table.name}`, chain);
}

/** The status to show: `uncounted` for what nft does not count, else the rate's own. */
export function shownStatus(item: {status: RateStatus; counted?: boolean}): RateStatus {
	return item.counted === false ? 'uncounted' : item.status;
}

const UNCOUNTED: Rate = {deltaPackets: null, deltaBytes: null, packetsPerSecond: null, bytesPerSecond: null, status: 'uncounted'};

/** Per regular chain: the traffic that entered it (counted jumps and gotos to it), or null when
 * some way in is not counted (a rule without a counter, a verdict map). */
function entering(table: Table): Map<string, Counters | null> {
	const sums = new Map<string, Counters | null>();
	for (const chain of table.chains) {
		for (const rule of chain.rules) {
			for (const target of rule.targets ?? []) sums.set(target.chain, null);
			if (rule.target === '' || (rule.targets?.length ?? 0) > 0) continue;
			const sum = sums.get(rule.target);
			if (rule.counted === false || sum === null) sums.set(rule.target, null);
			else if (sum === undefined) sums.set(rule.target, {packets: rule.packets, bytes: rule.bytes});
			else sums.set(rule.target, {packets: sum.packets + rule.packets, bytes: sum.bytes + rule.bytes});
		}
	}

	return sums;
}

type Context = {previous: RateState | null; state: RateState; elapsed: number | null};

function rateRules(key: string, chain: Chain, context: Context): RatedRule[] {
	const before = context.previous?.rules.get(key);
	const now = new Map<string, Array<Counters & {id: string; key: string}>>();
	context.state.rules.set(key, now);
	return chain.rules.map((rule: Rule): RatedRule => {
		const identity = `${rule.kind ?? 'rule'} ${rule.handle ?? `#${rule.index}`} ${rule.spec}`;
		const old = before?.get(identity)?.[0];
		const ruleKeyText = old?.key ?? ruleKey(key, identity, 1);
		const memory = {packets: rule.packets, bytes: rule.bytes, id: old?.id ?? ruleId(ruleKeyText), key: ruleKeyText};
		now.set(identity, [memory]);
		const rate = rule.counted === false ? UNCOUNTED : rateOf(old, memory, context.elapsed);
		return {...rule, ...rate, id: memory.id, key: memory.key};
	});
}

function rateChain(table: Table, chain: Chain, counters: Counters | null | undefined, context: Context): RatedChain {
	const key = nftChainKey(table, chain.name);
	// A regular chain nothing jumps to has seen no traffic: a true 0, not an unknown.
	const known = chain.builtin || chain.synthetic !== undefined ? null : counters === undefined ? {packets: 0n, bytes: 0n} : counters;
	if (known !== null) context.state.chains.set(key, known);
	const {rules: _rules, ...rest} = chain;
	return {
		...rest,
		key,
		packets: known?.packets ?? 0n,
		bytes: known?.bytes ?? 0n,
		rate: known === null ? UNCOUNTED : rateOf(context.previous?.chains.get(key), known, context.elapsed),
		rules: rateRules(key, chain, context),
		counted: known !== null,
	};
}

/** The rated form of one nft table; records its counters in `state` for the next sample. */
export function rateNftTable(table: Table, previous: RateState | null, state: RateState, elapsed: number | null): RatedTable {
	const sums = entering(table);
	const context: Context = {previous, state, elapsed};
	const {chains, ...rest} = table;
	return {...rest, chains: chains.map(chain => rateChain(table, chain, sums.get(chain.name), context))};
}
