import type {RatedSample, Sample} from '../../source/core/model.ts';
import {parseSave} from '../../source/core/parse-save.ts';
import {type RateState, rateSample} from '../../source/core/rates.ts';
import {nftSample, ownNft} from '../helpers/nft.ts';

// nft samples for the dashboard's frame tests, built from fwtop's own fixtures
// (test/fixtures/nft/, recorded with nft 1.0.6) by the real parser and rate code. A later reading
// is the same ruleset with some rule counters moved on, as traffic would move them.

/** `handle → [packets, bytes]` for the rules' anonymous counters. */
export type HandleCounters = Record<number, [number, number]>;

type JsonRule = {rule?: {handle: number; expr: Array<{counter?: {packets: number; bytes: number}}>}};

/** `nft -j list ruleset` text with the counters of the given rule handles replaced. */
export function withCounters(json: string, counters: HandleCounters): string {
	const parsed = JSON.parse(json) as {nftables: JsonRule[]};
	for (const item of parsed.nftables) {
		const set = item.rule === undefined ? undefined : counters[item.rule.handle];
		const counter = item.rule?.expr.find(expr => expr.counter !== undefined)?.counter;
		if (set !== undefined && counter !== undefined) [counter.packets, counter.bytes] = set;
	}

	return JSON.stringify(parsed);
}

/** Docker 29's nftables table (`table ip docker-bridges`, docker-like.nft) read `counters` apart. */
export const dockerBridges = (counters: HandleCounters = {}): string => withCounters(ownNft('nft_docker-like_json.json'), counters);

/** Readings rated one after the other, `intervalMs` apart, each built by `make`. */
function rateAll(readings: ReadonlyArray<(ms: number, seq: number) => Sample>, intervalMs: number): RatedSample[] {
	let state: RateState | null = null;
	return readings.map((make, index) => {
		const result = rateSample(state, make(1000 + index * intervalMs, index + 1));
		state = result.state;
		return result.rated;
	});
}

/** As `--backend nftables` reads it: every table through nft. */
export function nftRun(texts: readonly string[], intervalMs = 1000): RatedSample[] {
	return rateAll(texts.map(text => (ms: number, seq: number) => nftSample(text, ms, {seq})), intervalMs);
}

/** As `--backend auto` reads it: iptables' tables from `iptables-save -c` text, then the native
 * nft tables (here `backend` is the iptables variant, e.g. legacy, where iptables-nft's own
 * tables are native tables too). */
export function autoRun(readings: ReadonlyArray<{save: string; nft: string}>, backend = 'nf_tables', intervalMs = 1000): RatedSample[] {
	return rateAll(readings.map(reading => (ms: number, seq: number): Sample => {
		const nft = nftSample(reading.nft, ms, {seq});
		const save = parseSave(reading.save, {family: 'ipv4'});
		return {
			...nft,
			source: {command: 'iptables-save -c + nft -j list table …', version: '1.8.9', backend, nftVersion: nft.source.nftVersion!},
			warnings: [...save.warnings, ...nft.warnings],
			tables: [...save.tables, ...nft.tables],
		};
	}), intervalMs);
}
