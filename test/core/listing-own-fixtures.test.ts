// Golden tests over fwtop's own fixtures (test/fixtures/, made by scripts/gen-fixtures.sh from
// test/fixtures/setup/ruleset-v{4,6}.rules in throw-away namespaces; see test/fixtures/README.md).
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Rule} from '../../source/core/model.ts';
import {parseListing} from '../../source/core/parse-listing.ts';
import {OWN_DIR, captures, chainNames, chainOf, listings, read, readSave, ruleOf, saveFor, suffixed} from './listing-helpers.ts';

const U64_MAX = 18_446_744_073_709_551_615n;
const ABOVE_2_53 = 9_007_199_254_740_993n;
const VARIANTS = ['nft', 'legacy', 'ip6tables-nft', 'ip6tables-legacy'];

function own(name: string) {
	return parseListing(read(`${OWN_DIR}${name}.txt`));
}

test('every listing parses and agrees with iptables-save -c of the same namespace', async t => {
	const all = captures(OWN_DIR);
	const found = listings(OWN_DIR);
	assert.equal(found.length, 32);
	for (const capture of found) {
		await t.test(capture.name, () => {
			const dump = parseListing(read(`${OWN_DIR}${capture.name}.txt`), {table: capture.table});
			const saved = readSave(read(`${OWN_DIR}${saveFor(capture, all)!.name}.txt`)).get(capture.table)!;
			assert.deepEqual(chainNames(dump).toSorted(), [...saved.keys()].toSorted());
			for (const chain of dump.tables[0]!.chains) {
				const expected = saved.get(chain.name)!;
				assert.equal(chain.rules.length, expected.rules.length, chain.name);
				assert.equal(chain.policy, chain.builtin ? expected.policy : null);
				const exact = capture.flags.includes('x');
				const scale = exact ? (value: bigint) => value : suffixed;
				if (capture.flags.includes('v')) {
					assert.deepEqual(chain.rules.map(rule => [rule.packets, rule.bytes]), expected.rules.map(([p, b]) => [scale(p), scale(b)]), chain.name);
					assert.deepEqual([chain.policyPackets, chain.policyBytes], chain.builtin ? [scale(expected.packets), scale(expected.bytes)] : [null, null]);
				}

				assert.equal(dump.approximate, !exact);
			}
		});
	}
});

test('the four variants of one ruleset read the same apart from prot spelling and counters', () => {
	for (const variant of VARIANTS) {
		const plain = own(`${variant}_filter_vnxL`).tables[0]!.chains;
		const numbered = own(`${variant}_filter_vnxL_line-numbers`).tables[0]!.chains;
		const quiet = own(`${variant}_filter_nL_no-verbose`).tables[0]!.chains;
		const columns = (rule: Rule) => [rule.target, rule.protocolRaw, rule.opt, rule.source, rule.destination, rule.goto, rule.options];
		assert.deepEqual(numbered.map(chain => chain.rules.map(rule => rule.spec)), plain.map(chain => chain.rules.map(rule => rule.spec)), variant);
		assert.deepEqual(numbered.flatMap(chain => chain.rules.map(rule => rule.index)), plain.flatMap(chain => chain.rules.map(rule => rule.index)));
		assert.deepEqual(quiet.map(chain => chain.rules.map(columns)), plain.map(chain => chain.rules.map(columns)), variant);
		assert.ok(quiet.every(chain => chain.rules.every(rule => rule.in === '' && rule.packets === 0n)));
	}
});

