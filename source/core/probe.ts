import {explainPolicy, explainRule, explainSample, type Explanation} from './explain.ts';
import type {Family, RatedChain, RatedRule, RatedSample, Sample} from './model.ts';
import {buildPath, type Hook} from './path.ts';
import {rateSample} from './rates.ts';

// `fwtop probe -- CMD`: two readings around a command, and the rules whose counters moved in
// between, in the order a packet meets them (path.ts: hooks in order, jumps expanded in place).
// Rules in chains no hook reaches come last, in table and chain order.

export type ProbeRow = {
	kind: 'rule' | 'policy';
	family: Family;
	table: string;
	chain: string;
	/** Rule id (JSON `id`); null for a policy. */
	id: string | null;
	/** 1-based position in the chain; null for a policy. */
	index: number | null;
	/** Jump target; for a policy ACCEPT or DROP. */
	target: string;
	/** Save text without counters; '' for a policy. */
	spec: string;
	comment: string | null;
	deltaPackets: bigint;
	deltaBytes: bigint;
	/** Δpackets ≥ the number of runs: the probe's traffic certainly crossed it (or as much noise). */
	certain: boolean;
	/** The hook where a packet first meets it; null when no hook reaches its chain. */
	hook: Hook | null;
	/** How many jumps deep (0: a rule of a base chain). */
	depth: number;
};

export type ProbeDiff = {
	rows: ProbeRow[];
	notes: string[];
	/** Seconds between the two readings (monotonic clock). */
	elapsed: number | null;
};

type Moved = {deltaPackets: bigint; deltaBytes: bigint; appeared: boolean};

/** The counters a rule gained between the readings, or null when it did not move (or a reset
 * makes it unknown). A rule that appeared in between counts from zero. */
function movedRule(rule: RatedRule): Moved | null {
	if (rule.status === 'new') return rule.packets > 0n ? {deltaPackets: rule.packets, deltaBytes: rule.bytes, appeared: true} : null;
	if (rule.deltaPackets === null || rule.deltaBytes === null) return null;
	return rule.deltaPackets > 0n ? {deltaPackets: rule.deltaPackets, deltaBytes: rule.deltaBytes, appeared: false} : null;
}

function movedPolicy(chain: RatedChain): Moved | null {
	if (!chain.builtin || chain.rate.deltaPackets === null || chain.rate.deltaBytes === null) return null;
	return chain.rate.deltaPackets > 0n ? {deltaPackets: chain.rate.deltaPackets, deltaBytes: chain.rate.deltaBytes, appeared: false} : null;
}

type Where = {family: Family; table: string; chain: string; hook: Hook | null; depth: number};

function ruleRow(where: Where, rule: RatedRule, moved: Moved, repeat: number): ProbeRow {
	return {
		kind: 'rule',
		...where,
		id: rule.id,
		index: rule.index,
		target: rule.target,
		spec: rule.spec,
		comment: rule.comment,
		deltaPackets: moved.deltaPackets,
		deltaBytes: moved.deltaBytes,
		certain: moved.deltaPackets >= BigInt(repeat),
	};
}

function policyRow(where: Where, chain: RatedChain, moved: Moved, repeat: number): ProbeRow {
	return {
		kind: 'policy',
		...where,
		id: null,
		index: null,
		target: chain.policy ?? 'ACCEPT',
		spec: '',
		comment: null,
		deltaPackets: moved.deltaPackets,
		deltaBytes: moved.deltaBytes,
		certain: moved.deltaPackets >= BigInt(repeat),
	};
}

type Collected = {rows: ProbeRow[]; seen: Set<string>; rules: Array<{table: string; chain: string; rule: RatedRule}>; appeared: number};

/** Moved rules and policies of one family in path order (first meeting only). A jump that did
 * not move delivered no packet into its chain, so its expansion is skipped: the rules inside are
 * placed where a moving jump reaches them (or last). */
