import type {Family, RatedChain, RatedRule, RatedSample, RatedTable} from '../core/model.ts';
import type {Row} from './state.ts';

// Counter snapshots keyed by rule and chain identity (RatedRule.key, RatedChain.key), for the two
// client-side baselines fwtop has (it never runs `iptables -Z`):
//   `z`  zeroes the displayed counters: pkts/bytes count from that moment, every row stays, in the
//        chosen sort (a counter that went down counts from 0 again, as the kernel's does);
//   `m`  marks: every view becomes a diff, "Δ since mark", sorted by Δ, with the rules that did
//        not move hidden (`i` shows them), the read-only `iptables-save -c; CMD; iptables-save -c;
//        diff`. A counter that went down since the mark is `reset` (the diff is unknown, never
//        negative); a rule that appeared after the mark counts from 0 and is marked new.

export type Counters = {packets: bigint; bytes: bigint};

export type Snapshot = {
	/** Wall-clock time of the sample the counters come from. */
	time: Date;
	/** Monotonic clock (ms) when the snapshot was taken. */
	at: number;
	counters: ReadonlyMap<string, Counters>;
	/** Families the sample only carried from an earlier read (the dashboard reads the family it
	 * shows): their counters are taken from the next sample that reads them (`completed`), not
	 * from a read seconds before the mark. */
	pending?: readonly Family[];
};

export type MarkSort = 'packets' | 'bytes';

export type Mark = Snapshot & {
	sort: MarkSort;
	/** Rules and chains that did not move are hidden (folded in the path view) while this holds. */
	hideUnmoved: boolean;
};

function addCounters(counters: Map<string, Counters>, table: RatedTable): void {
	// What nothing counts (nft without `counter`) has 0n placeholders, not counts: no baseline.
	for (const chain of table.chains) {
		if (chain.counted !== false) counters.set(chain.key, {packets: chain.packets, bytes: chain.bytes});
		for (const rule of chain.rules) if (rule.counted !== false) counters.set(rule.key, {packets: rule.packets, bytes: rule.bytes});
	}
}

/** An iptables table of one of `families` (nft tables are read every sample, never carried). */
const ofFamilies = (table: RatedTable, families: readonly Family[] | undefined): boolean => table.backend !== 'nft' && (families?.includes(table.family) ?? false);

export function snapshot(sample: RatedSample | null, at: number): Snapshot {
	const counters = new Map<string, Counters>();
	if (sample === null) return {time: new Date(0), at, counters};
	for (const table of sample.tables) if (!ofFamilies(table, sample.carried)) addCounters(counters, table);
	return {time: sample.time, at, counters, ...(sample.carried === undefined ? {} : {pending: sample.carried})};
}

/** `snapshot` with the counters of its pending families that `sample` has read. */
export function completed<T extends Snapshot>(snapshot: T, sample: RatedSample): T {
	const pending = snapshot.pending;
	if (pending === undefined) return snapshot;
	const read = pending.filter(family => !(sample.carried?.includes(family) ?? false));
	if (read.length === 0) return snapshot;
	const counters = new Map(snapshot.counters);
	for (const table of sample.tables) if (ofFamilies(table, read)) addCounters(counters, table);
	const left = pending.filter(family => !read.includes(family));
	const next: T = {...snapshot, counters};
	if (left.length > 0) next.pending = left;
	else delete next.pending;
	return next;
}

/** `ok`: counted since the mark; `new`: not there at the mark, counted from 0; `reset`: the
 * counter went down (iptables -Z, a rule replaced, a legacy policy reset), Δ unknown;
 * `uncounted`: nothing counts it (an nftables rule without `counter`), Δ unknown. */
export type Delta = {status: 'ok' | 'new' | 'reset' | 'uncounted'; packets: bigint; bytes: bigint};

/** Counters, and `counted: false` where the firewall keeps none (the nft reader's placeholders). */
export type Counted = Counters & {counted?: boolean};

export function deltaSince(mark: Pick<Snapshot, 'counters'>, key: string, counters: Counted): Delta {
	if (counters.counted === false) return {status: 'uncounted', packets: 0n, bytes: 0n};
	const base = mark.counters.get(key);
	if (base === undefined) return {status: 'new', packets: counters.packets, bytes: counters.bytes};
	if (counters.packets < base.packets || counters.bytes < base.bytes) return {status: 'reset', packets: 0n, bytes: 0n};
	return {status: 'ok', packets: counters.packets - base.packets, bytes: counters.bytes - base.bytes};
}