test('filter table: Docker layout, accounting rules, comments, goto, long names', () => {
	const dump = own('legacy_filter_vnxL');
	assert.deepEqual(chainNames(dump), [
		'INPUT', 'FORWARD', 'OUTPUT', 'DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER',
		'EMPTY-CHAIN', 'SSH', 'fwtop-28-character-chain-nam',
	]);
	assert.deepEqual(['DOCKER', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER', 'EMPTY-CHAIN', 'SSH'].map(name => chainOf(dump, name).references), [2, 2, 1, 0, 2]);
	assert.deepEqual([chainOf(dump, 'INPUT').policyPackets, chainOf(dump, 'INPUT').policyBytes], [ABOVE_2_53, U64_MAX]);
	const accounting = ruleOf(dump, 'INPUT', 3);
	assert.deepEqual([accounting.target, accounting.source, accounting.packets, accounting.bytes], ['', '10.20.30.40', ABOVE_2_53, U64_MAX]);
	assert.deepEqual([ruleOf(dump, 'INPUT', 4).target, ruleOf(dump, 'INPUT', 4).comment], ['', 'acct: to .41']);
	assert.equal(ruleOf(dump, 'INPUT', 7).comment, 'say "hi" - it\'s ok');
	assert.equal(ruleOf(dump, 'INPUT', 7).options, 'multiport dports 22,80,443 ctstate NEW /* say "hi" - it\'s ok */');
	assert.equal(ruleOf(dump, 'INPUT', 8).comment, 'naïve café ✓ 日本');
	assert.equal(ruleOf(dump, 'INPUT', 9).comment, 'ends */ early');
	assert.equal(ruleOf(dump, 'INPUT', 10).comment, 'has /* nested */ inside');
	assert.deepEqual([ruleOf(dump, 'INPUT', 13).protocol, ruleOf(dump, 'INPUT', 13).destination], ['!tcp', '192.0.2.9']);
	assert.deepEqual([14, 15].map(index => ruleOf(dump, 'INPUT', index).opt), ['-f', '!f']);
	assert.deepEqual([16, 17, 18, 19].map(index => ruleOf(dump, 'INPUT', index).protocol), ['gre', 'sctp', 'udplite', '200']);
	assert.equal(ruleOf(dump, 'INPUT', 20).in, 'abcdefghijklmno');
	const long = ruleOf(dump, 'INPUT', 21);
	assert.deepEqual([long.target, long.in, long.source], ['fwtop-28-character-chain-nam', '!ppp+', '192.168.0.0/16']);
	assert.equal(ruleOf(dump, 'INPUT', 24).options, 'LOG flags 0 level 4 prefix "fwtop DROP: "');
	const forward = chainOf(dump, 'FORWARD').rules;
	assert.deepEqual([forward[1]!.target, forward[1]!.packets, forward[1]!.bytes], ['DOCKER-ISOLATION-STAGE-1', 1_000_000n, 1_000_000_000n]);
	assert.deepEqual([forward[4]!.in, forward[4]!.out], ['br-0123456789ab', '!br-0123456789ab']);
	assert.deepEqual([forward[10]!.target, forward[10]!.goto, forward[10]!.in, forward[10]!.out], ['SSH', true, 'eth+', 'veth+']);
	assert.equal(forward[11]!.source, '2.3.0.4/255.255.0.255');
	assert.deepEqual(chainOf(dump, 'OUTPUT').rules.map(rule => rule.packets), [87n, 4_294_967_296n, U64_MAX, ABOVE_2_53]);
	assert.equal(ruleOf(dump, 'OUTPUT', 2).target, '');
});

test('nat, mangle and raw tables', () => {
	const nat = parseListing(read(`${OWN_DIR}nft_nat_vnxL.txt`), {table: 'nat'});
	assert.equal(nat.tables[0]!.name, 'nat');
	assert.deepEqual(ruleOf(nat, 'PREROUTING', 2).options, 'multiport dports 5000:5010,6000 to:10.9.0.5-10.9.0.6:7000-7010');
	assert.deepEqual([ruleOf(nat, 'PREROUTING', 3).target, ruleOf(nat, 'PREROUTING', 3).options], ['REDIRECT', 'tcp dpt:2222 redir ports 22']);
	assert.deepEqual([ruleOf(nat, 'POSTROUTING', 1).target, ruleOf(nat, 'POSTROUTING', 1).out, ruleOf(nat, 'POSTROUTING', 1).packets], ['MASQUERADE', '!docker0', 4242n]);
	assert.equal(ruleOf(nat, 'DOCKER', 3).options, 'tcp dpt:80 to:172.17.0.2:80');
	assert.equal(ruleOf(own('ip6tables-legacy_nat_vnxL'), 'PREROUTING', 1).options, 'tcp dpt:8080 to:[fd00::2]:80');
	assert.deepEqual([ruleOf(own('legacy_raw_vnxL'), 'OUTPUT', 1).target, ruleOf(own('legacy_raw_vnxL'), 'OUTPUT', 1).options], ['CT', 'udp spt:123 NOTRACK']);
	assert.equal(ruleOf(own('nft_mangle_vnxL'), 'FORWARD', 1).options, 'tcp flags:0x06/0x02 TCPMSS clamp to PMTU');
});

test('ip6tables: family, protocol names, goto', () => {
	for (const variant of ['ip6tables-nft', 'ip6tables-legacy']) {
		const dump = own(`${variant}_filter_vnxL`);
		assert.equal(dump.tables[0]!.family, 'ipv6');
		assert.deepEqual([ruleOf(dump, 'INPUT', 3).protocol, ruleOf(dump, 'INPUT', 3).protocolRaw], ['ipv6-icmp', '58']);
		assert.equal(ruleOf(dump, 'INPUT', 5).target, '');
		assert.equal(ruleOf(dump, 'INPUT', 6).comment, 'v6 "web" ✓');
		assert.deepEqual([ruleOf(dump, 'INPUT', 7).source, ruleOf(dump, 'INPUT', 8).protocol], ['!2001:db8:dead::/48', '!tcp']);
		assert.deepEqual([ruleOf(dump, 'FORWARD', 3).goto, ruleOf(dump, 'FORWARD', 3).in], [true, '!docker0']);
	}

	// ip6tables-nft 1.8.9 drops the rule counters given to restore -c (bugzilla 1647).
	assert.equal(ruleOf(own('ip6tables-nft_filter_vnxL'), 'INPUT', 5).packets, 0n);
	assert.equal(ruleOf(own('ip6tables-legacy_filter_vnxL'), 'INPUT', 5).packets, U64_MAX);
});

test('comments with newlines: forged chain headers stay comment text', () => {
	for (const name of ['nft_filter_vnxL', 'legacy_filter_vnxL', 'nft_filter_nL', 'legacy_filter_nL']) {
		const dump = own(`${name}_comment-with-newline`);
		assert.deepEqual(chainNames(dump), ['INPUT', 'FORWARD', 'OUTPUT', 'AFTER'], name);
		assert.deepEqual(chainOf(dump, 'INPUT').rules.map(rule => rule.comment), [
			'line1\nChain FAKE (policy ACCEPT 0 packets, 0 bytes)\nline3',
			'a\n\nChain FAKE2 (1 references)\nb',
			'ends with a newline\n',
			null,
		], name);
		assert.deepEqual(chainOf(dump, 'INPUT').rules.map(rule => rule.target), ['ACCEPT', 'DROP', 'ACCEPT', 'DROP']);
		assert.deepEqual([chainOf(dump, 'AFTER').references, ruleOf(dump, 'AFTER', 1).target], [1, 'RETURN']);
	}

	const verbose = own('nft_filter_vnxL_comment-with-newline');
	assert.deepEqual(chainOf(verbose, 'INPUT').rules.map(rule => rule.packets), [5n, 6n, 7n, 8n]);
	assert.ok(ruleOf(verbose, 'INPUT', 2).spec.includes('\n\nChain FAKE2'));
});
