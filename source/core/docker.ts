import type {Rule} from './model.ts';

// What Docker's bridge driver puts in the firewall, generation by generation, in words an operator
// understands. Chain and rule shapes come from moby/moby (v27.5.1 setup_ip_tables_linux.go and
// iptables.go; docker-v29.5.1 internal/iptabler/*.go and internal/nftabler/*.go) as summarised in
// ../shared/docker/README.md and its three reference rulesets.

export type DockerGeneration = '27' | '28' | '29';

export type DockerChainInfo = {
	/** Where the chain exists: '≤28', '28+', '29', 'all' (every generation with iptables). */
	generation: string;
	summary: string;
};

/** The rule fields the notes look at; both the save and the listing parser fill them. */
export type DockerRuleFields = Pick<
	Rule,
	'target' | 'in' | 'out' | 'source' | 'destination' | 'options' | 'comment' | 'spec'
>;

/** Docker 29's nftables backend keeps everything in its own table (`table ip docker-bridges`). */
export const DOCKER_NFT_TABLE = 'docker-bridges';

export const natNote =
	'nat rules count only the first packet of each connection (conntrack applies the same translation to the rest), so their rates are new connections per second, not traffic.';

const ISOLATION_1 = 'DOCKER-ISOLATION-STAGE-1';
const ISOLATION_2 = 'DOCKER-ISOLATION-STAGE-2';

const FILTER_CHAINS: Record<string, DockerChainInfo> = {
	DOCKER: {generation: 'all', summary: 'DOCKER (filter): accepts new connections to published container ports; since 28 it then drops the rest coming from outside the bridge (unpublished ports).'},
	'DOCKER-USER': {generation: 'all', summary: 'DOCKER-USER: your own rules go here; Docker never changes it. Evaluated first in FORWARD.'},
	[ISOLATION_1]: {generation: '≤28', summary: 'DOCKER-ISOLATION-STAGE-1: traffic leaving a Docker bridge for another interface goes on to STAGE-2 (network isolation, step 1).'},
	[ISOLATION_2]: {generation: '≤28', summary: 'DOCKER-ISOLATION-STAGE-2: drops traffic from one Docker network into another (network isolation, step 2).'},
	'DOCKER-FORWARD': {generation: '28+', summary: 'DOCKER-FORWARD: Docker\'s part of FORWARD, after DOCKER-USER: replies (DOCKER-CT), isolation, published ports (DOCKER-BRIDGE), then traffic leaving containers.'},
	'DOCKER-CT': {generation: '28+', summary: 'DOCKER-CT: accepts replies and related packets to containers (conntrack); most forwarded packets end here.'},
	'DOCKER-BRIDGE': {generation: '28+', summary: 'DOCKER-BRIDGE: sends new connections towards each Docker bridge to the DOCKER chain (published ports).'},
	'DOCKER-INTERNAL': {generation: '29', summary: 'DOCKER-INTERNAL: drops traffic into or out of --internal networks; empty when there are none.'},
	'DOCKER-INGRESS': {generation: 'all', summary: 'DOCKER-INGRESS: Docker swarm routing mesh; accepts traffic for published service ports.'},
	'DOCKER-ISOLATION': {generation: '≤17.03', summary: 'DOCKER-ISOLATION: old Docker (before 17.06): drops traffic between Docker networks.'},
};

const NAT_CHAINS: Record<string, DockerChainInfo> = {
	DOCKER: {generation: 'all', summary: 'DOCKER (nat): published ports → containers (DNAT), for packets to a local address (from PREROUTING and OUTPUT). Counts first packets only.'},
	'DOCKER-INGRESS': {generation: 'all', summary: 'DOCKER-INGRESS (nat): Docker swarm routing mesh; sends published service ports to the ingress network.'},
};