/** Moved since the mark: counted something, or was reset (something happened; hiding it would hide that). */
export function moved(delta: Delta): boolean {
	return delta.status === 'reset' || delta.packets > 0n || delta.bytes > 0n;
}

/** A chain since the mark: its own counters (a built-in chain's policy, a user chain's entering
 * traffic) and the sum of its rules' matches (`hits`). */
export type ChainDelta = {own: Delta; hits: bigint; hitBytes: bigint; reset: boolean};

export function chainDelta(mark: Pick<Snapshot, 'counters'>, chain: RatedChain): ChainDelta {
	let hits = 0n;
	let hitBytes = 0n;
	let reset = false;
	for (const rule of chain.rules) {
		const delta = deltaSince(mark, rule.key, rule);
		reset ||= delta.status === 'reset';
		hits += delta.packets;
		hitBytes += delta.bytes;
	}

	return {own: deltaSince(mark, chain.key, chain), hits, hitBytes, reset};
}

/** Its rules or its own counters counted something since the mark. */
function chainCounted(delta: ChainDelta): boolean {
	return delta.hits > 0n || delta.hitBytes > 0n || delta.own.packets > 0n || delta.own.bytes > 0n;
}

/** Whether anything of the chain counts: its own counters or one of its rules (an nft base
 * chain whose rules have no `counter` has nothing to diff). */
export function countsAnything(chain: RatedChain): boolean {
	return chain.counted !== false || chain.rules.some(rule => rule.counted !== false);
}

export function chainMoved(delta: ChainDelta): boolean {
	return delta.reset || chainCounted(delta) || moved(delta.own);
}

export const ruleDelta = (mark: Pick<Snapshot, 'counters'>, rule: RatedRule): Delta => deltaSince(mark, rule.key, rule);

/** Whether the path view shows a rule as moving: true, false, or null for unknown (a reset). */
export function ruleMoved(mark: Pick<Snapshot, 'counters'>, rule: RatedRule): boolean | null {
	const delta = ruleDelta(mark, rule);
	if (delta.status === 'reset' || delta.status === 'uncounted') return null;
	return moved(delta);
}

/** How the diff orders rows: what moved first (largest Δ first, by packets or bytes), then what
 * was reset (Δ unknown), then what did not move; ties keep rule order (the caller's position). */
export type DeltaKey = {group: 0 | 1 | 2; value: bigint; next: bigint};

export function ruleKeyOf(mark: Mark, rule: RatedRule): DeltaKey {
	const delta = ruleDelta(mark, rule);
	const [value, next] = mark.sort === 'bytes' ? [delta.bytes, delta.packets] : [delta.packets, delta.bytes];
	const group = delta.status === 'reset' ? 1 : moved(delta) ? 0 : 2;
	return {group, value, next};
}

export function chainKeyOf(mark: Mark, chain: RatedChain): DeltaKey {
	const delta = chainDelta(mark, chain);
	const value = mark.sort === 'bytes' ? delta.hitBytes : delta.hits;
	const next = mark.sort === 'bytes' ? delta.own.bytes : delta.own.packets;
	const group = chainCounted(delta) ? 0 : chainMoved(delta) ? 1 : 2;
	return {group, value, next};
}

export function compareDeltaKeys(a: DeltaKey, b: DeltaKey): number {
	if (a.group !== b.group) return a.group - b.group;
	if (a.value !== b.value) return a.value > b.value ? -1 : 1;
	if (a.next !== b.next) return a.next > b.next ? -1 : 1;
	return 0;
}

/** A row in the diff: moved (`active`), did not move (`idle`), or reset or uncounted (`unknown`:
 * `i` does not hide what fwtop cannot know is still). Path rows without counters of their own
 * (hooks, chain headers, notes) are `unknown`. */
export function markActivity(mark: Pick<Snapshot, 'counters'>, row: Row): 'active' | 'idle' | 'unknown' {
	let delta: Delta | undefined;
	if (row.kind === 'chain') {
		if (!countsAnything(row.chain)) return 'unknown';
		const chain = chainDelta(mark, row.chain);
		if (chainCounted(chain)) return 'active';
		return chainMoved(chain) ? 'unknown' : 'idle';
	}

	if (row.kind === 'rule') delta = ruleDelta(mark, row.rule);
	else if (row.path.kind === 'rule' && row.path.rule !== undefined) delta = ruleDelta(mark, row.path.rule);
	else if (row.path.kind === 'policy' && row.path.chainRef !== undefined) delta = deltaSince(mark, row.path.chainRef.key, row.path.chainRef);
	if (delta === undefined || delta.status === 'reset' || delta.status === 'uncounted') return 'unknown';
	return moved(delta) ? 'active' : 'idle';
}
