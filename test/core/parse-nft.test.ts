// Golden tests of the nft reader over real `nft -j list ruleset` output: fwtop's own captures
// (test/fixtures/nft/, scripts/gen-nft-fixtures.sh, nft 1.0.6) and ../shared's
// (fixtures/iptables-1.8.9/nft-1.0.6_*). The rule text is checked against what nft itself prints
// for the same ruleset (`nft -s -a list ruleset`), rule by rule, by handle.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {dockerRuleNote} from '../../source/core/docker.ts';
import {explainPolicy, explainRule} from '../../source/core/explain.ts';
import type {Chain, Table} from '../../source/core/model.ts';
import {parseJsonKeepingBigIntegers, u64} from '../../source/core/nft-json.ts';
import {COUNTERS_CHAIN, parseNftRuleset} from '../../source/core/parse-nft.ts';
import {ParseError} from '../../source/core/parse-error.ts';
import {findTable, ownNft, sharedNft, statelessRules} from '../helpers/nft.ts';

const MAX_U64 = 18_446_744_073_709_551_615n;
const TWO_63 = 9_223_372_036_854_775_808n;

function chainOf(table: Table, name: string): Chain {
	const chain = table.chains.find(candidate => candidate.name === name);
	assert.ok(chain, `chain ${name}`);
	return chain;
}

describe('nft JSON numbers', () => {
	it('wraps the negative int64 nft 1.0.6 prints for u64 ≥ 2^63 back, exactly', () => {
		assert.equal(u64(-1), MAX_U64);
		assert.equal(u64(0), 0n);
		assert.equal(u64(42), 42n);
		const parsed = parseJsonKeepingBigIntegers('{"a": -9223372036854775808, "b": 9007199254740993, "c": 18446744073709551615}') as Record<string, unknown>;
		assert.equal(u64(parsed['a']), TWO_63);
		assert.equal(u64(parsed['b']), 9_007_199_254_740_993n);
		assert.equal(u64(parsed['c']), MAX_U64);
		assert.equal(u64('12'), null);
		assert.equal(u64(1.5), null);
	});

	it('leaves digits inside strings and fractions alone', () => {
		const parsed = parseJsonKeepingBigIntegers('{"s": "1234567890123456789", "f": 1.12345678901234567, "e": [1e+17]}');
		assert.deepEqual(parsed, {s: '1234567890123456789', f: 1.123_456_789_012_345_7, e: [1e17]});
	});
});

