import {BIG_MARK, isObject, soleKey} from './nft-json.ts';

// nft's JSON expressions (libnftables-json(5), nft 1.0.6) rendered as `nft list ruleset` prints
// them, for the common ones: payload, meta, ct, fib, prefixes, ranges, sets, maps, binary
// operations, verdicts. Anything else falls back to `name(compact JSON)`, so nothing is hidden.

/** How a value is written: interface names are strings in nft's grammar and printed quoted. */
export type ValueStyle = 'plain' | 'quoted';

// meta keys nft prints without `meta` (src/meta.c meta_key_is_unqualified, plus those nft 1.0.6
// prints bare in practice: `skuid 0`, `pkttype broadcast`).
const UNQUALIFIED_META = new Set([
	'iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup', 'skuid', 'skgid', 'pkttype', 'cpu', 'rtclassid',
]);

// Keys whose values are strings (ifname type): nft quotes them (`iifname "docker0"`).
const QUOTED_KEYS = new Set(['iif', 'oif', 'iifname', 'oifname', 'ibrname', 'obrname', 'iifkind', 'oifkind', 'sdifname']);

const BINARY_OPS = new Set(['&', '|', '^', '<<', '>>']);
const VERDICTS = new Set(['accept', 'drop', 'continue', 'return']);

/** The style for values compared with (or looked up by) `expression`. */
export function styleFor(expression: unknown): ValueStyle {
	if (isObject(expression) && isObject(expression['meta'])) {
		return QUOTED_KEYS.has(String(expression['meta']['key'])) ? 'quoted' : 'plain';
	}

	if (isObject(expression) && Array.isArray(expression['concat'])) {
		return expression['concat'].some(part => styleFor(part) === 'quoted') ? 'quoted' : 'plain';
	}

	return 'plain';
}

const quote = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

function scalar(value: string, style: ValueStyle): string {
	if (value.startsWith(BIG_MARK)) return value.slice(BIG_MARK.length);
	if (value.startsWith('@')) return value;
	return style === 'quoted' || !/^[\w.:/*-]+$/.test(value) ? quote(value) : value;
}

/** Compact JSON for the fallback, with big integers written back as digits. */
export function compact(value: unknown): string {
	if (value === undefined) return '';
	// JSON.stringify writes BIG_MARK's NUL as \u0000.
	return JSON.stringify(value).replaceAll(/"\\u0000int:(-?\d+)"/g, '$1');
}

/** One expression as nft prints it. */
export function renderExpr(value: unknown, style: ValueStyle = 'plain'): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return scalar(value, style);
	if (typeof value === 'number') return String(value);
	if (typeof value === 'boolean') return value ? 'exists' : 'missing';
	// A bare array on the right of a match is a flag list: `ct state established,related`.
	if (Array.isArray(value)) return value.map(item => renderExpr(item, style)).join(',');
	const key = soleKey(value);
	if (key === null || !isObject(value)) return compact(value);
	return renderKeyed(key, value[key], style);
}

type Render = (fields: Record<string, unknown>, body: unknown, style: ValueStyle) => string;

/** The defined parts, space-separated: `ct original ip saddr`. */
const words = (...parts: unknown[]): string => parts.filter(part => part !== undefined).map(String).join(' ');
const each = (body: unknown, style: ValueStyle, separator: string): string =>
	(Array.isArray(body) ? body.map(part => renderExpr(part, style)).join(separator) : compact(body));

const RENDERERS: Readonly<Record<string, Render>> = {
	payload: fields => ('protocol' in fields ? words(fields['protocol'], fields['field']) : `@${String(fields['base'])},${String(fields['offset'])},${String(fields['len'])}`),
	meta: fields => (UNQUALIFIED_META.has(String(fields['key'])) ? String(fields['key']) : words('meta', fields['key'])),
	ct: fields => words('ct', fields['dir'], fields['family'], fields['key']),
	fib: fields => `fib ${(Array.isArray(fields['flags']) ? fields['flags'] : [fields['flags']]).map(String).join(' . ')} ${String(fields['result'])}`,
	prefix: fields => `${renderExpr(fields['addr'])}/${String(fields['len'])}`,
	range: (_fields, body, style) => each(body, style, '-'),
	set: (_fields, body, style) => renderSet(body, style),
	concat: (_fields, body) => (Array.isArray(body) ? body.map(part => renderExpr(part, styleFor(part))).join(' . ') : compact(body)),
	jump: fields => `jump ${String(fields['target'])}`,
	goto: fields => `goto ${String(fields['target'])}`,
	map: fields => `${renderExpr(fields['key'])} map ${renderExpr(fields['data'], styleFor(fields['key']))}`,
	elem: (fields, _body, style) => renderExpr(fields['val'], style),
	rt: fields => words('rt', fields['family'], fields['key']),
	socket: fields => words('socket', fields['key']),
	osf: fields => words('osf', fields['key']),
	exthdr: fields => words('exthdr', fields['name'], fields['field']),
	'tcp option': fields => words('tcp option', fields['name'], fields['field']),
	'sctp chunk': fields => words('sctp chunk', fields['name'], fields['field']),
	numgen: fields => words('numgen', fields['mode'], 'mod', fields['mod'], ...(fields['offset'] === undefined ? [] : ['offset', fields['offset']])),
};

function renderKeyed(key: string, body: unknown, style: ValueStyle): string {
	if (VERDICTS.has(key)) return key;
	if (BINARY_OPS.has(key) && Array.isArray(body)) return each(body, style, ` ${key} `);
	// Own properties only: a key is untrusted input (`constructor`, `__proto__`).
	const render = Object.hasOwn(RENDERERS, key) ? RENDERERS[key] : undefined;
	return render === undefined ? `${key}(${compact(body)})` : render(isObject(body) ? body : {}, body, style);
}

/** `{ 22, 80 }`; a map's elements `{ tcp : jump tcp-in, udp : goto udp-in }`. */
function renderSet(body: unknown, style: ValueStyle): string {
	const items = Array.isArray(body) ? body : [body];
	const parts = items.map(item => (Array.isArray(item) && item.length === 2
		? `${renderExpr(item[0], style)} : ${renderExpr(item[1])}`
		: renderExpr(item, style)));
	return `{ ${parts.join(', ')} }`;
}