function pathRows(rated: RatedSample, family: Family, repeat: number, out: Collected): void {
	let skipBelow = Number.POSITIVE_INFINITY;
	for (const row of buildPath(rated, {family, kind: 'all', hideIdle: false})) {
		if (row.depth > skipBelow) continue;
		skipBelow = Number.POSITIVE_INFINITY;
		const where: Where = {family, table: row.table ?? '', chain: row.chain ?? '', hook: row.hook ?? null, depth: Math.max(0, row.depth - 2)};
		if (row.kind === 'rule' && row.rule !== undefined) {
			const moved = movedRule(row.rule);
			// (A reset jump's Δ is unknown: its chain stays; so does an nft jump without a counter.)
			if (moved === null && row.chainRef !== undefined && row.rule.status !== 'reset' && row.rule.counted !== false) skipBelow = row.depth;
			if (moved === null || out.seen.has(row.rule.key)) continue;
			out.seen.add(row.rule.key);
			out.rows.push(ruleRow(where, row.rule, moved, repeat));
			out.rules.push({table: where.table, chain: where.chain, rule: row.rule});
			if (moved.appeared) out.appeared++;
		} else if (row.kind === 'policy' && row.chainRef !== undefined && !out.seen.has(row.chainRef.key)) {
			const moved = movedPolicy(row.chainRef);
			if (moved === null) continue;
			out.seen.add(row.chainRef.key);
			out.rows.push(policyRow(where, row.chainRef, moved, repeat));
		}
	}
}

/** Moved rules and policies that no hook reaches (or that the path cut short), in table order. */
function unreachedRows(rated: RatedSample, repeat: number, out: Collected): void {
	for (const table of rated.tables) {
		for (const chain of table.chains) {
			const where: Where = {family: table.family, table: table.name, chain: chain.name, hook: null, depth: 0};
			for (const rule of chain.rules) {
				const moved = out.seen.has(rule.key) ? null : movedRule(rule);
				if (moved === null) continue;
				out.rows.push(ruleRow(where, rule, moved, repeat));
				out.rules.push({table: table.name, chain: chain.name, rule});
				if (moved.appeared) out.appeared++;
			}

			const policy = out.seen.has(chain.key) ? null : movedPolicy(chain);
			if (policy !== null) out.rows.push(policyRow(where, chain, policy, repeat));
		}
	}
}

/** Diffs two readings taken around `repeat` runs of a command. */
export function probeDiff(before: Sample, after: Sample, options: {repeat: number}): ProbeDiff {
	const {rated} = rateSample(rateSample(null, before).state, after);
	const out: Collected = {rows: [], seen: new Set(), rules: [], appeared: 0};
	const families = [...new Set(rated.tables.map(table => table.family))];
	for (const family of families) pathRows(rated, family, options.repeat, out);
	unreachedRows(rated, options.repeat, out);
	return {rows: out.rows, notes: probeNotes(rated, out), elapsed: rated.elapsed};
}

function probeNotes(rated: RatedSample, out: Collected): string[] {
	const explanations: Explanation[] = [];
	for (const {table, chain, rule} of out.rules) explanations.push(...explainRule(table, chain, rule));
	explanations.push(...explainSample(rated));
	const chains = rated.tables.flatMap(table => table.chains).filter(chain => chain.builtin);
	// A dropped probe may end in a DROP policy. When no policy has counted anything at all, they
	// are probably not counting (iptables-nft ≤1.8.9): say so, or the drop is invisible here.
	if (chains.some(chain => chain.policy === 'DROP') && chains.every(chain => chain.packets === 0n)) {
		explanations.push(...explainPolicy({builtin: true, policyPackets: 0n}, rated.source).filter(item => item.id === 'nft-policy-uncounted'));
	}

	if (chains.some(chain => chain.rate.status === 'reset')) {
		explanations.push(...explainPolicy({builtin: true}, rated.source).filter(item => item.id === 'legacy-policy-reset'));
	}

	const notes = [...new Set(explanations.map(item => item.text))];
	const reset = rated.tables.flatMap(table => table.chains.flatMap(chain =>
		chain.rules.filter(rule => rule.status === 'reset').map(rule => `${table.name} ${chain.name} #${rule.index}`)));
	if (reset.length > 0) {
		notes.push(`Counters went down during the probe (iptables -Z, or rules replaced), so their Δ is unknown: ${listSome(reset)}.`);
	}

	if (out.appeared > 0) notes.push(`${out.appeared} of these rules appeared during the probe; their Δ counts from when they were added.`);
	notes.push(...rated.warnings.filter(warning => !/legacy tables present/i.test(warning)));
	if (out.rows.length === 0) notes.push('No rule\'s counters moved between the two readings.');
	return notes;
}

function listSome(items: string[], max = 5): string {
	return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