describe('parseNftRuleset on fwtop\'s own captures', () => {
	const dump = parseNftRuleset(ownNft('nft_mixed_json_t1.json'));

	it('reads every family as a table, with base chains, hooks, priorities and policies', () => {
		assert.equal(dump.version, '1.0.6');
		assert.deepEqual(dump.tables.map(table => `${table.nftFamily!} ${table.name} ${table.family}`), [
			'inet fwtest ipv4', 'ip fwnat ipv4', 'ip6 fw6 ipv6', 'bridge fwbridge ipv4', 'arp fwarp ipv4',
		]);
		const fwtest = findTable(dump.tables, 'inet', 'fwtest');
		const input = chainOf(fwtest, 'input');
		assert.deepEqual([input.builtin, input.hook, input.priority, input.type, input.policy, input.policyPackets], [true, 'input', 0, 'filter', 'accept', null]);
		assert.deepEqual([chainOf(fwtest, 'tcp-in').builtin, chainOf(fwtest, 'tcp-in').policy], [false, null]);
		assert.equal(chainOf(findTable(dump.tables, 'ip6', 'fw6'), 'forward').policy, 'drop');
		assert.equal(chainOf(findTable(dump.tables, 'bridge', 'fwbridge'), 'forward').priority, -200);
		assert.equal(chainOf(findTable(dump.tables, 'ip', 'fwnat'), 'prerouting').priority, -100);
	});

	it('keeps the handle, counts only rules with a counter, and knows named-counter rules', () => {
		const input = chainOf(findTable(dump.tables, 'inet', 'fwtest'), 'input');
		const byHandle = new Map(input.rules.map(rule => [rule.handle, rule]));
		assert.deepEqual(input.rules.slice(0, 3).map(rule => [rule.index, rule.handle]), [[1, 31], [2, 10], [3, 11]]);
		assert.deepEqual([byHandle.get(11)!.counted, byHandle.get(11)!.packets, byHandle.get(11)!.bytes], [true, 3n, 186n]);
		assert.deepEqual([byHandle.get(12)!.counted, byHandle.get(12)!.packets], [false, 0n]);
		assert.deepEqual([byHandle.get(16)!.counted, byHandle.get(16)!.counterName], [false, 'web_in']);
		assert.deepEqual([byHandle.get(23)!.packets, byHandle.get(23)!.bytes], [TWO_63, MAX_U64]);
		assert.equal(byHandle.get(10)!.comment, 'loopback');
	});

	it('turns named counters into rows of the @counters chain, u64 values exact', () => {
		const counters = chainOf(findTable(dump.tables, 'inet', 'fwtest'), COUNTERS_CHAIN);
		assert.equal(counters.synthetic, 'counters');
		assert.deepEqual(counters.rules.map(rule => [rule.spec, rule.comment, rule.handle, rule.packets, rule.bytes, rule.kind]), [
			['counter web_in', 'web traffic in', 6, 0n, 0n, 'counter'],
			['counter huge', null, 7, MAX_U64, TWO_63, 'counter'],
		]);
	});

	it('records jump, goto and verdict-map targets (anonymous and named maps) and counts references', () => {
		const fwtest = findTable(dump.tables, 'inet', 'fwtest');
		const rules = new Map(chainOf(fwtest, 'input').rules.map(rule => [rule.handle, rule]));
		assert.deepEqual(rules.get(18)!.targets, [{chain: 'tcp-in', goto: false, when: 'tcp'}, {chain: 'udp-in', goto: true, when: 'udp'}]);
		assert.deepEqual(rules.get(19)!.targets, [{chain: 'web', goto: false, when: '8080'}, {chain: 'web', goto: true, when: '8443'}]);
		assert.deepEqual(['tcp-in', 'udp-in', 'web'].map(name => chainOf(fwtest, name).references), [1, 1, 1]);
		const docker = findTable(parseNftRuleset(ownNft('nft_docker-like_json.json')).tables, 'ip', 'docker-bridges');
		const prerouting = chainOf(docker, 'nat-PREROUTING').rules[0]!;
		assert.deepEqual([prerouting.target, prerouting.goto, prerouting.counted], ['nat-prerouting-and-output', false, true]);
		assert.deepEqual(chainOf(docker, 'filter-FORWARD').rules[0]!.targets, [
			{chain: 'filter-forward-in__docker0', goto: false, when: '"docker0"'},
			{chain: 'filter-forward-in__br-0123456789ab', goto: false, when: '"br-0123456789ab"'},
		]);
		assert.equal(chainOf(docker, 'nat-prerouting-and-output').references, 2);
	});

	it('fills the iptables-shaped fields from the matches that have one', () => {
		const fwnat = findTable(dump.tables, 'ip', 'fwnat');
		const dnat = chainOf(fwnat, 'prerouting').rules[0]!;
		assert.deepEqual([dnat.in, dnat.protocol, dnat.target, dnat.comment], ['!docker0', 'tcp', 'dnat', 'DNAT']);
		const masquerade = chainOf(fwnat, 'postrouting').rules[0]!;
		assert.deepEqual([masquerade.out, masquerade.source, masquerade.destination, masquerade.target], ['!docker0', '172.17.0.0/16', '0.0.0.0/0', 'masquerade']);
		assert.equal(chainOf(findTable(dump.tables, 'ip6', 'fw6'), 'forward').rules[0]!.destination, '::1');
	});

	for (const [json, text] of [['nft_mixed_json_t1.json', 'nft_mixed_stateless-handles_t1.txt'], ['nft_docker-like_json.json', 'nft_docker-like_stateless-handles.txt']] as const) {
		it(`renders every rule of ${json} as \`nft -s -a list ruleset\` prints it`, () => {
			const expected = statelessRules(ownNft(text));
			const tables = parseNftRuleset(ownNft(json)).tables;
			let compared = 0;
			for (const table of tables) {
				for (const chain of table.chains.filter(candidate => candidate.synthetic === undefined)) {
					for (const rule of chain.rules) {
						const where = `${table.nftFamily!} ${table.name} ${chain.name} ${String(rule.handle)}`;
						assert.equal(rule.spec, expected.get(where), where);
						compared++;
					}
				}
			}

			assert.equal(compared, expected.size);
		});
	}

	it('shows an inet table under IPv6 when only -6 was asked for, and drops ip tables', () => {
		const tables = parseNftRuleset(ownNft('nft_mixed_json_t1.json'), {families: ['ipv6']}).tables;
		assert.deepEqual(tables.map(table => `${table.nftFamily!} ${table.family}`), ['inet ipv6', 'ip6 ipv6', 'bridge ipv6']);
	});

	it('rejects what is not `nft -j list ruleset` output with a ParseError', () => {
		assert.throws(() => parseNftRuleset(''), ParseError);
		assert.throws(() => parseNftRuleset('{"tables": []}'), /no "nftables" array/);
		assert.throws(() => parseNftRuleset('table ip t {}'), ParseError);
	});
});

