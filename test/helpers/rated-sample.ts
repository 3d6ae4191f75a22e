import type {Family, RatedRule, RatedSample, RatedTable, Sample} from '../../source/core/model.ts';
import {parseSave} from '../../source/core/parse-save.ts';
import {rateSample} from '../../source/core/rates.ts';

// RatedTables for core tests from iptables-save text, through the real parser and rate code:
// the text is read twice, one second apart, with counters rewritten so that each rule and policy
// moves by the rate asked for. Rates come from a map keyed 'table CHAIN n' (1-based rule index)
// or 'table CHAIN policy'; a whole number is packets/s, null is unknown (the counter goes down,
// status reset); everything not in the map gets defaultRate (0 unless given). Counters written
// in the text are the first reading (1000 packets when there are none); the second adds the rate.

export type RateMap = Record<string, number | null>;

export type RatedSampleOptions = {
	family?: Family;
	rates?: RateMap;
	/** Rate for everything not in `rates`; 0 unless given. */
	defaultRate?: number | null;
};

type Reading = 'previous' | 'current';

const DEFAULT_PACKETS = 1000n;
const BYTES_PER_PACKET = 100n;

// iptables-save never prints Docker 29's nftables table; tests fake it as an iptables table under
// a name the parser accepts and rename it afterwards.
const NFT_TABLE = 'docker-bridges';
const NFT_STAND_IN = 'docker_bridges';

function counters(rate: number | null, written: string | undefined, which: Reading, what: string): string {
	const packets = written === undefined ? DEFAULT_PACKETS : BigInt(written.split(':')[0]!);
	const bytes = written === undefined ? packets * BYTES_PER_PACKET : BigInt(written.split(':')[1]!);
	if (rate === null) return which === 'previous' ? `[${packets + 1n}:${bytes + 1n}]` : `[${packets}:${bytes}]`;
	if (!Number.isInteger(rate) || rate < 0) throw new Error(`${what}: rate ${rate} must be a whole number ≥ 0`);
	if (which === 'previous') return `[${packets}:${bytes}]`;
	return `[${packets + BigInt(rate)}:${bytes + BigInt(rate) * BYTES_PER_PACKET}]`;
}

/** The text with every policy and rule counter set for one of the two readings. */
function reading(text: string, options: RatedSampleOptions, which: Reading): string {
	const rates = options.rates ?? {};
	const defaultRate = options.defaultRate === undefined ? 0 : options.defaultRate;
	const rateOf = (key: string): number | null => (Object.hasOwn(rates, key) ? rates[key]! : defaultRate);
	const indexes = new Map<string, number>();
	let table = '';
	return text.split('\n').map((line) => {
		const start = /^\*(\S+)/.exec(line);
		const chain = /^:(\S+) (\S+)(?: \[(\d+:\d+)\])?\s*$/.exec(line);
		const rule = /^(?:\[(\d+:\d+)\] )?-A (\S+)(.*)$/.exec(line);
		if (start !== null) {
			table = start[1]!;
			return table === NFT_TABLE ? `*${NFT_STAND_IN}` : line;
		}

		if (chain !== null && chain[2] !== '-') {
			const key = `${table} ${chain[1]!} policy`;
			return `:${chain[1]!} ${chain[2]!} ${counters(rateOf(key), chain[3], which, key)}`;
		}

		if (rule === null) return line;
		const index = (indexes.get(`${table} ${rule[2]!}`) ?? 0) + 1;
		indexes.set(`${table} ${rule[2]!}`, index);
		const key = `${table} ${rule[2]!} ${index}`;
		return `${counters(rateOf(key), rule[1], which, key)} -A ${rule[2]!}${rule[3]!}`;
	}).join('\n');
}

function sample(text: string, family: Family, monotonicMs: number): Sample {
	const dump = parseSave(text, {family});
	const source = {command: 'test', version: '', backend: 'file'};
	return {seq: monotonicMs, time: new Date(monotonicMs), monotonicMs, readMs: 1, source, warnings: dump.warnings, approximate: dump.approximate, tables: dump.tables};
}

export function ratedTables(text: string, options: RatedSampleOptions = {}): RatedTable[] {
	const family = options.family ?? 'ipv4';
	const first = rateSample(null, sample(reading(text, options, 'previous'), family, 1000));
	const {rated} = rateSample(first.state, sample(reading(text, options, 'current'), family, 2000));
	return rated.tables.map((table) => (table.name === NFT_STAND_IN ? {...table, name: NFT_TABLE} : table));
}

export function ratedSample(text: string, options: RatedSampleOptions = {}): {tables: RatedTable[]} {
	return {tables: ratedTables(text, options)};
}

export function findRule(tables: RatedTable[], table: string, chain: string, index: number): RatedRule {
	const rule = tables.find((t) => t.name === table)?.chains.find((c) => c.name === chain)?.rules[index - 1];
	if (rule === undefined) throw new Error(`no rule ${table} ${chain} ${index}`);
	return rule;
}

/** A path as indented lines: rules as `CHAIN#n TARGET rate`, other rows by kind and label. */
export function outline(rows: Array<{depth: number; kind: string; label: string; chain?: string; rule?: RatedRule}>): string[] {
	return rows.map((row) => {
		const indent = '  '.repeat(row.depth);
		if (row.rule === undefined) return `${indent}${row.kind} ${row.label}`;
		const {index, target, packetsPerSecond} = row.rule;
		return `${indent}${row.chain!}#${index} ${target || '(none)'} ${packetsPerSecond ?? '–'}/s`;
	});
}

/** A rated rule as a plain object with every field its own, for a test that edits or spreads it:
 * a rated iptables rule reads its parsed rule's fields through getters (source/core/rated-rule.ts),
 * which a spread or structuredClone does not copy. */
export function plainRule(rule: RatedRule): RatedRule {
	return {
		index: rule.index, target: rule.target, goto: rule.goto, protocol: rule.protocol, protocolRaw: rule.protocolRaw, opt: rule.opt,
		in: rule.in, out: rule.out, source: rule.source, destination: rule.destination, options: rule.options, comment: rule.comment,
		spec: rule.spec, packets: rule.packets, bytes: rule.bytes, deltaPackets: rule.deltaPackets, deltaBytes: rule.deltaBytes,
		packetsPerSecond: rule.packetsPerSecond, bytesPerSecond: rule.bytesPerSecond, status: rule.status, id: rule.id, key: rule.key,
	};
}

/** A deep copy of a rated sample whose rules are plain objects (plainRule), free to edit. */
export function plainCopy(sample: RatedSample): RatedSample {
	return {
		...sample,
		tables: sample.tables.map(table => ({...table, chains: table.chains.map(chain => ({...chain, rules: chain.rules.map(rule => plainRule(rule))}))})),
	};
}
