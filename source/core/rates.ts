import {chainKey, ruleId, ruleKeys} from './identity.ts';
import type {Chain, Rate, RatedChain, RatedRule, RatedSample, RatedTable, Sample, Table} from './model.ts';

// Rate = Δcounter / Δt, with t the monotonic time the sample's output arrived. Rates say
// "unknown" rather than lie: first sample, new rule, counter gone down, Δt ≤ 0 → null.

export type Counters = {packets: bigint; bytes: bigint};

/** The previous sample's counters, keyed by identity. Rebuilt each sample, so vanished rules
 * are pruned by construction. */
export type RateState = {
	monotonicMs: number;
	rules: Map<string, Counters>;
	chains: Map<string, Counters>;
};

export function rateOf(previous: Counters | undefined, current: Counters, elapsed: number | null): Rate {
	if (previous === undefined || elapsed === null) {
		return {deltaPackets: null, deltaBytes: null, packetsPerSecond: null, bytesPerSecond: null, status: 'new'};
	}

	if (current.packets < previous.packets || current.bytes < previous.bytes) {
		return {deltaPackets: null, deltaBytes: null, packetsPerSecond: null, bytesPerSecond: null, status: 'reset'};
	}

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
	const {tables: _unused, ...rest} = sample;
	return {rated: {...rest, elapsed, tables}, state};
}

function rateTable(table: Table, previous: RateState | null, state: RateState, elapsed: number | null): RatedTable {
	const entering = enteringTraffic(table);
	const chains = table.chains.map(chain => {
		const key = chainKey(table.family, table.name, chain.name);
		const counters = chain.builtin
			? {packets: chain.policyPackets ?? 0n, bytes: chain.policyBytes ?? 0n}
			: entering.get(chain.name) ?? {packets: 0n, bytes: 0n};
		state.chains.set(key, counters);
		const rate = rateOf(previous?.chains.get(key), counters, elapsed);
		const rules = rateRules(table, chain, previous, state, elapsed);
		const ratedChain: RatedChain = {...chain, key, packets: counters.packets, bytes: counters.bytes, rate, rules};
		return ratedChain;
	});
	return {family: table.family, name: table.name, chains};
}

function rateRules(table: Table, chain: Chain, previous: RateState | null, state: RateState, elapsed: number | null): RatedRule[] {
	const keys = ruleKeys(table.family, table.name, chain);
	return chain.rules.map((rule, i) => {
		const key = keys[i]!;
		const counters = {packets: rule.packets, bytes: rule.bytes};
		state.rules.set(key, counters);
		return {...rule, ...rateOf(previous?.rules.get(key), counters, elapsed), key, id: ruleId(key)};
	});
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
