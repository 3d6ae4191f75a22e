// Rates, identity and JSON of nft tables over fwtop's own captures: nft_mixed_json_t0 and _t1 are
// one namespace read before and after 3 UDP datagrams to 127.0.0.1:53 and a rule inserted at the
// top of `inet fwtest input` (test/fixtures/nft/*.cmd say exactly what ran).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {sampleJson} from '../../source/core/json-line.ts';
import type {RatedChain, RatedTable} from '../../source/core/model.ts';
import {shownStatus} from '../../source/core/nft-rates.ts';
import {rateSample} from '../../source/core/rates.ts';
import {findTable, nftSample, ownNft, ratedPair} from '../helpers/nft.ts';
import {parseJsonExact} from '../lab/helpers.ts';

const t0 = ownNft('nft_mixed_json_t0.json');
const t1 = ownNft('nft_mixed_json_t1.json');

function chainOf(table: RatedTable, name: string): RatedChain {
	const chain = table.chains.find(candidate => candidate.name === name);
	assert.ok(chain, `chain ${name}`);
	return chain;
}

describe('nft rates', () => {
	const first = rateSample(null, nftSample(t0, 0));
	const second = rateSample(first.state, nftSample(t1, 500, {seq: 2})).rated;
	const before = findTable(first.rated.tables, 'inet', 'fwtest');
	const after = findTable(second.tables, 'inet', 'fwtest');

	it('keeps every rule\'s id through a rule inserted at the top (the handle is the identity)', () => {
		const ids = new Map(chainOf(before, 'input').rules.map(rule => [rule.handle, rule.id]));
		const input = chainOf(after, 'input');
		assert.equal(input.rules[0]!.handle, 31);
		assert.equal(input.rules[0]!.status, 'new');
		for (const rule of input.rules.slice(1)) {
			assert.equal(rule.id, ids.get(rule.handle), `handle ${String(rule.handle)}`);
			assert.equal(rule.index, chainOf(before, 'input').rules.find(old => old.handle === rule.handle)!.index + 1);
		}
	});

	it('rates the traffic between the readings exactly', () => {
		const rule = (chain: string, handle: number) => chainOf(after, chain).rules.find(candidate => candidate.handle === handle)!;
		assert.deepEqual([rule('udp-in', 26).deltaPackets, rule('udp-in', 26).deltaBytes, rule('udp-in', 26).packetsPerSecond], [3n, 102n, 6]);
		assert.deepEqual([rule('input', 11).deltaPackets, rule('input', 11).deltaBytes], [3n, 186n]);
		assert.deepEqual([rule('output', 30).deltaPackets, rule('output', 30).bytesPerSecond, rule('output', 30).status], [6n, 576, 'ok']);
	});

	it('says uncounted, never 0, for rules without a counter, base chains and chains entered through a vmap', () => {
		const input = chainOf(after, 'input');
		const noCounter = input.rules.find(rule => rule.handle === 12)!;
		assert.deepEqual([noCounter.deltaPackets, noCounter.packetsPerSecond, shownStatus(noCounter)], [null, null, 'uncounted']);
		assert.deepEqual([input.counted, input.rate.packetsPerSecond, shownStatus({status: input.rate.status, counted: input.counted})], [false, null, 'uncounted']);
		assert.equal(chainOf(after, 'udp-in').counted, false);
		const named = chainOf(after, '@counters');
		assert.equal(named.counted, false);
		assert.deepEqual(named.rules.map(rule => [rule.spec, rule.status]), [['counter web_in', 'ok'], ['counter huge', 'ok']]);
	});

	it('sums counted jumps into a regular chain, like iptables does', () => {
		const docker = ownNft('nft_docker-like_json.json');
		const bumped = docker.replace(/"counter": \{"packets": 0, "bytes": 0\}\}, \{"jump"/g, '"counter": {"packets": 2, "bytes": 120}}, {"jump"');
		const table = findTable(ratedPair(docker, bumped).tables, 'ip', 'docker-bridges');
		const entered = chainOf(table, 'nat-prerouting-and-output');
		assert.deepEqual([entered.counted, entered.packets, entered.rate.deltaPackets], [true, 4n, 4n]);
		assert.equal(chainOf(table, 'filter-forward-in__docker0').counted, false);
	});

	it('reports a counter that went down (rule replaced, or a u64 that wrapped) as reset', () => {
		const wrapped = t0.replace('"packets": -9223372036854775808, "bytes": -1', '"packets": 2, "bytes": 130');
		const rule = chainOf(findTable(ratedPair(t0, wrapped).tables, 'inet', 'fwtest'), 'input').rules.find(candidate => candidate.handle === 23)!;
		assert.deepEqual([rule.status, rule.deltaPackets, rule.packetsPerSecond], ['reset', null, null]);
	});

	it('never shares keys between an inet table and an ip table of the same name', () => {
		const keys = second.tables.flatMap(table => table.chains.map(chain => chain.key));
		assert.equal(new Set(keys).size, keys.length);
	});
});

describe('nft JSON', () => {
	type Json = {tables: Array<Record<string, unknown> & {chains: Array<Record<string, unknown> & {rules: Array<Record<string, unknown>>}>}>; source: Record<string, unknown>};
	const json = parseJsonExact(sampleJson(ratedPair(t0, t1, 500))) as Json;
	const table = json.tables.find(candidate => candidate['name'] === 'fwtest')!;
	const input = table.chains.find(chain => chain['name'] === 'input')!;

	it('carries nft family, hook, priority, type and handle, and null counts where nft keeps none', () => {
		assert.deepEqual([table['family'], table['backend'], table['nftFamily']], ['ipv4', 'nft', 'inet']);
		assert.deepEqual([input['hook'], input['priority'], input['type'], input['handle'], input['counted']], ['input', 0, 'filter', 1, false]);
		assert.deepEqual([input['packets'], input['status'], input['packetsPerSecond']], [null, 'uncounted', null]);
		assert.deepEqual(json.source['nftVersion'], '1.0.6');
	});

	it('carries each rule\'s handle, text, counter state, named counter and map targets', () => {
		const byHandle = new Map(input.rules.map(rule => [rule['handle'], rule]));
		assert.deepEqual([byHandle.get(12)!['counted'], byHandle.get(12)!['packets'], byHandle.get(12)!['status']], [false, null, 'uncounted']);
		assert.deepEqual([byHandle.get(16)!['counter'], byHandle.get(16)!['spec']], ['web_in', 'tcp dport 8000 counter name "web_in" accept']);
		assert.deepEqual(byHandle.get(18)!['targets'], [{chain: 'tcp-in', goto: false, when: 'tcp'}, {chain: 'udp-in', goto: true, when: 'udp'}]);
		assert.deepEqual([byHandle.get(23)!['packets'], byHandle.get(23)!['bytes']], [9_223_372_036_854_775_808n, 18_446_744_073_709_551_615n]);
		assert.deepEqual([byHandle.get(11)!['deltaPackets'], byHandle.get(11)!['status'], byHandle.get(11)!['counted']], [3, 'ok', true]);
	});

	it('writes no nft fields for iptables tables', () => {
		const text = sampleJson(rateSample(null, {...nftSample(t0, 0), tables: [{family: 'ipv4', name: 'filter', chains: []}]}).rated);
		assert.doesNotMatch(text, /nftFamily|handle|counted/);
	});
});