const NFT_CHAINS: Record<string, DockerChainInfo> = {
	'filter-FORWARD': {generation: '29', summary: 'filter-FORWARD: Docker 29 (nftables) forwarding; picks filter-forward-in__BR (into a bridge) and filter-forward-out__BR (out of one) by interface.'},
	'raw-PREROUTING': {generation: '29', summary: 'raw-PREROUTING: Docker 29 (nftables): blocks direct access to container addresses from outside their bridge.'},
	'nat-PREROUTING': {generation: '29', summary: 'nat-PREROUTING: Docker 29 (nftables): packets to a local address go to nat-prerouting-and-output (published ports).'},
	'nat-OUTPUT': {generation: '29', summary: 'nat-OUTPUT: Docker 29 (nftables): local processes connecting to a local address (not 127/8) go to nat-prerouting-and-output.'},
	'nat-prerouting-and-output': {generation: '29', summary: 'nat-prerouting-and-output: Docker 29 (nftables): published ports → containers (DNAT). Counts first packets only.'},
	'nat-POSTROUTING': {generation: '29', summary: 'nat-POSTROUTING: Docker 29 (nftables): picks nat-postrouting-out__BR (masquerade) and nat-postrouting-in__BR by interface.'},
};

const NFT_BRIDGE_CHAINS: Record<string, (bridge: string) => string> = {
	'filter-forward-in': (br) => `traffic into bridge ${br}: replies, container to container (ICC), published ports, then drop.`,
	'filter-forward-out': (br) => `traffic leaving bridge ${br}: replies and outgoing connections are accepted.`,
	'nat-postrouting-out': (br) => `containers on ${br} going out: masquerade to the host address.`,
	'nat-postrouting-in': (br) => `traffic into ${br}: hairpin masquerade, only with userland-proxy=false; usually empty.`,
};

/** Own properties only: chain names and comments are untrusted (`__proto__`, `constructor`). */
function own<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

const CHAINS: Record<string, Record<string, DockerChainInfo>> = {
	filter: FILTER_CHAINS,
	nat: NAT_CHAINS,
	[DOCKER_NFT_TABLE]: NFT_CHAINS,
};

/** What Docker uses `chain` of `table` for, or null when it is not one of Docker's chains. */
export function dockerChainInfo(table: string, chain: string): DockerChainInfo | null {
	const chains = own(CHAINS, table);
	const known = chains === undefined ? undefined : own(chains, chain);
	if (known !== undefined) return known;
	if (table !== DOCKER_NFT_TABLE) return null;
	const match = /^([a-z-]+)__(.+)$/.exec(chain);
	const describe = match === null ? undefined : own(NFT_BRIDGE_CHAINS, match[1]!);
	if (match === null || describe === undefined) return null;
	return {generation: '29', summary: `${chain}: Docker 29 (nftables): ${describe(match[2]!)}`};
}

/** Which Docker firewall layout the chains show, or null when there is none (or it is ambiguous). */
export function detectDockerGeneration(
	tables: Array<{name: string; chains: Array<{name: string}>}>,
): DockerGeneration | null {
	// The nftables backend exists only in 29; leftover iptables chains from an older run do not
	// change which daemon wrote the live rules.
	if (tables.some((table) => table.name === DOCKER_NFT_TABLE)) return '29';
	const names = new Set(tables.flatMap((table) => table.chains.map((chain) => chain.name)));
	const isolation = names.has(ISOLATION_1) || names.has(ISOLATION_2);
	if (names.has('DOCKER-FORWARD')) {
		// DOCKER-INTERNAL first appeared in 29, which also dropped the isolation chains; any
		// isolation chains next to it are leftovers of an upgrade. DOCKER-FORWARD with neither is
		// still the 28+ layout.
		return names.has('DOCKER-INTERNAL') ? '29' : '28';
	}

	return isolation ? '27' : null;
}

type Facts = {
	target: string;
	in: string;
	out: string;
	source: string;
	destination: string;
	/** Options, comment and spec in lower case, for the nftables rules and match words. */
	text: string;
	comment: string;
};

