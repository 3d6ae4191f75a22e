import type {Family, RatedChain, RatedRule, RatedTable} from './model.ts';
import {DOCKER_NFT_TABLE, natNote} from './docker.ts';
import {hookBaseChains, onIpPath} from './path-hooks.ts';

// The netfilter traversal for a packet, as rows. Hook and table order are the kernel's priorities
// (include/uapi/linux/netfilter_ipv4.h NF_IP_PRI_*: raw −300, mangle −150, nat DNAT −100,
// filter 0, security 50, nat SNAT 100); ip6 uses the same values.

export type PathKind = 'incoming' | 'forward' | 'outgoing' | 'all';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export type PathRowKind = 'hook' | 'chain' | 'rule' | 'policy' | 'return' | 'folded' | 'note';

export type PathRow = {
	/** Unique within one path and stable across samples: the hook, chain and rule keys along the way. */
	key: string;
	/** 0 hook, 1 base chain header, 2 its rules, +1 per expanded user chain. */
	depth: number;
	kind: PathRowKind;
	label: string;
	hook?: Hook;
	table?: string;
	/** The chain the row belongs to (for a rule: the chain that holds it). */
	chain?: string;
	rule?: RatedRule;
	/** chain, policy, return: that chain. rule: the user chain it jumps or goes to, when expanded. */
	chainRef?: RatedChain;
	foldedCount?: number;
};

export type PathOptions = {
	family: Family;
	kind: PathKind;
	/** Fold runs of rules without traffic (and empty ACCEPT base chains) away. */
	hideIdle: boolean;
	/** Whether a rule carries traffic: true, false, or null when unknown. Default: a known
	 * packet rate above 0. The dashboard's mark passes "moved since the mark". */
	active?: (rule: RatedRule) => boolean | null;
	/** The word for a folded run: `… 3 idle rules` by default. */
	idleWord?: string;
	/** How many user chains deep jumps are expanded; default 8. */
	maxDepth?: number;
	/** Rows created before the path is cut short; default 100,000 (guards fan-out blow-up). */
	maxRows?: number;
};

export const HOOK_TABLES: Readonly<Record<Hook, readonly string[]>> = {
	PREROUTING: ['raw', 'mangle', 'nat'],
	INPUT: ['mangle', 'filter', 'security', 'nat'],
	FORWARD: ['mangle', 'filter', 'security'],
	OUTPUT: ['raw', 'mangle', 'nat', 'filter', 'security'],
	POSTROUTING: ['mangle', 'nat'],
};

