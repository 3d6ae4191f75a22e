import type {Rule, Table} from './model.ts';

// How to make an uncounted nft rule count. fwtop never changes the firewall; it only says how.
// nft(8) RULES: `replace rule [family] table chain handle handle statement…` keeps the rule's
// position; the `counter` statement must follow the rule's matches and precede its other
// statements (a verdict ends the rule, and a counter before a match would count every packet
// that reaches the rule, matched or not).

/** The first word of the rule's statements, as nft -s prints them (nft-statement.ts renders these). */
const STATEMENT = /(?:^|\s)(?=(?:accept|drop|reject|return|continue|queue|jump|goto|log|limit|quota|dnat|snat|masquerade|redirect|notrack|counter|comment|meta \S+ set|ct \S+ set)\b)/;

/** Selectors nft prints as one word (the unqualified meta keys of nft(8)); the others are two
 * (`meta l4proto`, `tcp dport`, `ip saddr`, `ct state`). */
const ONE_WORD_KEYS = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype', 'iifgroup', 'oifgroup']);

/** Where a verdict map's statement starts: at its key (`meta l4proto vmap …`, `ip saddr . tcp
 * dport vmap …`), which is part of the statement, not a match. */
function vmapStart(spec: string, vmap: number): number {
	const words = spec.slice(0, vmap).trimEnd().split(' ');
	let start = words.length;
	for (;;) {
		start -= ONE_WORD_KEYS.has(words[start - 1] ?? '') ? 1 : 2;
		if (words[start - 1] !== '.') break;
		start -= 1;
	}

	return Math.max(0, words.slice(0, Math.max(0, start)).join(' ').length + (start > 0 ? 1 : 0));
}

/** The rule with `counter` where nft wants it: after its matches, before its first statement. */
export function withCounter(spec: string): string {
	const statement = STATEMENT.exec(spec);
	const vmap = / vmap(?= )/.exec(spec);
	let index = statement === null ? spec.length : statement.index + statement[0].length;
	if (vmap !== null && vmap.index < index) index = vmapStart(spec, vmap.index);
	return `${spec.slice(0, index).trimEnd()} counter ${spec.slice(index).trimStart()}`.trim();
}

/** `nft replace rule ip fwtest input handle 12 ct state invalid counter drop`, or null for what
 * is not an nft rule with a handle. */
export function addCounterCommand(table: Pick<Table, 'name' | 'nftFamily'>, chain: string, rule: Pick<Rule, 'handle' | 'spec'>): string | null {
	if (rule.handle === undefined || table.nftFamily === undefined) return null;
	return `nft replace rule ${table.nftFamily} ${table.name} ${chain} handle ${rule.handle} ${withCounter(rule.spec)}`;
}
