import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {sampleDocument, writeJson} from '../../source/core/json.ts';
import {sampleJson, writeSampleJson} from '../../source/core/json-line.ts';
import type {RatedSample, Sample} from '../../source/core/model.ts';
import {createSaveParser} from '../../source/core/parse-save.ts';
import {rateSample, type RateState} from '../../source/core/rates.ts';
import {nftSample, ownNft} from '../helpers/nft.ts';
import {plainRule} from '../helpers/rated-sample.ts';

// `json-line.ts` writes the NDJSON line straight into strings, quoting plain ones itself;
// the contract is what `json.ts` writes from the generic document. Every line here must be the
// same bytes, over real captures (test/fixtures, made by scripts/gen-fixtures.sh), over samples
// where rules go idle, move, appear, reset and pass 2^53, and over nft tables.

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

function sampleOf(parse: ReturnType<typeof createSaveParser>, text: string, at: number, seq: number): Sample {
	const parsed = parse(text);
	return {
		seq, time: new Date(Date.UTC(2026, 10, 24, 0, 0, seq)), monotonicMs: at, readMs: 12.3456, approximate: parsed.approximate,
		source: {command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables'}, warnings: ['a "quoted" \u001B warning'], tables: parsed.tables,
	};
}

/** The lines of a walk through dumps, each written both ways. */
function both(texts: string[]): Array<[string, string]> {
	const parse = createSaveParser();
	let state: RateState | null = null;
	return texts.map((text, i) => {
		const next: {rated: RatedSample; state: RateState} = rateSample(state, sampleOf(parse, text, i * 1000, i + 1));
		state = next.state;
		return [sampleJson(next.rated), writeJson(sampleDocument(next.rated))];
	});
}

const bump = (text: string, from: string, to: string): string => text.replace(from, to);

describe('the fast JSON line', () => {
	it('writes the bytes of the reference document over real iptables-save captures', () => {
		for (const name of ['nft_save-c.txt', 'legacy_save-c.txt', 'legacy_save-c_comment-with-newline.txt', 'ip6tables-nft_save-c.txt']) {
			const text = fixture(name);
			for (const [fast, reference] of both([text, text, text])) assert.equal(fast, reference, name);
		}
	});

	it('stays exact while rules go idle, move, reset, appear and pass 2^53', () => {
		const start = '*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n'
			+ '[5:300] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n'
			+ '[2:120] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -m comment --comment "web \\"ü\\"" -j DNAT --to-destination 172.17.0.2:80\nCOMMIT\n';
		const moved = bump(start, '[2:120]', '[9:540]');
		const huge = bump(moved, '[5:300]', '[18446744073709551615:9007199254740993]');
		const inserted = bump(huge, '[9:540] -A DOCKER', '[0:0] -A DOCKER -i docker0 -j RETURN\n[9:540] -A DOCKER');
		const reset = bump(inserted, '[9:540]', '[1:60]');
		const lines = both([start, start, start, moved, moved, huge, inserted, inserted, reset, reset]);
		for (const [i, [fast, reference]] of lines.entries()) assert.equal(fast, reference, `sample ${i + 1}`);
		assert.match(lines[5]![0], /"packets":18446744073709551615,"bytes":9007199254740993/);
		assert.match(lines[8]![0], /"status":"reset"/);
	});

	it('writes nft tables (uncounted rules, named counters, verdict maps, negative u64) as the reference does', () => {
		const first = rateSample(null, nftSample(ownNft('nft_mixed_json_t0.json'), 0));
		const second = rateSample(first.state, nftSample(ownNft('nft_mixed_json_t1.json'), 500, {seq: 2}));
		for (const rated of [first.rated, second.rated]) assert.equal(sampleJson(rated), writeJson(sampleDocument(rated)));
	});

	it('escapes every string field as JSON.stringify does: quotes, backslashes, controls, lone surrogates', () => {
		const text = fixture('nft_save-c.txt');
		const rated = rateSample(null, sampleOf(createSaveParser(), text, 0, 1)).rated;
		const chain = rated.tables[0]!.chains.find(each => each.rules.length > 0)!;
		const hostile = ['a"b', 'back\\slash', 'tab\there', 'nul\u0000', 'esc\u001B[31m', 'lone \uD800 high', 'lone \uDC00 low', 'pair 😀', 'del \u007F', 'sep \u2028'];
		chain.rules = hostile.map((value, i) => ({
			...plainRule(chain.rules[0]!), id: value, target: value, protocol: value, protocolRaw: value, opt: value, in: value, out: value, source: value,
			destination: value, options: value, comment: i % 2 === 0 ? value : null, spec: value,
		}));
		assert.equal(sampleJson(rated), writeJson(sampleDocument(rated)));
		assert.match(sampleJson(rated), /"lone \\ud800 high"/);
	});

	it('hands the line on in bounded pieces that add up to the same bytes and a newline', () => {
		const text = fixture('nft_save-c.txt');
		const parse = createSaveParser();
		const first = rateSample(null, sampleOf(parse, text, 0, 1));
		const second = rateSample(first.state, sampleOf(parse, text, 1000, 2));
		for (const rated of [first.rated, second.rated]) {
			const whole = writeJson(sampleDocument(rated));
			const longestRule = Math.max(...rated.tables.flatMap(table => table.chains.flatMap(chain => chain.rules.map(rule => ruleJsonOf(whole, rule.id).length))));
			const pieces: string[] = [];
			writeSampleJson(rated, piece => pieces.push(piece), 200);
			assert.equal(pieces.join(''), whole + '\n');
			assert.ok(pieces.length > whole.length / 400, `${pieces.length} pieces for ${whole.length} characters`);
			// A piece is flushed once it reaches the size: it overshoots by at most one rule's text.
			for (const piece of pieces) assert.ok(piece.length < 200 + longestRule + 100, `a piece of ${piece.length}`);
		}
	});
});

/** The text of the rule with this id inside a written line. */
function ruleJsonOf(line: string, id: string): string {
	const start = line.indexOf(`{"id":"${id}"`);
	return line.slice(start, line.indexOf('}', start) + 1);
}
