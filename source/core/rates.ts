import {chainKey, ruleId, ruleKey} from './identity.ts';
import type {Chain, Rate, RatedChain, RatedRule, RatedSample, RatedTable, Rule, Sample, Table} from './model.ts';

// Rate = Δcounter / Δt, with t the monotonic time the sample's output arrived. Rates say
// "unknown" rather than lie: first sample, new rule, counter gone down, Δt ≤ 0 → null.

export type Counters = {packets: bigint; bytes: bigint};

type RuleMemory = Counters & {id: string; key: string};

/** Per chain: the rules seen last time, by text, one entry per occurrence of that text. */
type ChainMemory = Map<string, RuleMemory[]>;

/** The previous sample's counters, keyed by identity. Rebuilt each sample, so vanished rules
 * are pruned by construction. Lookups go chain → rule text → occurrence, so a 10,000-rule
 * sample builds no long key strings: a surviving rule reuses its key and id. */
export type RateState = {
	monotonicMs: number;
	rules: Map<string, ChainMemory>;
	chains: Map<string, Counters>;
};

const unknown = (status: 'new' | 'reset'): Rate => ({deltaPackets: null, deltaBytes: null, packetsPerSecond: null, bytesPerSecond: null, status});

export function rateOf(previous: Counters | undefined, current: Counters, elapsed: number | null): Rate {
	if (previous === undefined || elapsed === null) return unknown('new');
	if (current.packets < previous.packets || current.bytes < previous.bytes) return unknown('reset');
	const deltaPackets = current.packets - previous.packets;
	const deltaBytes = current.bytes - previous.bytes;
	if (elapsed <= 0) {
		return {deltaPackets, deltaBytes, packetsPerSecond: null, bytesPerSecond: null, status: 'stale'};
	}

	return {
		deltaPackets,
		deltaBytes,
		packetsPerSecond: Number(deltaPackets) / elapsed,
		bytesPerSecond: Number(deltaBytes) / elapsed,
		status: 'ok',
	};
}

export function rateSample(previous: RateState | null, sample: Sample): {rated: RatedSample; state: RateState} {
	const elapsed = previous === null ? null : (sample.monotonicMs - previous.monotonicMs) / 1000;
	const state: RateState = {monotonicMs: sample.monotonicMs, rules: new Map(), chains: new Map()};
	const tables = sample.tables.map(table => rateTable(table, previous, state, elapsed));
	const rated: RatedSample = {
		seq: sample.seq,
		time: sample.time,
		monotonicMs: sample.monotonicMs,
		readMs: sample.readMs,
		source: sample.source,
		warnings: sample.warnings,
		approximate: sample.approximate,
		elapsed,
		tables,
	};
	return {rated, state};
}

function rateTable(table: Table, previous: RateState | null, state: RateState, elapsed: number | null): RatedTable {
	const entering = enteringTraffic(table);
	const chains = table.chains.map((chain): RatedChain => {
		const key = chainKey(table.family, table.name, chain.name);
		const counters = chain.builtin
			? {packets: chain.policyPackets ?? 0n, bytes: chain.policyBytes ?? 0n}
			: entering.get(chain.name) ?? {packets: 0n, bytes: 0n};
		state.chains.set(key, counters);
		return {
			name: chain.name,
			builtin: chain.builtin,
			policy: chain.policy,
			references: chain.references,
			policyPackets: chain.policyPackets,
			policyBytes: chain.policyBytes,
			key,
			packets: counters.packets,
			bytes: counters.bytes,
			rate: rateOf(previous?.chains.get(key), counters, elapsed),
			rules: rateRules(key, chain, previous, state, elapsed),
		};
	});
	return {family: table.family, name: table.name, chains};
}

function rateRules(key: string, chain: Chain, previous: RateState | null, state: RateState, elapsed: number | null): RatedRule[] {
	const before = previous?.rules.get(key);
	const now: ChainMemory = new Map();
	state.rules.set(key, now);
	return chain.rules.map(rule => {
		let seen = now.get(rule.spec);
		if (seen === undefined) {
			seen = [];
			now.set(rule.spec, seen);
		}

		const old = before?.get(rule.spec)?.[seen.length];
		const ruleKeyText = old?.key ?? ruleKey(key, rule.spec, seen.length + 1);
		const memory: RuleMemory = {packets: rule.packets, bytes: rule.bytes, id: old?.id ?? ruleId(ruleKeyText), key: ruleKeyText};
		seen.push(memory);
		return ratedRule(rule, rateOf(old, memory, elapsed), memory);
	});
}

/** One literal for every rated rule: one hidden class (object spread was slow at 10,000 rules). */
function ratedRule(rule: Rule, rate: Rate, memory: RuleMemory): RatedRule {
	return {
		index: rule.index,
		target: rule.target,
		goto: rule.goto,
		protocol: rule.protocol,
		protocolRaw: rule.protocolRaw,
		opt: rule.opt,
		in: rule.in,
		out: rule.out,
		source: rule.source,
		destination: rule.destination,
		options: rule.options,
		comment: rule.comment,
		spec: rule.spec,
		packets: rule.packets,
		bytes: rule.bytes,
		deltaPackets: rate.deltaPackets,
		deltaBytes: rate.deltaBytes,
		packetsPerSecond: rate.packetsPerSecond,
		bytesPerSecond: rate.bytesPerSecond,
		status: rate.status,
		id: memory.id,
		key: memory.key,
	};
}

/** For each user chain, the traffic that entered it: the sum over the rules that jump or go to it. */
function enteringTraffic(table: Table): Map<string, Counters> {
	const sums = new Map<string, Counters>();
	for (const chain of table.chains) {
		for (const rule of chain.rules) {
			if (rule.target === '') continue;
			const sum = sums.get(rule.target);
			if (sum) {
				sum.packets += rule.packets;
				sum.bytes += rule.bytes;
			} else {
				sums.set(rule.target, {packets: rule.packets, bytes: rule.bytes});
			}
		}
	}

	return sums;
}
