// The sample model: what every parser produces and every view consumes.
// Counters are bigint because the kernel's are u64 (struct xt_counters) and JavaScript numbers
// lose precision above 2^53 (see ../shared/reference/iptables-formats.md §6).

export type Family = 'ipv4' | 'ipv6';

/** The built-in tables in the order netfilter consults them on a hook. */
export const TABLE_NAMES = ['raw', 'mangle', 'nat', 'filter', 'security'] as const;

export type Rule = {
	/** 1-based position in its chain, as `--line-numbers` prints it. */
	index: number;
	/** Jump or goto target; '' for an accounting rule with no `-j`. */
	target: string;
	goto: boolean;
	/** Protocol as a name (`tcp`, `all`, `gre`, `!udp`); numbers from iptables 1.8.9/1.8.10 are mapped. */
	protocol: string;
	/** Protocol exactly as the source printed it (`6`, `!6`, `tcp`, `all`). */
	protocolRaw: string;
	/** `--`, `-f` (fragments only) or `!f`. */
	opt: string;
	/** Interfaces: `*` for any, `!` prefix when negated, `+` suffix for a wildcard. */
	in: string;
	out: string;
	/** Addresses as `-L -n` prints them: host without /32 or /128, `!` prefix when negated. */
	source: string;
	destination: string;
	/** Matches and target options as one string, in the syntax of the source (save or listing). */
	options: string;
	comment: string | null;
	/** The rule without its counters: the identity text (save: the words after `-A CHAIN`). */
	spec: string;
	packets: bigint;
	bytes: bigint;
	// nftables only (parse-nft.ts); absent for iptables rules.
	/** The rule's handle: its identity, stable while other rules come and go. */
	handle?: number;
	/** False for an nft rule without an anonymous `counter` statement: packets and bytes are then
	 * 0n placeholders, never counts, and its rates are unknown (JSON status `uncounted`). */
	counted?: boolean;
	/** The named counter the rule updates (`counter name "x"`), whose row is in the `@counters` chain. */
	counterName?: string;
	/** Every chain a verdict map (`vmap`) of the rule may jump or go to, with the map key. */
	targets?: NftTarget[];
	/** `counter` for the rows of the synthetic `@counters` chain (named counters). */
	kind?: 'counter';
};

/** One verdict of a verdict map: `when` is the key as nft prints it (`"docker0"`, `tcp`). */
export type NftTarget = {chain: string; goto: boolean; when: string};

/** nftables address families (nft(8) ADDRESS FAMILIES). */
export type NftFamily = 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';

export type Chain = {
	name: string;
	builtin: boolean;
	/** ACCEPT or DROP for built-in chains, null for user chains. */
	policy: string | null;
	/** How many rules jump or go to this chain; null when unknown. */
	references: number | null;
	/** Policy counters of a built-in chain; null for user chains. */
	policyPackets: bigint | null;
	policyBytes: bigint | null;
	rules: Rule[];
	// nftables only: a base chain (builtin) has a hook, a priority and a type.
	/** `prerouting`, `input`, `forward`, `output`, `postrouting`, `ingress`, `egress`. */
	hook?: string;
	/** Numeric priority: base chains on one hook run from the lowest up, across tables. */
	priority?: number;
	/** `filter`, `nat` or `route`. */
	type?: string;
	/** The device of a netdev (or inet ingress) base chain. */
	device?: string;
	handle?: number;
	/** `counters` for the synthetic chain that holds a table's named counters. */
	synthetic?: 'counters';
};

export type Table = {
	/** For nft tables the IP family a table is shown under: ip6 → ipv6; ip, arp, bridge, netdev →
	 * ipv4; inet → ipv4 (ipv6 when only -6 was asked for). `nftFamily` is the real one. */
	family: Family;
	name: string;
	chains: Chain[];
	/** `nft` for a table read with `nft -j list ruleset`; absent for iptables tables. */
	backend?: 'nft';
	nftFamily?: NftFamily;
};

/** What a parser returns for one dump (one family's save output, or one table's listing). */
export type ParsedDump = {
	tables: Table[];
	/** Lines such as `# Table `filter' contains incompatible base-chains…`, and parser notes. */
	warnings: string[];
	/** True when counters were printed with K/M/G/T suffixes (no `-x`): rounded, not exact. */
	approximate: boolean;
};

export type SourceInfo = {
	/** The command (or file) the sample came from, e.g. `/usr/sbin/iptables-save -c`. */
	command: string;
	/** e.g. `1.8.9`; '' when unknown (an --input file). */
	version: string;
	/** `nf_tables`, `legacy`, `pre-1.8`, `file`, or `nftables` (`--backend nftables`). */
	backend: string;
	/** nft's version (`1.0.6`) when native nftables tables were read too. */
	nftVersion?: string;
};

/** One reading of the firewall, immutable once made. */
export type Sample = {
	seq: number;
	/** Wall-clock time the output arrived (for display and JSON `time`). */
	time: Date;
	/** Monotonic milliseconds when the output arrived; the only clock used for rates. */
	monotonicMs: number;
	/** How long the read took, milliseconds. */
	readMs: number;
	source: SourceInfo;
	warnings: string[];
	approximate: boolean;
	tables: Table[];
	/** Families whose iptables tables were not read for this sample: the same Table objects as in
	 * the sample before, from an earlier read (the dashboard reads the family it shows, the other
	 * now and then). Absent when every family was read. */
	carried?: Family[];
};

/** `new`: no previous value (first sample, a rule that just appeared). `reset`: the counter went
 * down (`iptables -Z`, a policy counter reset, a rule replaced). `stale`: Δt ≤ 0. `uncounted`:
 * nothing counts it (an nft rule without a `counter` statement, an nft base chain), so its rate
 * is unknown on every sample, not only the first. */
export type RateStatus = 'ok' | 'new' | 'reset' | 'stale' | 'uncounted';

export type Rate = {
	deltaPackets: bigint | null;
	deltaBytes: bigint | null;
	packetsPerSecond: number | null;
	bytesPerSecond: number | null;
	status: RateStatus;
};

/** For an iptables rule this is a view (rated-rule.ts): the rule's fields are getters over the
 * parsed rule, so a spread or structuredClone of one drops them; copy it field by field. */
export type RatedRule = Rule &
	Rate & {
		/** Short stable id derived from the key (JSON `id`). */
		id: string;
		/** family, table, chain, spec and occurrence among identical rules. Never the position. */
		key: string;
	};

export type RatedChain = Omit<Chain, 'rules'> & {
	key: string;
	/** Aggregate traffic: policy counters of a built-in chain, or for a user chain the sum over
	 * the rules that jump or go to it. */
	packets: bigint;
	bytes: bigint;
	rate: Rate;
	rules: RatedRule[];
	/** False for an nft chain whose traffic is not counted: a base chain (nftables has no chain
	 * counters), or a chain entered through a rule without a counter or a verdict map. */
	counted?: boolean;
};

export type RatedTable = Omit<Table, 'chains'> & {chains: RatedChain[]};

export type RatedSample = Omit<Sample, 'tables'> & {
	/** Seconds since the previous sample; null on the first. */
	elapsed: number | null;
	tables: RatedTable[];
};