const any = (value: string): boolean => value === '' || value === '*' || value === 'any';
const negated = (value: string): string | null => (value.startsWith('!') && value.length > 1 ? value.slice(1) : null);
const plain = (value: string): string | null => (any(value) || value.startsWith('!') ? null : value);
const isHost = (address: string): boolean =>
	address !== '' && !address.startsWith('!') && (!address.includes('/') || /\/(?:32|128)$/.test(address));
const isSubnet = (address: string): boolean =>
	address.includes('/') && !isHost(address) && !/\/0$/.test(address) && !address.startsWith('!');
const stripHost = (address: string): string => address.replace(/\/(?:32|128)$/, '');
const established = (facts: Facts): boolean => /established/.test(facts.text);
const anyAddress = (address: string): boolean => address === '' || address === '0.0.0.0/0' || address === '::/0';
const unconditional = (rule: DockerRuleFields): boolean =>
	any(rule.in) && any(rule.out) && anyAddress(rule.source) && anyAddress(rule.destination) && rule.options.trim() === '';

function dnatNote(facts: Facts): string {
	const port = /(?:--dport |dpt:|dport )(\d+(?:[:-]\d+)?)/.exec(facts.text)?.[1];
	const to = /(?:--to-destination |to:|dnat to )(\S+)/.exec(facts.text)?.[1];
	if (port === undefined || to === undefined) return 'published port → container';
	return `published port ${port} → container ${to}`;
}

const JUMP_NOTES: Record<string, string> = {
	'DOCKER-USER': 'your own rules first (DOCKER-USER)',
	'DOCKER-FORWARD': 'Docker 28+: Docker\'s forwarding rules',
	'DOCKER-CT': 'replies to containers first (conntrack)',
	'DOCKER-INTERNAL': 'isolation of --internal networks',
	'DOCKER-BRIDGE': 'new connections to containers → published ports',
	[ISOLATION_1]: 'Docker network isolation',
	'DOCKER-INGRESS': 'Docker swarm routing mesh',
};

/** FORWARD and the 28+ chains it calls share the per-bridge rule shapes. */
function forwardNote(facts: Facts): string | null {
	const jump = own(JUMP_NOTES, facts.target);
	if (jump !== undefined) return jump;
	const out = plain(facts.out);
	const into = plain(facts.in);
	if (out !== null && facts.target === 'ACCEPT' && established(facts)) return `replies to containers on ${out}`;
	if (out !== null && facts.target === 'DOCKER') return `new connections to containers on ${out} → published ports`;
	if (into === null || facts.target !== 'ACCEPT') return null;
	if (negated(facts.out) === into) return `containers on ${into} going out`;
	if (out === into) return `container to container on ${into} (ICC)`;
	return any(facts.out) ? `containers on ${into} going out, and container to container (ICC)` : null;
}

function filterDockerNote(facts: Facts): string | null {
	const out = plain(facts.out);
	if (facts.target === 'ACCEPT' && isHost(facts.destination)) {
		const port = /(?:--dport |dpt:|dport )(\d+)/.exec(facts.text)?.[1];
		return `published port: accepts new connections to ${stripHost(facts.destination)}${port === undefined ? '' : `:${port}`}`;
	}

	if (facts.target === 'DROP' && out !== null && negated(facts.in) === out) {
		return `Docker 28+: drops new connections from outside ${out} to ports that are not published`;
	}

	return null;
}

function isolationNote(chain: string, facts: Facts): string | null {
	const into = plain(facts.in);
	const out = plain(facts.out);
	if (facts.target === 'RETURN') return chain === ISOLATION_1 ? 'not leaving a Docker bridge: carry on' : 'not into another Docker network: carry on';
	if (facts.target === ISOLATION_2 && into !== null) return `traffic from ${into} to another interface → isolation step 2`;
	if (facts.target === 'DROP' && out !== null) return `drops traffic into ${out} from another Docker network (isolation)`;
	return null;
}