describe('parseNftRuleset on ../shared captures (nft 1.0.6)', () => {
	it('native inet table: counters, named counters, comments and the text nft prints', t => {
		const json = sharedNft(t, 'nft-1.0.6_native-inet_json_list-ruleset.json');
		const text = sharedNft(t, 'nft-1.0.6_native-inet_list-ruleset_handles.txt');
		if (json === null || text === null) return;
		const table = findTable(parseNftRuleset(json).tables, 'inet', 'fwdemo');
		const counters = chainOf(table, COUNTERS_CHAIN).rules;
		assert.deepEqual(counters.map(rule => [rule.spec, rule.packets, rule.bytes]), [
			['counter http_in', 0n, 0n], ['counter ssh_in', 1234n, 56_789n], ['counter big', 9_007_199_254_740_993n, MAX_U64],
		]);
		// The listing was made with counter values (no -s): without them it is the stateless text.
		const expected = statelessRules(text.replaceAll(/counter packets \d+ bytes \d+/g, 'counter'));
		for (const rule of chainOf(table, 'input').rules) assert.equal(rule.spec, expected.get(`inet fwdemo input ${String(rule.handle)}`));
		assert.equal(chainOf(table, 'input').rules[0]!.comment, 'loopback it\'s ✓');
	});

	it('tables made by iptables-nft: exact u64 counters and a warning about `xt` extensions', t => {
		const json = sharedNft(t, 'nft-1.0.6_json_list-ruleset_made-by-iptables-nft.json');
		if (json === null) return;
		const dump = parseNftRuleset(json);
		const input = chainOf(findTable(dump.tables, 'ip', 'filter'), 'INPUT');
		const big = input.rules.find(rule => rule.handle === 11)!;
		assert.deepEqual([big.packets, big.bytes, big.spec], [9_007_199_254_740_993n, MAX_U64, 'ip saddr 10.1.2.3 counter']);
		assert.equal(input.rules.find(rule => rule.handle === 10)!.spec, 'xt match conntrack counter accept');
		assert.ok(dump.warnings.some(warning => /table ip filter holds iptables extensions/.test(warning)));
	});
});

describe('notes for parsed nft rules', () => {
	const docker = findTable(parseNftRuleset(ownNft('nft_docker-like_json.json')).tables, 'ip', 'docker-bridges');
	const mixed = findTable(parseNftRuleset(ownNft('nft_mixed_json_t1.json')).tables, 'inet', 'fwtest');

	it('gives Docker 29\'s rules their one-line notes from nft\'s own text', () => {
		const note = (chain: string, index: number) => dockerRuleNote(docker.name, chain, chainOf(docker, chain).rules[index]!);
		assert.equal(note('nat-prerouting-and-output', 0), 'published port 80 → container 172.17.0.2:80');
		assert.equal(note('filter-FORWARD', 0), 'by interface → the per-bridge chains');
		assert.equal(note('filter-forward-in__docker0', 3), 'drops new connections to ports that are not published');
	});

	it('explains rules without a counter, named-counter rules and uncounted base chains', () => {
		const input = chainOf(mixed, 'input');
		const ids = (handle: number) => explainRule(mixed.name, 'input', input.rules.find(rule => rule.handle === handle)!).map(item => item.id);
		assert.deepEqual([ids(12), ids(16), ids(11)], [['nft-no-counter'], ['nft-named-counter'], []]);
		assert.deepEqual(explainPolicy(input, {backend: 'nf_tables', version: '1.8.9'}).map(item => item.id), ['nft-chain-uncounted']);
	});
});
