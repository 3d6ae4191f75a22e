import type {Chain, Family, NftFamily, NftTarget, ParsedDump, Rule, Table} from './model.ts';
import {isObject, parseJsonKeepingBigIntegers, soleKey, u64} from './nft-json.ts';
import {nftRule, verdictTargets} from './nft-rule.ts';
import {ParseError} from './parse-error.ts';

// `nft -j list ruleset` (libnftables-json(5); nft 1.0.6 verified, ../shared/reference/
// iptables-formats.md §10) as the sample model: every nft table is a Table (backend 'nft'), base
// chains are built-in chains with hook, priority and type, and rules keep nft's syntax. nftables
// has no chain counters, so base chains carry none (policyPackets null). Named counters
// (`counter NAME { … }`) become rows of a synthetic chain, COUNTERS_CHAIN, at the end of their table.

export const COUNTERS_CHAIN = '@counters';

export const NFT_FAMILIES: readonly NftFamily[] = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

export type NftDump = ParsedDump & {
	/** nft's version from the `metainfo` object, '' when absent. */
	version: string;
};

export type NftParseOptions = {
	/** The IP families asked for (-4/-6); ip6 tables need ipv6, ip and arp tables ipv4. */
	families?: readonly Family[];
};

type Raw = Record<string, unknown>;

type Building = {table: Table; chains: Map<string, Chain>; maps: Map<string, NftTarget[]>; rules: Raw[]; counters: Raw[]};

// Standard priority names (nft(8) "CHAINS", table 6/7) for an nft that prints names in JSON.
const PRIORITIES: Record<string, number> = {raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100};
const BRIDGE_PRIORITIES: Record<string, number> = {dstnat: -300, filter: -200, out: 100, srcnat: 300};

function priorityOf(value: unknown, family: NftFamily): number | undefined {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string') return undefined;
	const names = family === 'bridge' ? BRIDGE_PRIORITIES : PRIORITIES;
	const match = /^(\w+)\s*([+-]\s*\d+)?$/.exec(value);
	const base = match === null || !Object.hasOwn(names, match[1]!) ? undefined : names[match[1]!];
	return base === undefined ? undefined : base + Number((match![2] ?? '0').replaceAll(/\s/g, ''));
}

/** The IP family a table is listed under (see Table.family). */
export function modelFamily(family: NftFamily, families: readonly Family[]): Family {
	if (family === 'ip6') return 'ipv6';
	if (family === 'ip' || family === 'arp') return 'ipv4';
	return families.includes('ipv4') ? 'ipv4' : 'ipv6';
}

function wanted(family: NftFamily, families: readonly Family[]): boolean {
	if (family === 'ip6') return families.includes('ipv6');
	if (family === 'ip' || family === 'arp') return families.includes('ipv4');
	return true;
}

function newChain(raw: Raw, family: NftFamily): Chain {
	const base = typeof raw['hook'] === 'string';
	const priority = priorityOf(raw['prio'], family);
	return {
		name: String(raw['name']),
		builtin: base,
		policy: base ? String(raw['policy'] ?? 'accept') : null,
		references: 0,
		policyPackets: null,
		policyBytes: null,
		rules: [],
		...(base ? {hook: String(raw['hook'])} : {}),
		...(priority === undefined ? {} : {priority}),
		...(typeof raw['type'] === 'string' ? {type: raw['type']} : {}),
		...(typeof raw['dev'] === 'string' ? {device: raw['dev']} : {}),
		...(typeof raw['handle'] === 'number' ? {handle: raw['handle']} : {}),
	};
}

function counterRow(raw: Raw, index: number, family: Family): Rule {
	const packets = u64(raw['packets']);
	const bytes = u64(raw['bytes']);
	const name = String(raw['name']);
	const comment = typeof raw['comment'] === 'string' ? raw['comment'] : null;
	const any = family === 'ipv6' ? '::/0' : '0.0.0.0/0';
	return {
		index, target: '', goto: false, protocol: 'all', protocolRaw: 'all', opt: '--', in: '*', out: '*', source: any, destination: any,
		options: `counter ${name}`, comment, spec: `counter ${name}`, packets: packets ?? 0n, bytes: bytes ?? 0n,
		...(typeof raw['handle'] === 'number' ? {handle: raw['handle']} : {}),
		counted: packets !== null && bytes !== null, kind: 'counter',
	};
}

