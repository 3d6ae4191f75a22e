import type {Rule} from './model.ts';

// The text a pattern (`fwtop --until`, the dashboard's `/`) is matched against: every field a user
// sees, plus, for a rule read from iptables-save, the words `iptables -L -n` would print for it
// (`dpt:80`, `to:172.17.0.2:80`), so a pattern copied from either output finds the same rule.
// The renderings follow iptables 1.8.x extensions/libxt_tcp.c (`dpt:`, `dpts:`), libxt_DNAT.c /
// libxt_SNAT.c (`to:`), libxt_multiport.c (`dports`), libxt_conntrack.c (`ctstate`).

export type RuleTextFields = Pick<
	Rule,
	'target' | 'protocol' | 'protocolRaw' | 'in' | 'out' | 'source' | 'destination' | 'options' | 'comment' | 'spec'
>;

type Rendering = (value: string, negated: boolean) => string;

const bang = (negated: boolean): string => (negated ? '!' : '');
const port = (name: string): Rendering => (value, negated) =>
	`${value.includes(':') ? `${name}s` : name}:${bang(negated)}${value}`;

/** Save options → listing words. Options not here are already the same in both syntaxes. */
const LISTING: Record<string, Rendering> = {
	'--dport': port('dpt'),
	'--destination-port': port('dpt'),
	'--sport': port('spt'),
	'--source-port': port('spt'),
	'--dports': (value, negated) => `multiport dports ${bang(negated)}${value}`,
	'--sports': (value, negated) => `multiport sports ${bang(negated)}${value}`,
	'--to-destination': value => `to:${value}`,
	'--to-source': value => `to:${value}`,
	'--to-ports': value => `ports ${value}`,
	'--ctstate': (value, negated) => `ctstate ${bang(negated)}${value}`,
	'--state': (value, negated) => `state ${bang(negated)}${value}`,
	'--dst-type': (value, negated) => `dst-type ${bang(negated)}${value}`,
	'--src-type': (value, negated) => `src-type ${bang(negated)}${value}`,
	'--icmp-type': (value, negated) => `icmptype ${bang(negated)}${value}`,
};

/** The listing-style words for a rule's save-syntax options ('' when there are none). Quoted
 * values (comments) are skipped: the comment is matched as its own field. */
export function listingWords(options: string): string {
	if (!options.includes('--')) return '';
	const words = options.split(/\s+/);
	const out: string[] = [];
	for (let i = 0; i < words.length; i++) {
		const word = words[i]!;
		if (!Object.hasOwn(LISTING, word)) continue;
		const value = words[i + 1];
		if (value === undefined || value.startsWith('"')) continue;
		out.push(LISTING[word]!(value, words[i - 1] === '!'));
		i++;
	}

	return out.join(' ');
}

// Rule fields depend only on the rule's text (spec) and family (the `any` address), so the
// rendering is memoised by those: the dashboard filters every sample, and rated rules are new objects each time.
const cache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

/** Everything a user sees of the rule, lower-cased, one space between fields. */
export function ruleText(rule: RuleTextFields): string {
	const key = `${rule.source}\u0000${rule.destination}\u0000${rule.spec}`;
	const cached = cache.get(key);
	if (cached !== undefined) return cached;
	const text = [
		rule.target,
		rule.protocol,
		rule.protocolRaw,
		`in:${rule.in}`,
		`out:${rule.out}`,
		rule.source,
		rule.destination,
		rule.options,
		rule.comment ?? '',
		rule.spec,
		listingWords(rule.options),
	].join(' ').toLowerCase();
	if (cache.size >= CACHE_LIMIT) cache.clear();
	cache.set(key, text);
	return text;
}
