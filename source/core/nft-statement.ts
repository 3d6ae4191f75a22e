import {compact, renderExpr, styleFor} from './nft-expr.ts';
import {isObject, soleKey} from './nft-json.ts';

// nft's JSON statements (libnftables-json(5) STATEMENTS, nft 1.0.6) as `nft -s list ruleset`
// prints them: counters without their values (`counter`, `counter name "x"`), so the text is the
// same from one sample to the next. Unknown statements fall back to `name(compact JSON)`.

const quote = (text: string): string => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

type Fields = Record<string, unknown>;

const list = (value: unknown): string => (Array.isArray(value) ? value.map(String).join(',') : String(value));

const MARKS = new Set(['meta mark', 'ct mark']);

/** Marks print as 32-bit hex (`meta mark 0x00000002`). */
function hexMark(value: unknown): unknown {
	return typeof value === 'number' ? `0x${value.toString(16).padStart(8, '0')}` : value;
}

function match(fields: Fields): string {
	const leftValue = fields['left'];
	const masked = isObject(leftValue) && Array.isArray(leftValue['&']) ? leftValue['&'] : undefined;
	const subject = renderExpr(masked === undefined ? leftValue : masked[0]);
	const mark = MARKS.has(subject);
	const right = renderExpr(mark ? hexMark(fields['right']) : fields['right'], styleFor(leftValue));
	const op = String(fields['op']);
	if (fields['right'] === true || fields['right'] === false) return `${subject} ${right}`;
	// `tcp flags syn / syn,rst`: nft's shorthand for (flags & mask) == value.
	if (masked !== undefined && subject === 'tcp flags' && Array.isArray(masked[1]) && op === '==') return `${subject} ${right} / ${renderExpr(masked[1])}`;
	const left = masked !== undefined && mark ? `${subject} & ${renderExpr(hexMark(masked[1]))}` : renderExpr(leftValue);
	// nft leaves `==` out except after a binary operation (`ip frag-off & 8191 == 0`).
	const binary = isObject(leftValue) && ['&', '|', '^', '<<', '>>'].some(operator => operator in leftValue);
	if (op === 'in' || (op === '==' && !binary)) return `${left} ${right}`;
	return `${left} ${op} ${right}`;
}

function nat(kind: string, fields: Fields | null): string {
	if (fields === null) return kind;
	const family = fields['family'] === undefined ? '' : ` ${String(fields['family'])}`;
	const address = fields['addr'] === undefined ? '' : renderExpr(fields['addr']);
	const bracketed = address.includes(':') && fields['port'] !== undefined ? `[${address}]` : address;
	const port = fields['port'] === undefined ? '' : `:${renderExpr(fields['port'])}`;
	const to = address === '' && port === '' ? '' : ` to ${bracketed}${port}`;
	const flags = fields['flags'] === undefined ? '' : ` ${list(fields['flags'])}`;
	return `${kind}${family}${to}${flags}`;
}

function log(fields: Fields | null): string {
	if (fields === null) return 'log';
	const parts = ['log'];
	if (fields['prefix'] !== undefined) parts.push(`prefix ${quote(String(fields['prefix']))}`);
	if (fields['group'] !== undefined) parts.push(`group ${String(fields['group'])}`);
	if (fields['snaplen'] !== undefined) parts.push(`snaplen ${String(fields['snaplen'])}`);
	if (fields['queue-threshold'] !== undefined) parts.push(`queue-threshold ${String(fields['queue-threshold'])}`);
	if (fields['level'] !== undefined) parts.push(`level ${String(fields['level'])}`);
	if (fields['flags'] !== undefined) parts.push(`flags ${list(fields['flags'])}`);
	return parts.join(' ');
}

function limit(fields: Fields): string {
	const over = fields['inv'] === true ? 'over ' : '';
	const unit = fields['rate_unit'] === undefined || fields['rate_unit'] === 'packets' ? '' : ` ${String(fields['rate_unit'])}`;
	const burst = fields['burst'] === undefined || fields['burst'] === 0
		? ''
		: ` burst ${String(fields['burst'])} ${String(fields['burst_unit'] ?? 'packets')}`;
	return `limit rate ${over}${String(fields['rate'])}${unit}/${String(fields['per'])}${burst}`;
}

function reject(fields: Fields | null): string {
	// The default (`port-unreachable` of the family's ICMP, or icmpx in inet) prints as plain `reject`.
	if (fields === null || fields['expr'] === 'port-unreachable') return 'reject';
	if (fields['type'] === 'tcp reset') return 'reject with tcp reset';
	return `reject with ${String(fields['type'])} type ${String(fields['expr'])}`;
}

function counter(body: unknown): string {
	if (isObject(body)) return 'counter';
	return typeof body === 'string' ? `counter name ${quote(body)}` : `counter name ${renderExpr(body)}`;
}

/** One statement as `nft -s list ruleset` prints it. */
export function renderStatement(statement: unknown): string {
	const key = soleKey(statement);
	if (key === null || !isObject(statement)) return compact(statement);
	const body = statement[key];
	const fields = isObject(body) ? body : null;
	switch (key) {
		case 'match': return fields === null ? compact(statement) : match(fields);
		case 'counter': return counter(body);
		case 'accept': case 'drop': case 'continue': case 'return': case 'notrack': return key;
		case 'jump': case 'goto': return `${key} ${String(fields?.['target'])}`;
		case 'vmap': return `${renderExpr(fields?.['key'])} vmap ${renderExpr(fields?.['data'], styleFor(fields?.['key']))}`;
		case 'dnat': case 'snat': case 'masquerade': case 'redirect': return nat(key, fields);
		case 'log': return log(fields);
		case 'limit': return fields === null ? compact(statement) : limit(fields);
		case 'reject': return reject(fields);
		case 'mangle': return `${renderExpr(fields?.['key'])} set ${renderExpr(fields?.['value'], styleFor(fields?.['key']))}`;
		case 'xt': return `xt ${String(fields?.['type'])} ${String(fields?.['name'])}`;
		case 'quota': return `quota ${fields?.['inv'] === true ? 'over ' : ''}${String(fields?.['val'])} ${String(fields?.['val_unit'])}`;
		default: return `${key}(${compact(body)})`;
	}
}
