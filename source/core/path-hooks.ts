import {DOCKER_NFT_TABLE} from './docker.ts';
import type {Family, RatedChain, RatedTable} from './model.ts';
import type {Hook} from './path.ts';

// Which base chains a hook runs, in the kernel's order. iptables tables sit at fixed priorities
// (include/uapi/linux/netfilter_ipv4.h NF_IP_PRI_*: raw −300, mangle −150, nat DNAT −100,
// filter 0, security 50, nat SNAT 100). nftables base chains carry their own priority, and the
// kernel runs every base chain registered on a hook from the lowest priority up, whatever table
// it is in (nft(8) "CHAINS"); at equal priority the order is the registration order, which
// fwtop cannot see, so iptables' tables are listed first.

const TABLE_PRIORITY: Readonly<Record<string, number>> = {raw: -300, mangle: -150, filter: 0, security: 50};

function iptablesPriority(table: string, hook: Hook): number {
	if (table === 'nat') return hook === 'PREROUTING' || hook === 'OUTPUT' ? -100 : 100;
	return TABLE_PRIORITY[table] ?? 0;
}

/** Whether a table takes part in the IP packet path of `family`: iptables tables of that family;
 * nft tables of family ip (IPv4), ip6 (IPv6) and inet (both). arp, bridge and netdev tables
 * work on other layers and are not on this path. */
export function onIpPath(table: RatedTable, family: Family): boolean {
	if (table.backend !== 'nft') return table.family === family;
	if (table.nftFamily === 'inet') return true;
	return table.nftFamily === (family === 'ipv4' ? 'ip' : 'ip6');
}

export type HookChain = {table: RatedTable; chain: RatedChain; priority: number};

/** The base chains that run on `hook`, in order, from tables already chosen with onIpPath. */
export function hookBaseChains(tables: readonly RatedTable[], hook: Hook, hookTables: readonly string[]): HookChain[] {
	const found: HookChain[] = [];
	for (const name of hookTables) {
		const priority = iptablesPriority(name, hook);
		// Docker 29's nftables table read without hook details (a test's stand-in): chains named `<table>-<HOOK>`.
		for (const [tableName, chainName] of [[name, hook], [DOCKER_NFT_TABLE, `${name}-${hook}`]] as const) {
			const table = tables.find(candidate => candidate.backend !== 'nft' && candidate.name === tableName);
			const chain = table?.chains.find(candidate => candidate.name === chainName && candidate.hook === undefined);
			if (table !== undefined && chain !== undefined) found.push({table, chain, priority});
		}
	}

	const wanted = hook.toLowerCase();
	for (const table of tables) {
		if (table.backend !== 'nft') continue;
		for (const chain of table.chains) {
			if (chain.builtin && chain.hook === wanted) found.push({table, chain, priority: chain.priority ?? 0});
		}
	}

	// Array.prototype.sort is stable: equal priorities keep iptables first, then nft in table order.
	return found.sort((a, b) => a.priority - b.priority);
}
