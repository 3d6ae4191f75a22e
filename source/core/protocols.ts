// Protocol names for the `prot` column. iptables 1.8.9 and 1.8.10 print numbers with -n
// (da8ecc62, reverted by 34f085b1 in v1.8.11), other versions print names for a built-in list
// and numbers otherwise (reference §0). Mapping numbers to names gives one spelling for all.

/** IANA keywords as in Debian 12's /etc/protocols, except 0, which iptables calls `all`. */
const NAMES: ReadonlyMap<string, string> = new Map(Object.entries({
	0: 'all', 1: 'icmp', 2: 'igmp', 3: 'ggp', 4: 'ipencap', 5: 'st', 6: 'tcp', 8: 'egp', 9: 'igp',
	12: 'pup', 17: 'udp', 20: 'hmp', 22: 'xns-idp', 27: 'rdp', 29: 'iso-tp4', 33: 'dccp', 36: 'xtp',
	37: 'ddp', 38: 'idpr-cmtp', 41: 'ipv6', 43: 'ipv6-route', 44: 'ipv6-frag', 45: 'idrp', 46: 'rsvp',
	47: 'gre', 50: 'esp', 51: 'ah', 57: 'skip', 58: 'ipv6-icmp', 59: 'ipv6-nonxt', 60: 'ipv6-opts',
	73: 'rspf', 81: 'vmtp', 88: 'eigrp', 89: 'ospf', 93: 'ax.25', 94: 'ipip', 97: 'etherip',
	98: 'encap', 103: 'pim', 108: 'ipcomp', 112: 'vrrp', 115: 'l2tp', 124: 'isis', 132: 'sctp',
	133: 'fc', 135: 'mobility-header', 136: 'udplite', 137: 'mpls-in-ip', 138: 'manet', 139: 'hip',
	140: 'shim6', 141: 'wesp', 142: 'rohc', 143: 'ethernet', 262: 'mptcp',
}));

/** Spellings of iptables ≤1.8.7's built-in list that 1.8.8 renamed (b6196c75). */
const ALIASES: ReadonlyMap<string, string> = new Map([
	['icmpv6', 'ipv6-icmp'],
	['ipv6-mh', 'mobility-header'],
]);

/** `6` → `tcp`, `!17` → `!udp`, `icmpv6` → `ipv6-icmp`; names and unknown numbers unchanged. */
export function protocolName(raw: string): string {
	const negated = raw.startsWith('!');
	const bare = negated ? raw.slice(1) : raw;
	const name = NAMES.get(bare) ?? ALIASES.get(bare);
	if (name === undefined) {
		return raw;
	}

	return negated ? `!${name}` : name;
}