function countersChain(counters: Raw[], family: Family): Chain {
	return {
		name: COUNTERS_CHAIN, builtin: false, policy: null, references: null, policyPackets: null, policyBytes: null,
		rules: counters.map((raw, i) => counterRow(raw, i + 1, family)), synthetic: 'counters',
	};
}

/** Builds one table's chains once every object of the ruleset has been seen. */
function finish(building: Building, warnings: string[]): Table {
	const {table, chains, maps} = building;
	for (const raw of building.rules) {
		const chain = chains.get(String(raw['chain']));
		if (chain === undefined) {
			warnings.push(`nft: a rule of ${table.nftFamily!} ${table.name} names chain ${String(raw['chain'])}, which was not listed`);
			continue;
		}

		chain.rules.push(nftRule(raw, chain.rules.length + 1, table.family, maps));
	}

	for (const chain of chains.values()) {
		for (const rule of chain.rules) {
			const names = new Set([rule.target, ...(rule.targets ?? []).map(target => target.chain)]);
			for (const name of names) {
				const target = chains.get(name);
				if (target !== undefined && !target.builtin) target.references!++;
			}
		}
	}

	table.chains = [...chains.values()];
	if (building.counters.length > 0) table.chains.push(countersChain(building.counters, table.family));
	if (building.rules.some(raw => Array.isArray(raw['expr']) && raw['expr'].some(statement => soleKey(statement) === 'xt'))) {
		warnings.push(`table ${table.nftFamily!} ${table.name} holds iptables extensions nft cannot show (\`xt …\`): read it with iptables (--backend auto or nft) for the full rules`);
	}

	return table;
}

function rootItems(text: string): unknown[] {
	let root: unknown;
	try {
		root = parseJsonKeepingBigIntegers(text);
	} catch (error) {
		throw new ParseError(`not JSON from \`nft -j list ruleset\`: ${(error as Error).message}`);
	}

	if (!isObject(root) || !Array.isArray(root['nftables'])) throw new ParseError('not `nft -j list ruleset` output: no "nftables" array');
	return root['nftables'];
}

/** Parses one `nft -j list ruleset` output. Throws ParseError when it is not one. */
export function parseNftRuleset(text: string, options: NftParseOptions = {}): NftDump {
	const families = options.families ?? ['ipv4', 'ipv6'];
	const tables = new Map<string, Building>();
	const warnings: string[] = [];
	let version = '';
	for (const item of rootItems(text)) {
		const kind = soleKey(item);
		const raw = kind !== null && isObject(item) && isObject(item[kind]) ? item[kind] : undefined;
		if (raw === undefined) continue;
		if (kind === 'metainfo') version = String(raw['version'] ?? '');
		if (kind === 'table') addTable(tables, raw, families);
		const building = tables.get(`${String(raw['family'])} ${String(kind === 'table' ? raw['name'] : raw['table'])}`);
		if (building === undefined || kind === 'table') continue;
		addObject(building, kind!, raw);
	}

	return {tables: [...tables.values()].map(building => finish(building, warnings)), warnings, approximate: false, version};
}

function addTable(tables: Map<string, Building>, raw: Raw, families: readonly Family[]): void {
	const nftFamily = raw['family'] as NftFamily;
	if (!NFT_FAMILIES.includes(nftFamily) || !wanted(nftFamily, families)) return;
	const table: Table = {family: modelFamily(nftFamily, families), name: String(raw['name']), chains: [], backend: 'nft', nftFamily};
	tables.set(`${nftFamily} ${table.name}`, {table, chains: new Map(), maps: new Map(), rules: [], counters: []});
}

function addObject(building: Building, kind: string, raw: Raw): void {
	if (kind === 'chain') building.chains.set(String(raw['name']), newChain(raw, building.table.nftFamily!));
	else if (kind === 'rule') building.rules.push(raw);
	else if (kind === 'counter') building.counters.push(raw);
	else if (kind === 'map' && raw['map'] === 'verdict') {
		building.maps.set(String(raw['name']), verdictTargets(raw['elem'], raw['type'] === 'ifname' ? 'quoted' : 'plain'));
	}
}
