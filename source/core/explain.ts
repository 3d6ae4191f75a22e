import {DOCKER_NFT_TABLE, natNote} from './docker.ts';
import type {Rule, SourceInfo} from './model.ts';

// "Why is this 0?": the explanations a user needs where counters look wrong but are not. Used in
// probe notes and in the dashboard's rule detail. Version facts are from
// ../shared/reference/iptables-formats.md (table at the top, §3): nft policy counters fixed by
// 39a067bb (v1.8.10); the legacy policy reset came with 7c4d668c (v1.4.6) and was reverted by
// 43f78733 (v1.8.10, bugzilla 912).

export type ExplanationId =
	| 'nat-first-packet'
	| 'dnat-bypasses-input'
	| 'nft-no-counter'
	| 'nft-named-counter'
	| 'nft-chain-uncounted'
	| 'nft-policy-uncounted'
	| 'legacy-policy-reset'
	| 'split-host'
	| 'docker-nft-forward-drop';

export type Explanation = {id: ExplanationId; text: string};

export type ExplainSource = Pick<SourceInfo, 'backend' | 'version'>;

export type ExplainRule = Pick<Rule, 'target' | 'spec' | 'options'> & Partial<Pick<Rule, 'counted' | 'counterName' | 'handle'>>;

export const EXPLANATIONS: Readonly<Record<ExplanationId, string>> = {
	'nat-first-packet': natNote,
	'dnat-bypasses-input':
		'A published port\'s DNAT rewrites the destination in PREROUTING, before the routing decision: the packet is then forwarded to the container (FORWARD: DOCKER-USER, DOCKER) and never passes INPUT, so INPUT rules (ufw, firewalld) never see it. Filter published ports in DOCKER-USER.',
	'nft-no-counter':
		'An nftables rule counts only if it has a `counter` statement; this one has none, so there is nothing to show (not 0: unknown). To count it, add `counter` before its verdict, e.g. `nft replace rule FAMILY TABLE CHAIN handle N <the same rule with counter>` (a replaced rule starts from 0).',
	'nft-named-counter':
		'This rule counts into a named counter (`counter name …`), not its own: its packets are in the table\'s @counters row of that name, together with every other rule that uses the same counter.',
	'nft-chain-uncounted':
		'nftables keeps no counters for chains or their policies: a base chain shows none. To count what reaches the policy, end the chain with a rule that has only `counter`.',
	'nft-policy-uncounted':
		'iptables-nft up to 1.8.9 creates built-in chains without counters (unless they were restored with counters), and then their policy counters stay 0 whatever the policy accepts or drops (fixed in 1.8.10).',
	'legacy-policy-reset':
		'iptables-legacy from 1.4.6 up to 1.8.9 resets every built-in chain\'s policy counters to 0 whenever any rule changes (fixed in 1.8.10), so they count only since the last change.',
	'split-host':
		'This host is split: both iptables-legacy and iptables-nft hold rules, and every packet passes both sets. fwtop shows one of them; run it with --backend legacy (or nft) to see the other.',
	'docker-nft-forward-drop':
		'Docker\'s nftables table (docker-bridges) accepts container traffic, but an accept there does not end the packet\'s path: the iptables filter FORWARD chain (policy DROP) still runs and drops it unless one of its rules accepts it.',
};

const explanation = (id: ExplanationId): Explanation => ({id, text: EXPLANATIONS[id]});

/** `1.8.9` → [1, 8, 9]; null when unknown. */
function versionParts(version: string): number[] | null {
	if (!/^\d+(?:\.\d+)*$/.test(version)) return null;
	return version.split('.').map(Number);
}

function compareVersions(a: number[], b: number[]): number {
	for (let i = 0; i < Math.max(a.length, b.length); i++) {
		const difference = (a[i] ?? 0) - (b[i] ?? 0);
		if (difference !== 0) return difference;
	}

	return 0;
}

/** Whether `version` lies in [from, to] (inclusive); false when the version is unknown. */
export function versionBetween(version: string, from: string, to: string): boolean {
	const parts = versionParts(version);
	if (parts === null) return false;
	return compareVersions(parts, versionParts(from)!) >= 0 && compareVersions(parts, versionParts(to)!) <= 0;
}

const isNat = (table: string, chain: string): boolean =>
	table === 'nat' || (table === DOCKER_NFT_TABLE && chain.startsWith('nat-'));

/** Why a rule's counters may be lower than the traffic it handles. */
export function explainRule(table: string, chain: string, rule: ExplainRule): Explanation[] {
	const notes: Explanation[] = [];
	if (isNat(table, chain)) notes.push(explanation('nat-first-packet'));
	const dnat = rule.target === 'DNAT' || /\bdnat to\b/i.test(rule.spec);
	if (dnat && isNat(table, chain)) notes.push(explanation('dnat-bypasses-input'));
	if (rule.counterName !== undefined) notes.push(explanation('nft-named-counter'));
	else if (rule.counted === false || (rule.counted === undefined && table === DOCKER_NFT_TABLE && !/\bcounter\b/.test(rule.spec))) notes.push(explanation('nft-no-counter'));
	return notes;
}

/** Why a built-in chain's policy counters may be 0 or lower than expected. `policyPackets`, when
 * given, rules out the nft explanation once the policy has counted something. */
export function explainPolicy(chain: {builtin: boolean; policyPackets?: bigint | null; hook?: string}, source: ExplainSource): Explanation[] {
	if (!chain.builtin) return [];
	if (chain.hook !== undefined) return [explanation('nft-chain-uncounted')];
	if (source.backend === 'nf_tables' && versionBetween(source.version, '1.8.0', '1.8.9')) {
		return chain.policyPackets === undefined || chain.policyPackets === null || chain.policyPackets === 0n ? [explanation('nft-policy-uncounted')] : [];
	}

	const legacy = source.backend === 'legacy' || source.backend === 'pre-1.8';
	if (legacy && versionBetween(source.version, '1.4.6', '1.8.9')) return [explanation('legacy-policy-reset')];
	return [];
}

type BannerSample = {
	warnings: readonly string[];
	tables: ReadonlyArray<{family: string; name: string; chains: ReadonlyArray<{name: string; policy: string | null}>}>;
};

/** Banners for the whole host: a split legacy/nft firewall, Docker's nftables table behind an
 * iptables FORWARD DROP. */
export function explainSample(sample: BannerSample): Explanation[] {
	const notes: Explanation[] = [];
	// iptables-nft ≥1.8.0 prints `# Warning: iptables-legacy tables present…` (the collector keeps it).
	if (sample.warnings.some(warning => /legacy tables present/i.test(warning))) notes.push(explanation('split-host'));
	for (const family of ['ipv4', 'ipv6']) {
		const tables = sample.tables.filter(table => table.family === family);
		const forward = tables.find(table => table.name === 'filter')?.chains.find(chain => chain.name === 'FORWARD');
		// nft spells the policy `drop` (a filter table read with --backend nftables).
		if (tables.some(table => table.name === DOCKER_NFT_TABLE) && forward?.policy?.toUpperCase() === 'DROP') {
			notes.push(explanation('docker-nft-forward-drop'));
			break;
		}
	}

	return notes;
}
