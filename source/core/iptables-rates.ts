import {chainKey, ruleId, ruleKey} from './identity.ts';
import {ratedAgain, ratedIptablesRule} from './rated-rule.ts';
import type {Chain, RatedChain, RatedRule, RatedTable, Rate, Rule, Table} from './model.ts';
import {rateOf, type Counters, type RateState} from './rates.ts';

// Rates of an iptables table (save or listing). A rule's identity is its chain, its text and its
// occurrence among identical rules of the chain (identity.ts). Between two samples a chain nearly
// always holds the same texts in the same order, so each rule is rated against the rule at its
// own position, and the occurrence lookup runs only for a chain whose texts changed. What the
// save parser gave back unchanged (the same Chain or Rule object: same text, counters, position)
// and was idle before keeps its rated object: on a 50,000-rule kube-proxy host most rules are
// idle, and a sample costs little more than the rules that moved.

/** Per chain, what the next sample is rated against. */
export type ChainMemory = {
	key: string;
	chain: Chain;
	counters: Counters;
	rated: RatedChain;
	/** The chain and every rule in it were `ok` with Δ = 0: unchanged objects rate the same. */
	idle: boolean;
};

/** Per table (`family name`): the memories in the order of its chains, the traffic that
 * entered each user chain, and when the table was read (monotonic ms) and rated as what: a
 * sample that carries the table's family (Sample.carried) gives back that (rates.ts). */
export type TableMemory = {chains: ChainMemory[]; entering: Map<string, Counters>; readAt: number; rated: RatedTable};
export type IptablesMemory = Map<string, TableMemory>;

const ZERO: Counters = {packets: 0n, bytes: 0n};

const idle = (rate: Rate): boolean => rate.status === 'ok' && rate.deltaPackets === 0n && rate.deltaBytes === 0n;

const sameCounters = (a: Counters, b: Counters): boolean => a.packets === b.packets && a.bytes === b.bytes;

export function rateIptablesTable(table: Table, previous: RateState | null, state: RateState, elapsed: number | null, readAt: number): RatedTable {
	const tableKey = `${table.family} ${table.name}`;
	const memory = previous?.iptables.get(tableKey);
	const before = memory?.chains ?? [];
	let byName: Map<string, ChainMemory> | undefined;
	const entering = enteringTraffic(table, memory);
	const memories = table.chains.map((chain, i) => {
		let old = before[i];
		if (old !== undefined && old.chain.name !== chain.name) {
			byName ??= new Map(before.map(memory => [memory.chain.name, memory]));
			old = byName.get(chain.name);
		}

		const counters = chain.builtin ? {packets: chain.policyPackets ?? 0n, bytes: chain.policyBytes ?? 0n} : entering.get(chain.name) ?? ZERO;
		return rateChain(table, chain, counters, old, elapsed);
	});
	const rated = {family: table.family, name: table.name, chains: memories.map(memory => memory.rated)};
	state.iptables.set(tableKey, {chains: memories, entering, readAt, rated});
	return rated;
}

function rateChain(table: Table, chain: Chain, counters: Counters, old: ChainMemory | undefined, elapsed: number | null): ChainMemory {
	if (old !== undefined && old.idle && old.chain === chain && sameCounters(old.counters, counters) && elapsed !== null && elapsed > 0) return old;
	const key = old?.key ?? chainKey(table.family, table.name, chain.name);
	const rules = rateRules(key, chain.rules, old, elapsed);
	const rate = rateOf(old?.counters, counters, elapsed);
	const rated: RatedChain = {
		name: chain.name,
		builtin: chain.builtin,
		policy: chain.policy,
		references: chain.references,
		policyPackets: chain.policyPackets,
		policyBytes: chain.policyBytes,
		key,
		packets: counters.packets,
		bytes: counters.bytes,
		rate,
		rules,
	};
	return {key, chain, counters, rated, idle: idle(rate) && rules.every(rule => idle(rule))};
}

function rateRules(key: string, rules: readonly Rule[], old: ChainMemory | undefined, elapsed: number | null): RatedRule[] {
	const oldRules = old?.chain.rules;
	if (old !== undefined && oldRules !== undefined && rules.length === oldRules.length && rules.every((rule, i) => rule.spec === oldRules[i]!.spec)) {
		return rules.map((rule, i) => alongside(rule, oldRules[i]!, old.rated.rules[i]!, elapsed));
	}

	return byIdentity(key, rules, old, elapsed);
}

/** `rule` rated against itself in the previous sample. */
function alongside(rule: Rule, before: Rule, ratedBefore: RatedRule, elapsed: number | null): RatedRule {
	if (rule === before && idle(ratedBefore) && elapsed !== null && elapsed > 0) return ratedBefore;
	return ratedAgain(ratedBefore, rule, rateOf(before, rule, elapsed));
}

/** The general case (texts inserted, deleted or moved): each rule finds its previous self by
 * text and occurrence. */
function byIdentity(key: string, rules: readonly Rule[], old: ChainMemory | undefined, elapsed: number | null): RatedRule[] {
	const positions = new Map<string, number[]>();
	old?.chain.rules.forEach((rule, i) => {
		const list = positions.get(rule.spec);
		if (list) list.push(i);
		else positions.set(rule.spec, [i]);
	});
	const seen = new Map<string, number>();
	return rules.map(rule => {
		const occurrence = seen.get(rule.spec) ?? 0;
		seen.set(rule.spec, occurrence + 1);
		const at = positions.get(rule.spec)?.[occurrence];
		if (old !== undefined && at !== undefined) return alongside(rule, old.chain.rules[at]!, old.rated.rules[at]!, elapsed);
		// The key is made for the id and not kept: the rated rule makes it again if asked.
		const text = ruleKey(key, rule.spec, occurrence + 1);
		return ratedIptablesRule(rule, rateOf(undefined, rule, elapsed), ruleId(text), key, occurrence + 1);
	});
}

function addTargets(sums: Map<string, Counters>, rules: readonly Rule[], sign: 1n | -1n): void {
	for (const rule of rules) {
		if (rule.target === '' || (rule.packets === 0n && rule.bytes === 0n)) continue;
		const sum = sums.get(rule.target) ?? ZERO;
		sums.set(rule.target, {packets: sum.packets + (sign * rule.packets), bytes: sum.bytes + (sign * rule.bytes)});
	}
}

/** For each user chain, the traffic that entered it: the sum over the rules that jump or go to
 * it. When the table has the same chains as before, only the chains that changed (new Chain
 * objects from the parser) are taken out of the previous sums and put in again. */
function enteringTraffic(table: Table, memory: TableMemory | undefined): Map<string, Counters> {
	const before = memory?.chains;
	if (memory === undefined || before === undefined || before.length !== table.chains.length) return sumAll(table);
	const changed: number[] = [];
	for (let i = 0; i < before.length; i++) {
		if (table.chains[i] === before[i]!.chain) continue;
		if (table.chains[i]!.name !== before[i]!.chain.name || changed.length > before.length / 8) return sumAll(table);
		changed.push(i);
	}

	if (changed.length === 0) return memory.entering;
	const sums = new Map(memory.entering);
	for (const i of changed) {
		addTargets(sums, before[i]!.chain.rules, -1n);
		addTargets(sums, table.chains[i]!.rules, 1n);
	}

	return sums;
}

function sumAll(table: Table): Map<string, Counters> {
	const sums = new Map<string, Counters>();
	for (const chain of table.chains) addTargets(sums, chain.rules, 1n);
	return sums;
}