function natRuleNote(chain: string, facts: Facts): string | null {
	if (facts.target === 'DOCKER') return 'to a local address → Docker\'s published ports (DNAT)';
	if (facts.target === 'DNAT') return dnatNote(facts);
	const into = plain(facts.in);
	if (chain === 'DOCKER' && facts.target === 'RETURN' && into !== null) {
		return `from ${into}: not translated here (the userland proxy handles it; Docker ≤28)`;
	}

	if (chain !== 'POSTROUTING' || facts.target !== 'MASQUERADE') return null;
	if (isSubnet(facts.source) && negated(facts.out) !== null) {
		return `containers going out: ${facts.source} from ${negated(facts.out)!} masqueraded to the host address`;
	}

	if (isHost(facts.source) && stripHost(facts.source) === stripHost(facts.destination)) {
		return 'hairpin: a container reaching its own published port (27, or userland-proxy=false)';
	}

	return null;
}

const NFT_COMMENT_NOTES: Record<string, string> = {
	'DROP DIRECT ACCESS': 'Docker 29: blocks direct access to a container address from outside its bridge',
	ICC: 'container to container on the same bridge (ICC)',
	OUTGOING: 'containers going out',
	'UNPUBLISHED PORT DROP': 'drops new connections to ports that are not published',
	MASQUERADE: 'containers going out: masqueraded to the host address',
};

function nftNote(facts: Facts): string | null {
	const byComment = own(NFT_COMMENT_NOTES, facts.comment);
	if (byComment !== undefined) return byComment;
	if (facts.comment === 'DNAT' || /\bdnat to\b/.test(facts.text)) return dnatNote(facts);
	if (/\bct state\b/.test(facts.text) && established(facts)) return 'replies and related packets (conntrack)';
	if (/jump nat-prerouting-and-output/.test(facts.text)) return 'to a local address → published ports (DNAT)';
	if (/\bvmap\b/.test(facts.text)) return 'by interface → the per-bridge chains';
	if (/\baccept\b/.test(facts.text) && /\bdport\b/.test(facts.text)) return 'published port: accepts new connections';
	return null;
}

/** nft spells verdicts and nat statements in lower case (`accept`, `drop`, `masquerade`); an
 * iptables-nft table read with --backend nftables has Docker's iptables rules in that spelling. */
const NFT_VERDICT = /^(?:accept|drop|reject|return|dnat|snat|masquerade|redirect)$/;

function factsOf(rule: DockerRuleFields): Facts {
	const comment = rule.comment ?? '';
	return {
		target: NFT_VERDICT.test(rule.target) ? rule.target.toUpperCase() : rule.target,
		in: rule.in,
		out: rule.out,
		source: rule.source,
		destination: rule.destination,
		text: `${rule.options} ${comment} ${rule.spec}`.toLowerCase(),
		comment,
	};
}

/** A short note for a rule Docker made, or null when the rule is not recognised. */
export function dockerRuleNote(table: string, chain: string, rule: DockerRuleFields): string | null {
	const facts = factsOf(rule);
	if (table === DOCKER_NFT_TABLE) return nftNote(facts);
	if (table === 'raw') {
		// 28.0.2+: endpoint.go adds `-d CIP ! -i BR -j DROP` per container (direct routing protection).
		const direct = chain === 'PREROUTING' && facts.target === 'DROP' && isHost(facts.destination) && negated(facts.in) !== null;
		return direct ? 'Docker 28+: blocks direct access to a container address from outside its bridge' : null;
	}

	if (table === 'nat') return natRuleNote(chain, facts);
	if (table !== 'filter') return null;
	if (chain === 'DOCKER') return filterDockerNote(facts);
	if (chain === ISOLATION_1 || chain === ISOLATION_2) return isolationNote(chain, facts);
	if (chain === 'DOCKER-USER') {
		const placeholder = facts.target === 'RETURN' && unconditional(rule);
		return placeholder ? 'Docker\'s placeholder (≤28.2): does nothing; add your rules before it' : null;
	}

	if (chain === 'FORWARD' || chain === 'DOCKER-FORWARD' || chain === 'DOCKER-CT' || chain === 'DOCKER-BRIDGE') {
		return forwardNote(facts);
	}

	return null;
}
