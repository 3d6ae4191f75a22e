import {chainJsonHead, ruleJson, sampleJsonHead, writeJson} from './json.ts';
import type {RatedChain, RatedRule, RatedSample, RatedTable} from './model.ts';

// The NDJSON line of a sample, written straight into strings. `json.ts` builds an object per
// rule and walks it generically; at 50,000 rules that was 1.5 s of CPU per sample (more than the
// `iptables-save` it reports on). Here an iptables rule is one template; the output is the same
// bytes `json.ts` writes (test/core/json-line.test.ts compares them).
//
// No rule's text is kept between samples. A cache of the text written for each idle rule saved
// about 60 ms of a sample's 150 ms at 50,000 rules, and held 27 MB (a third of fwtop's live heap
// there) for it.

/** A string JSON.stringify would write as it is, between quotes: most of a rule's fields. */
const needsEscape = /["\\\u0000-\u001F\uD800-\uDFFF]/;
const text = (value: string | null): string => {
	if (value === null) return 'null';
	return needsEscape.test(value) ? JSON.stringify(value) : `"${value}"`;
};

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

/** Collects a line's pieces and hands them on joined, about `chunk` characters at a time. */
type Sink = {parts: string[]; length: number; chunk: number; flush: (text: string) => void};

function push(sink: Sink, part: string): void {
	sink.parts.push(part);
	sink.length += part.length;
	if (sink.length < sink.chunk) return;
	sink.flush(sink.parts.join(''));
	sink.parts = [];
	sink.length = 0;
}

function pushChain(sink: Sink, chain: RatedChain): void {
	push(sink, writeJson(chainJsonHead(chain)).slice(0, -1));
	push(sink, ',"rules":[');
	chain.rules.forEach((rule, i) => {
		if (i > 0) push(sink, ',');
		push(sink, ruleLine(rule));
	});
	push(sink, ']}');
}

function pushTable(sink: Sink, table: RatedTable): void {
	const nft = table.backend === 'nft' ? `,"backend":"nft","nftFamily":${text(table.nftFamily ?? null)}` : '';
	push(sink, `{"family":${text(table.family)},"name":${text(table.name)}${nft},"chains":[`);
	table.chains.forEach((chain, i) => {
		if (i > 0) push(sink, ',');
		pushChain(sink, chain);
	});
	push(sink, ']}');
}

/** The size of the pieces `writeSampleJson` hands on: big enough that a 30 MB line is a few
 * hundred writes, small enough that a piece is a young string and its bytes a pooled buffer. */
export const JSON_CHUNK_CHARS = 64 * 1024;

/** One sample's NDJSON line and its newline, handed to `write` in pieces of about `chunk`
 * characters (a rule is never split); the pieces are the bytes of `sampleJson(sample) + '\n'`.
 * At 50,000 rules the line is 30 MB: made whole, it was a large object left for a major GC, and
 * stdout copied it into as big a malloc'd buffer, fresh pages each sample. In pieces, at 10,000
 * rules into /dev/null (bench/memory.ts): resident 193 → 185 MB (peak 226 → 213 MB), and less
 * CPU per sample (240 → 185 ms on a loaded machine). */
export function writeSampleJson(sample: RatedSample, write: (text: string) => void, chunk = JSON_CHUNK_CHARS): void {
	const sink: Sink = {parts: [], length: 0, chunk, flush: write};
	push(sink, writeJson(sampleJsonHead(sample)).slice(0, -1));
	push(sink, ',"tables":[');
	sample.tables.forEach((table, i) => {
		if (i > 0) push(sink, ',');
		pushTable(sink, table);
	});
	sink.parts.push(']}\n');
	write(sink.parts.join(''));
}

/** One sample as one line of JSON (no trailing newline): the NDJSON contract of README "JSON output".
 * The pieces are joined once: nested concatenations of a 30 MB line cost more than writing it. */
export function sampleJson(sample: RatedSample): string {
	const parts: string[] = [];
	writeSampleJson(sample, piece => parts.push(piece), Number.POSITIVE_INFINITY);
	return parts.join('').slice(0, -1);
}
