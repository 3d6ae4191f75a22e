import {chainJsonHead, ruleJson, sampleJsonHead, writeJson} from './json.ts';
import type {RatedChain, RatedRule, RatedSample, RatedTable} from './model.ts';

// The NDJSON line of a sample, written straight into strings. `json.ts` builds an object per
// rule and walks it generically; at 50,000 rules that was 1.5 s of CPU per sample (more than the
// `iptables-save` it reports on). Here an iptables rule is one template, and a rule whose rated
// object the rates handed back unchanged (idle: same text, counters and position, Δ 0 — most of a
// kube-proxy node) reuses the text written for it last time. The cache is a WeakMap on the rated
// rule, so it lives exactly as long as the rates keep that rule; the output is the same bytes
// `json.ts` writes (test/core/json-line.test.ts compares them).

const text = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));
const count = (value: bigint | null): string => (value === null ? 'null' : value.toString());
const rate = (value: number | null): string => (value === null || !Number.isFinite(value) ? 'null' : String(value));

function ruleLine(rule: RatedRule): string {
	// nft rules carry optional fields whose order json.ts defines; they are few, write them generically.
	if (rule.handle !== undefined || rule.counted !== undefined) return writeJson(ruleJson(rule));
	return `{"id":${text(rule.id)},"index":${rule.index},"target":${text(rule.target)},"goto":${rule.goto}`
		+ `,"protocol":${text(rule.protocol)},"protocolRaw":${text(rule.protocolRaw)},"opt":${text(rule.opt)}`
		+ `,"in":${text(rule.in)},"out":${text(rule.out)},"source":${text(rule.source)},"destination":${text(rule.destination)}`
		+ `,"options":${text(rule.options)},"comment":${text(rule.comment)},"spec":${text(rule.spec)}`
		+ `,"packets":${count(rule.packets)},"bytes":${count(rule.bytes)},"deltaPackets":${count(rule.deltaPackets)}`
		+ `,"deltaBytes":${count(rule.deltaBytes)},"packetsPerSecond":${rate(rule.packetsPerSecond)}`
		+ `,"bytesPerSecond":${rate(rule.bytesPerSecond)},"status":${text(rule.status)}}`;
}

const written = new WeakMap<RatedRule, string>();

/** A rule the rates handed back unchanged (idle: same text, counters and position, Δ 0) is the
 * same object as last sample, and its text is the one written then. */
function cachedRuleLine(rule: RatedRule): string {
	const cached = written.get(rule);
	if (cached !== undefined) return cached;
	// Flat: a cached rope of twenty pieces would cost more than its text.
	const line = flatten(ruleLine(rule));
	written.set(rule, line);
	return line;
}

function pushChain(parts: string[], chain: RatedChain): void {
	parts.push(writeJson(chainJsonHead(chain)).slice(0, -1), ',"rules":[');
	chain.rules.forEach((rule, i) => {
		if (i > 0) parts.push(',');
		parts.push(cachedRuleLine(rule));
	});
	parts.push(']}');
}

/** V8 keeps a concatenation as a tree of its pieces until something reads it as a whole. */
function flatten(value: string): string {
	value.codePointAt(0);
	return value;
}

function pushTable(parts: string[], table: RatedTable): void {
	const nft = table.backend === 'nft' ? `,"backend":"nft","nftFamily":${text(table.nftFamily ?? null)}` : '';
	parts.push(`{"family":${text(table.family)},"name":${text(table.name)}${nft},"chains":[`);
	table.chains.forEach((chain, i) => {
		if (i > 0) parts.push(',');
		pushChain(parts, chain);
	});
	parts.push(']}');
}

/** One sample as one line of JSON (no trailing newline): the NDJSON contract of README "JSON output".
 * The pieces are joined once: nested concatenations of a 30 MB line cost more than writing it. */
export function sampleJson(sample: RatedSample): string {
	const parts = [writeJson(sampleJsonHead(sample)).slice(0, -1), ',"tables":['];
	sample.tables.forEach((table, i) => {
		if (i > 0) parts.push(',');
		pushTable(parts, table);
	});
	parts.push(']}');
	return parts.join('');
}