export const PATH_HOOKS: Readonly<Record<PathKind, readonly Hook[]>> = {
	incoming: ['PREROUTING', 'INPUT'],
	forward: ['PREROUTING', 'FORWARD', 'POSTROUTING'],
	outgoing: ['OUTPUT', 'POSTROUTING'],
	all: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

const HOOK_LABELS: Record<Hook, string> = {
	PREROUTING: 'PREROUTING — every packet arriving on an interface',
	INPUT: 'INPUT — routed to this host',
	FORWARD: 'FORWARD — routed through this host (e.g. to a container)',
	OUTPUT: 'OUTPUT — sent by a local process',
	POSTROUTING: 'POSTROUTING — every packet leaving on an interface',
};

/** The note shown before a hook when the path reaches it through the routing decision. */
const ROUTING_NOTES: Partial<Record<Hook, string>> = {
	INPUT: 'routing decision: addressed to this host → INPUT',
	FORWARD: 'routing decision: addressed elsewhere → FORWARD',
	OUTPUT: 'packets this host sends start here, after their own routing decision',
};

const DEFAULT_MAX_DEPTH = 8;
const DEFAULT_MAX_ROWS = 100_000;

type Walk = {
	table: RatedTable;
	chains: Map<string, RatedChain>;
	hideIdle: boolean;
	active: (rule: RatedRule) => boolean | null;
	idleWord: string;
	maxDepth: number;
	/** User chains being expanded, outermost first (the cycle guard). */
	stack: string[];
	budget: {left: number; truncated: boolean};
};

type Block = {rows: PathRow[]; active: boolean};

/** push(...many) passes every row as an argument and overflows the stack past ~100k rows. */
function append(rows: PathRow[], more: PathRow[]): void {
	for (const row of more) rows.push(row);
}

const rateActive = (rule: RatedRule): boolean | null => (rule.packetsPerSecond === null ? null : rule.packetsPerSecond > 0);


/** Rows for the packet path of one family: hooks in order, base chains, rules, jumps expanded. */
export function buildPath(sample: {tables: RatedTable[]}, options: PathOptions): PathRow[] {
	const tables = sample.tables.filter((table) => onIpPath(table, options.family));
	const budget = {left: options.maxRows ?? DEFAULT_MAX_ROWS, truncated: false};
	const rows: PathRow[] = [];
	for (const [position, hook] of PATH_HOOKS[options.kind].entries()) {
		const routing = ROUTING_NOTES[hook];
		if (routing !== undefined && position > 0) {
			rows.push({key: `note:routing:${hook}`, depth: 0, kind: 'note', label: routing, hook});
		}

		rows.push({key: `hook:${hook}`, depth: 0, kind: 'hook', label: HOOK_LABELS[hook], hook});
		// Base chains in priority order across tables (path-hooks.ts), nftables' included.
		for (const {table, chain} of hookBaseChains(tables, hook, HOOK_TABLES[hook])) {
			if (options.hideIdle && chain.rules.length === 0 && chain.policy?.toUpperCase() !== 'DROP') continue;
			const walk = newWalk(table, options, budget);
			append(rows, baseChainRows(walk, hook, chain));
		}
	}

	if (budget.truncated) {
		rows.push({key: 'note:truncated', depth: 0, kind: 'note', label: `… path cut short after ${options.maxRows ?? DEFAULT_MAX_ROWS} rows`});
	}

	return rows;
}

function newWalk(table: RatedTable, options: PathOptions, budget: Walk['budget']): Walk {
	return {
		table,
		chains: new Map(table.chains.map((chain) => [chain.name, chain])),
		hideIdle: options.hideIdle,
		active: options.active ?? rateActive,
		idleWord: options.idleWord ?? 'idle',
		maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
		stack: [],
		budget,
	};
}

const isNatChain = (table: string, chain: string): boolean =>
	table === 'nat' || (table === DOCKER_NFT_TABLE && chain.startsWith('nat-'));

function baseChainRows(walk: Walk, hook: Hook, chain: RatedChain): PathRow[] {
	const table = walk.table.name;
	const key = `${hook}:${chain.key}`;
	const where = {hook, table, chain: chain.name};
	const family = walk.table.backend === 'nft' ? `${walk.table.nftFamily ?? ''} ` : '';
	const rows: PathRow[] = [{key, depth: 1, kind: 'chain', label: `${family}${table} ${chain.name}`, ...where, chainRef: chain}];
	if (isNatChain(table, chain.name) || chain.type === 'nat') {
		rows.push({key: `${key}>note:nat`, depth: 2, kind: 'note', label: natNote, ...where});
	}

	append(rows, chainBody(walk, hook, chain, key, 2).rows);
	const policy = chain.policy ?? 'ACCEPT';
	rows.push({key: `${key}>policy`, depth: 2, kind: 'policy', label: `policy ${policy}`, ...where, chainRef: chain});
	return rows;
}

/** A chain's rules in order, each followed by its expansion; idle runs folded when asked. */
function chainBody(walk: Walk, hook: Hook, chain: RatedChain, prefix: string, depth: number): Block {
	const rows: PathRow[] = [];
	let idle: RatedRule[] = [];
	let active = false;
	const flush = (): void => {
		if (idle.length > 0) rows.push(foldedRow(walk, hook, chain, prefix, depth, idle));
		idle = [];
	};

	for (const rule of chain.rules) {
		if (walk.budget.left <= 0) {
			walk.budget.truncated = true;
			break;
		}

		const block = ruleBlock(walk, hook, chain, rule, prefix, depth);
		active ||= block.active;
		if (walk.hideIdle && !block.active) {
			idle.push(rule);
			continue;
		}

		flush();
		append(rows, block.rows);
	}

	flush();
	return {rows, active};
}

function foldedRow(walk: Walk, hook: Hook, chain: RatedChain, prefix: string, depth: number, idle: RatedRule[]): PathRow {
	const count = idle.length;
	return {
		key: `${prefix}>folded:${idle[0]!.key}`,
		depth,
		kind: 'folded',
		label: `… ${count} ${walk.idleWord} rule${count === 1 ? '' : 's'}`,
		hook,
		table: walk.table.name,
		chain: chain.name,
		foldedCount: count,
	};
}

/** One rule and, when it jumps or goes to a user chain, that chain's rules beneath it. */
function ruleBlock(walk: Walk, hook: Hook, chain: RatedChain, rule: RatedRule, prefix: string, depth: number): Block {
	walk.budget.left--;
	const key = `${prefix}>${rule.key}`;
	const where = {hook, table: walk.table.name, chain: chain.name};
	const label = rule.spec === '' ? `-j ${rule.target}` : rule.spec;
	const target = walk.chains.get(rule.target);
	const row: PathRow = {key, depth, kind: 'rule', label, ...where, rule};
	const own = walk.active(rule);
	if ((rule.targets?.length ?? 0) > 0) return mapBlock(walk, hook, {caller: chain, rule, key, depth: depth + 1}, row, own);
	if (target === undefined || target.builtin || rule.target === '') return {rows: [row], active: own === true};
	// A known-idle jump folds whatever is below it (see the note further down): skip the work.
	if (walk.hideIdle && own === false) return {rows: [row], active: false};
	const sub = expand(walk, hook, {caller: chain, rule, target, key, depth: depth + 1});
	if (sub.expanded) row.chainRef = target;
	// A user chain's counters add up every caller's packets. When this jump's own rate is a known
	// 0, traffic inside the chain came from another caller (another hook or rule), so it does not
	// keep this branch open; only an unknown rate defers to the sub-tree.
	const active = own === true || (own === null && sub.active);
	sub.rows.unshift(row);
	return {rows: sub.rows, active};
}

type Jump = {caller: RatedChain; rule: RatedRule; target: RatedChain; key: string; depth: number; goto?: boolean};

/** An nft verdict map (`oifname vmap @jumps`): each chain it may jump or go to, expanded below
 * the rule in map order after a note with the map element (`"docker0" : jump …`). With idle
 * rows hidden, only the chains that carried traffic are shown. */
function mapBlock(walk: Walk, hook: Hook, jump: Omit<Jump, 'target'>, row: PathRow, own: boolean | null): Block {
	const rows = [row];
	let active = own === true;
	if (walk.hideIdle && own === false) return {rows, active};
	const seen = new Set<string>();
	for (const {chain: name, goto, when} of jump.rule.targets ?? []) {
		const target = walk.chains.get(name);
		if (target === undefined || target.builtin || seen.has(name)) continue;
		seen.add(name);
		const key = `${jump.key}>${name}`;
		const sub = expand(walk, hook, {...jump, target, key, goto});
		active ||= own === null && sub.active;
		if (walk.hideIdle && !sub.active) continue;
		const label = `${when} : ${goto ? 'goto' : 'jump'} ${name}`;
		rows.push({key: `${key}>note:map`, depth: jump.depth, kind: 'note', label, hook, table: walk.table.name, chain: name});
		append(rows, sub.rows);
	}

	return {rows, active};
}

function expand(walk: Walk, hook: Hook, jump: Jump): Block & {expanded: boolean} {
	const {target, key, depth} = jump;
	const where = {hook, table: walk.table.name, chain: target.name};
	if (walk.stack.includes(target.name)) {
		const label = `↺ ${target.name} is already being followed above (a loop); not expanded again`;
		return {rows: [{key: `${key}>note:loop`, depth, kind: 'note', label, ...where}], active: false, expanded: false};
	}

	if (walk.stack.length >= walk.maxDepth) {
		const label = `… ${target.name} not expanded: deeper than ${walk.maxDepth} chains`;
		return {rows: [{key: `${key}>note:depth`, depth, kind: 'note', label, ...where}], active: false, expanded: false};
	}

	walk.stack.push(target.name);
	const body = chainBody(walk, hook, target, key, depth);
	walk.stack.pop();
	body.rows.push({key: `${key}>return`, depth, kind: 'return', label: returnLabel(jump), ...where, chainRef: target});
	return {...body, expanded: true};
}

/** Where a packet goes at the end of a user chain: after a goto, not back to the chain that went
 * there but to its caller, or to its policy when that is a built-in chain (iptables(8) `-g`). */
function returnLabel({caller, rule, target, goto}: Jump): string {
	if (!(goto ?? rule.goto)) return `end of ${target.name}: back to ${caller.name}`;
	const after = caller.builtin ? `${caller.name}'s policy applies` : `back to the chain that called ${caller.name}`;
	return `end of ${target.name}: reached by goto, so ${after}`;
}

/** The rules that jump or go to `chainName` in `table`, in chain then rule order. */
export function chainReferences(table: RatedTable, chainName: string): Array<{chain: string; rule: RatedRule}> {
	const references: Array<{chain: string; rule: RatedRule}> = [];
	for (const chain of table.chains) {
		for (const rule of chain.rules) {
			if (rule.target === chainName || rule.targets?.some((target) => target.chain === chainName)) references.push({chain: chain.name, rule});
		}
	}

	return references;
}
