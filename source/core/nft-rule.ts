import type {Family, NftTarget, Rule} from './model.ts';
import {renderExpr, styleFor} from './nft-expr.ts';
import {isObject, soleKey, u64} from './nft-json.ts';
import {renderStatement} from './nft-statement.ts';

// One `{"rule": {…}}` of `nft -j list ruleset` as a Rule. The text is nft's own syntax; the
// iptables-shaped fields (in, out, source, destination, protocol, target) are filled from the
// matches that have an iptables equivalent, so the columns, patterns and Docker notes that read
// them keep working.

/** A verdict map's elements by map name (`@filter-forward-in-jumps`), per table. */
export type NamedMaps = ReadonlyMap<string, readonly NftTarget[]>;

const quote = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

// Statements that decide what happens to the packet, shown as the rule's target (the last wins).
const TARGETS = new Set([
	'accept', 'drop', 'reject', 'return', 'continue', 'queue', 'dnat', 'snat', 'masquerade', 'redirect', 'tproxy',
	'synproxy', 'fwd', 'notrack', 'log',
]);

const L4 = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp', 'icmp', 'icmpv6', 'ah', 'esp', 'comp', 'gre']);

type Fields = {
	target: string;
	goto: boolean;
	protocol: string;
	in: string;
	out: string;
	source: string;
	destination: string;
	counted: boolean;
	packets: bigint;
	bytes: bigint;
	counterName?: string;
	targets?: NftTarget[];
};

/** The chains a verdict map may send a packet to: its `jump`/`goto` elements. */
export function verdictTargets(elements: unknown, style: ReturnType<typeof styleFor>): NftTarget[] {
	if (!Array.isArray(elements)) return [];
	const targets: NftTarget[] = [];
	for (const element of elements) {
		if (!Array.isArray(element) || element.length !== 2) continue;
		const verdict = element[1] as unknown;
		const kind = soleKey(verdict);
		if ((kind !== 'jump' && kind !== 'goto') || !isObject(verdict) || !isObject(verdict[kind])) continue;
		targets.push({chain: String(verdict[kind]['target']), goto: kind === 'goto', when: renderExpr(element[0], style)});
	}

	return targets;
}

function vmapTargets(body: Record<string, unknown>, maps: NamedMaps): NftTarget[] {
	const data = body['data'];
	if (typeof data === 'string' && data.startsWith('@')) return [...(maps.get(data.slice(1)) ?? [])];
	const set = isObject(data) ? data['set'] : undefined;
	return verdictTargets(set, styleFor(body['key']));
}

function applyMatch(fields: Fields, body: Record<string, unknown>): void {
	const op = body['op'];
	if (op !== '==' && op !== '!=') return;
	const bang = op === '!=' ? '!' : '';
	const left = body['left'];
	const value = renderExpr(body['right']);
	const meta = isObject(left) && isObject(left['meta']) ? String(left['meta']['key']) : undefined;
	const payload = isObject(left) && isObject(left['payload']) ? left['payload'] : undefined;
	if (meta === 'iifname' || meta === 'iif') fields.in = bang + value;
	else if (meta === 'oifname' || meta === 'oif') fields.out = bang + value;
	else if (meta === 'l4proto' && typeof body['right'] === 'string') fields.protocol = bang + value;
	else if (payload !== undefined) applyPayload(fields, payload, bang + value);
}

function applyPayload(fields: Fields, payload: Record<string, unknown>, value: string): void {
	const protocol = String(payload['protocol']);
	const field = payload['field'];
	if ((protocol === 'ip' || protocol === 'ip6') && field === 'saddr') fields.source = value;
	else if ((protocol === 'ip' || protocol === 'ip6') && field === 'daddr') fields.destination = value;
	else if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) fields.protocol = value;
	else if (L4.has(protocol) && fields.protocol === 'all') fields.protocol = protocol;
}

function applyStatement(fields: Fields, key: string, body: unknown, maps: NamedMaps): void {
	if (key === 'match' && isObject(body)) applyMatch(fields, body);
	else if (key === 'counter' && isObject(body)) {
		const packets = u64(body['packets']);
		const bytes = u64(body['bytes']);
		fields.counted = packets !== null && bytes !== null;
		fields.packets = packets ?? 0n;
		fields.bytes = bytes ?? 0n;
	} else if (key === 'counter' && typeof body === 'string') fields.counterName = body;
	else if ((key === 'jump' || key === 'goto') && isObject(body)) {
		fields.target = String(body['target']);
		fields.goto = key === 'goto';
	} else if (key === 'vmap' && isObject(body)) fields.targets = vmapTargets(body, maps);
	else if (TARGETS.has(key)) fields.target = key;
}

function anyAddress(family: Family): string {
	return family === 'ipv6' ? '::/0' : '0.0.0.0/0';
}

/** A rule of one nft chain. `index` is its 1-based position. */
export function nftRule(raw: Record<string, unknown>, index: number, family: Family, maps: NamedMaps): Rule {
	const statements = Array.isArray(raw['expr']) ? raw['expr'] : [];
	const fields: Fields = {
		target: '', goto: false, protocol: 'all', in: '*', out: '*', source: anyAddress(family), destination: anyAddress(family),
		counted: false, packets: 0n, bytes: 0n,
	};
	for (const statement of statements) {
		const key = soleKey(statement);
		if (key !== null && isObject(statement)) applyStatement(fields, key, statement[key], maps);
	}

	const options = statements.map(statement => renderStatement(statement)).join(' ');
	const comment = typeof raw['comment'] === 'string' ? raw['comment'] : null;
	const {counted, packets, bytes, counterName, targets, ...shown} = fields;
	return {
		index,
		...shown,
		protocolRaw: shown.protocol,
		opt: '--',
		options,
		comment,
		spec: comment === null ? options : `${options} comment ${quote(comment)}`.trimStart(),
		packets,
		bytes,
		handle: typeof raw['handle'] === 'number' ? raw['handle'] : 0,
		counted,
		...(counterName === undefined ? {} : {counterName}),
		...(targets === undefined ? {} : {targets}),
	};
}
