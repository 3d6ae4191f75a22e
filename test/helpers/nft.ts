// nft fixtures for the core tests: fwtop's own (test/fixtures/nft/, made by
// scripts/gen-nft-fixtures.sh; provenance in its README) and, when present, ../shared's captures.
import {existsSync, readFileSync} from 'node:fs';
import type {TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {Family, RatedSample, RatedTable, Sample, Table} from '../../source/core/model.ts';
import {parseNftRuleset} from '../../source/core/parse-nft.ts';
import {rateSample} from '../../source/core/rates.ts';

export const NFT_DIR = fileURLToPath(new URL('../fixtures/nft/', import.meta.url));
export const SHARED_NFT_DIR = fileURLToPath(new URL('../../../shared/fixtures/iptables-1.8.9/', import.meta.url));

export const ownNft = (name: string): string => readFileSync(`${NFT_DIR}${name}`, 'utf8');

/** A ../shared capture, or null with the test marked skipped (never a silent pass). */
export function sharedNft(t: TestContext, name: string): string | null {
	const file = `${SHARED_NFT_DIR}${name}`;
	if (existsSync(file)) return readFileSync(file, 'utf8');
	t.skip(`../shared is not beside this checkout (${file} missing)`);
	return null;
}

/** A Sample of nft tables only, as `--backend nftables` makes it. */
export function nftSample(text: string, monotonicMs: number, options: {seq?: number; families?: Family[]} = {}): Sample {
	const dump = parseNftRuleset(text, options.families ? {families: options.families} : {});
	return {
		seq: options.seq ?? 1,
		time: new Date(Date.UTC(2026, 10, 24, 12, 0, 0) + monotonicMs),
		monotonicMs,
		readMs: 5,
		source: {command: 'nft -j list ruleset', version: dump.version, backend: 'nftables', nftVersion: dump.version},
		warnings: dump.warnings,
		approximate: false,
		tables: dump.tables,
	};
}

/** Two readings rated one after the other; returns the second. */
export function ratedPair(first: string, second: string, elapsedMs = 1000): RatedSample {
	const {state} = rateSample(null, nftSample(first, 0));
	return rateSample(state, nftSample(second, elapsedMs, {seq: 2})).rated;
}

export function findTable<T extends Table | RatedTable>(tables: readonly T[], nftFamily: string, name: string): T {
	const table = tables.find(candidate => candidate.nftFamily === nftFamily && candidate.name === name);
	if (table === undefined) throw new Error(`no table ${nftFamily} ${name}`);
	return table;
}

/** `nft -s -a list ruleset` text by `family table chain handle` → the rule as nft prints it. */
export function statelessRules(text: string): Map<string, string> {
	const rules = new Map<string, string>();
	let table = '';
	let chain = '';
	for (const line of text.split('\n')) {
		table = /^table (\S+ \S+) \{/.exec(line)?.[1] ?? table;
		chain = /^\tchain (\S+) \{/.exec(line)?.[1] ?? chain;
		const rule = /^\t\t(.*) # handle (\d+)$/.exec(line);
		if (rule && chain !== '') rules.set(`${table} ${chain} ${rule[2]!}`, rule[1]!);
	}

	return rules;
}
