import type {Chain, Rule, Table} from './model.ts';
import type {ChainEntry, SaveMemory} from './save-memory.ts';

// One table of an iptables-save dump while it is read: which chain a rule line goes to, and, at
// COMMIT, its chains with their reference counts. A chain whose rules come back as the same Rule
// objects in the same order is not rebuilt: its previous Chain object is the result, so an idle
// chain costs no allocation and the rates (iptables-rates.ts) see at once that it did not change.

/** A chain being read: while its rules are the previous Chain's rules in order, only `count` moves. */
type Builder = {entry: ChainEntry; before: Chain | undefined; count: number; rules: Rule[] | undefined};

export type OpenTable = {
	table: Table;
	builders: Builder[];
	rules: number;
	/** Every rule and chain line so far was the remembered one, in order (save-memory.ts). */
	inOrder: boolean;
	skipsAtStart: number;
	/** The chain the last rule went to, and the chains by name, made when order does not help. */
	at: number;
	byName: Map<string, Builder> | undefined;
};

export function openTable(table: Table, skips: number): OpenTable {
	return {table, builders: [], rules: 0, inOrder: true, skipsAtStart: skips, at: 0, byName: undefined};
}

export function addChainTo(open: OpenTable, entry: ChainEntry, before: Chain | undefined): void {
	open.builders.push({entry, before, count: 0, rules: undefined});
	open.byName = undefined;
}

const LOOK_AHEAD = 8;

/** The chain named `name`: iptables-save prints rules chain by chain in the order it declared the
 * chains, so the current chain or one of the next few nearly always is it. */
export function chainNamed(open: OpenTable, name: string): Builder | undefined {
	const {builders} = open;
	const last = Math.min(builders.length, open.at + LOOK_AHEAD);
	for (let i = open.at; i < last; i++) {
		if (builders[i]!.entry.name === name) {
			open.at = i;
			return builders[i];
		}
	}

	open.byName ??= new Map(builders.map(builder => [builder.entry.name, builder]));
	return open.byName.get(name);
}

/** The 1-based position the next rule of this chain gets. */
export const nextIndex = (builder: Builder): number => (builder.rules?.length ?? builder.count) + 1;

export function pushRule(builder: Builder, rule: Rule): void {
	if (builder.rules === undefined) {
		if (builder.before?.rules[builder.count] === rule) {
			builder.count++;
			return;
		}

		builder.rules = builder.before?.rules.slice(0, builder.count) ?? [];
	}

	builder.rules.push(rule);
}

function rulesOf(builder: Builder): readonly Rule[] {
	// A copy the size of the chain: the list pushed into has room for 17 or more (V8 grows a list
	// by half plus 16), 152 bytes where a kube-proxy chain of two rules needs 32.
	if (builder.rules !== undefined) return builder.rules.slice();
	const old = builder.before?.rules ?? [];
	return builder.count === old.length ? old : old.slice(0, builder.count);
}

/** iptables counts jumps and gotos as references (iptables-nft too); save output omits the count. */
function countTargets(rules: ReadonlyArray<readonly Rule[]>): Map<string, number> {
	const counts = new Map<string, number>();
	for (const list of rules) {
		for (const rule of list) {
			if (rule.target !== '') counts.set(rule.target, (counts.get(rule.target) ?? 0) + 1);
		}
	}

	return counts;
}

function chainOf(builder: Builder, rules: readonly Rule[], references: Map<string, number>): Chain {
	const {entry, before} = builder;
	const builtin = entry.policy !== '-';
	const referenced = builtin ? null : references.get(entry.name) ?? 0;
	if (before !== undefined && before.rules === rules && before.references === referenced
		&& before.policyPackets === entry.policyPackets && before.policyBytes === entry.policyBytes) return before;
	return {
		name: entry.name,
		builtin,
		policy: builtin ? entry.policy : null,
		references: referenced,
		policyPackets: entry.policyPackets,
		policyBytes: entry.policyBytes,
		rules: rules as Rule[],
	};
}

/** At COMMIT: the table's chains, with the previous reference counts when the table has the same
 * lines as before (in order, none skipped, as many), else counted again. */
export function closeTable(open: OpenTable, skips: number, previous: SaveMemory, next: SaveMemory): void {
	const {table, builders} = open;
	const before = previous.tables.get(table.name);
	const same = before !== undefined && open.inOrder && skips === open.skipsAtStart && before.rules === open.rules
		&& before.chains === builders.length && !next.tables.has(table.name);
	const rules = builders.map(builder => rulesOf(builder));
	const references = same ? before.references : countTargets(rules);
	next.tables.set(table.name, {rules: open.rules, chains: builders.length, references});
	for (let i = 0; i < builders.length; i++) {
		const chain = chainOf(builders[i]!, rules[i]!, references);
		table.chains.push(chain);
		next.built.push(chain);
	}
}
