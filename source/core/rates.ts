import {rateIptablesTable, type IptablesMemory} from './iptables-rates.ts';
import type {Rate, RatedSample, RatedTable, Sample, Table} from './model.ts';
import {rateNftTable} from './nft-rates.ts';

// Rate = Δcounter / Δt, with t the monotonic time the sample's output arrived. Rates say
// "unknown" rather than lie: first sample, new rule, counter gone down, Δt ≤ 0 → null.

export type Counters = {packets: bigint; bytes: bigint};

type RuleMemory = Counters & {id: string; key: string};

/** Per chain: the rules seen last time, by text, one entry per occurrence of that text. */
type ChainMemory = Map<string, RuleMemory[]>;

/** The previous sample's counters, keyed by identity. Rebuilt each sample, so vanished rules
 * are pruned by construction. `rules` and `chains` hold nft tables (nft-rates.ts), `iptables`
 * the iptables tables (iptables-rates.ts), where a surviving rule reuses its key and id. */
export type RateState = {
	monotonicMs: number;
	rules: Map<string, ChainMemory>;
	chains: Map<string, Counters>;
	iptables: IptablesMemory;
};

const unknown = (status: 'new' | 'reset'): Rate => ({deltaPackets: null, deltaBytes: null, packetsPerSecond: null, bytesPerSecond: null, status});

/** The rate of every counter that did not move over a positive time: one frozen object, shared.
 * Most rules of a big host are idle, and each held a rate of its own (two boxed zeros among
 * them): at 50,000 rules, 3 MB of the heap. */
export const IDLE: Rate = Object.freeze({deltaPackets: 0n, deltaBytes: 0n, packetsPerSecond: 0, bytesPerSecond: 0, status: 'ok'});

export function rateOf(previous: Counters | undefined, current: Counters, elapsed: number | null): Rate {
	if (previous === undefined || elapsed === null) return unknown('new');
	if (current.packets < previous.packets || current.bytes < previous.bytes) return unknown('reset');
	if (elapsed > 0 && current.packets === previous.packets && current.bytes === previous.bytes) return IDLE;
	// An unchanged counter shares the literal 0n: most rules of a big host are idle, and a
	// subtraction would allocate a fresh zero for each of them every sample.
	const deltaPackets = current.packets === previous.packets ? 0n : current.packets - previous.packets;
	const deltaBytes = current.bytes === previous.bytes ? 0n : current.bytes - previous.bytes;
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

/** A table of a carried family (Sample.carried) is the one rated when it was last read, with that
 * read's memory: rated again against itself it would be `stale`, and its next read is rated
 * against the read it comes from, over the time between the two (TableMemory.readAt). */
function rateTable(table: Table, previous: RateState | null, state: RateState, sample: Sample, elapsed: number | null): RatedTable {
	if (table.backend === 'nft') return rateNftTable(table, previous, state, elapsed);
	const key = `${table.family} ${table.name}`;
	const memory = previous?.iptables.get(key);
	if (memory === undefined) return rateIptablesTable(table, previous, state, elapsed, sample.monotonicMs);
	if (sample.carried?.includes(table.family)) {
		state.iptables.set(key, memory);
		return memory.rated;
	}

	return rateIptablesTable(table, previous, state, (sample.monotonicMs - memory.readAt) / 1000, sample.monotonicMs);
}

export function rateSample(previous: RateState | null, sample: Sample): {rated: RatedSample; state: RateState} {
	const elapsed = previous === null ? null : (sample.monotonicMs - previous.monotonicMs) / 1000;
	const state: RateState = {monotonicMs: sample.monotonicMs, rules: new Map(), chains: new Map(), iptables: new Map()};
	const tables = sample.tables.map(table => rateTable(table, previous, state, sample, elapsed));
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
		...(sample.carried === undefined ? {} : {carried: sample.carried}),
	};
	return {rated, state};
}
