// Golden tests of parseListing over real output recorded on Debian 12 (iptables 1.8.9 nft and
// legacy) in ../shared/fixtures/iptables-1.8.9; see its README for how each file was made.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseListing} from '../../source/core/parse-listing.ts';
import {
	REAL_DIR, captures, chainNames, chainOf, listings, read, readSave, ruleOf, saveFor, sharedPresent, suffixed,
} from './listing-helpers.ts';

const U64_MAX = 18_446_744_073_709_551_615n;
const ABOVE_2_53 = 9_007_199_254_740_993n;

function real(name: string, family?: 'ipv4' | 'ipv6') {
	return parseListing(read(`${REAL_DIR}${name}.txt`), family ? {family} : {});
}

test('every recorded -L listing parses, one chain per column header', async t => {
	if (!sharedPresent(t)) {
		return;
	}

	const all = listings(REAL_DIR);
	assert.ok(all.length >= 40, `only ${all.length} listings found`);
	for (const capture of all) {
		await t.test(capture.name, () => {
			const text = read(`${REAL_DIR}${capture.name}.txt`);
			const dump = parseListing(text);
			const headers = text.split('\n').filter(line => /^(num +)? *(pkts|target) /.test(line)).length;
			assert.equal(dump.tables[0]?.chains.length ?? 0, headers);
			assert.equal(dump.tables[0]?.name ?? 'filter', 'filter');
			for (const rule of dump.tables.flatMap(table => table.chains.flatMap(chain => chain.rules))) {
				assert.ok(rule.protocol !== '' && rule.source !== '' && rule.destination !== '', rule.spec);
				assert.match(rule.opt, /^(--|-f|!f)$/);
			}
		});
	}
});

test('-vnxL counters equal iptables-save -c from the same namespace, rule by rule', async t => {
	if (!sharedPresent(t)) {
		return;
	}

	const all = captures(REAL_DIR);
	const exact = listings(REAL_DIR).filter(capture => /^[vnx]*L$/.test(capture.flags) && capture.flags.includes('x'));
	let compared = 0;
	for (const capture of exact) {
		const save = saveFor(capture, all);
		if (save === undefined) {
			continue;
		}

		compared++;
		await t.test(`${capture.name} vs ${save.name}`, () => {
			// An empty namespace saves nothing while iptables-nft lists empty built-in chains.
			const saved = readSave(read(`${REAL_DIR}${save.name}.txt`)).get(capture.table) ?? new Map();
			for (const chain of real(capture.name).tables[0]!.chains) {
				const expected = saved.get(chain.name) ?? {policy: chain.policy, packets: 0n, bytes: 0n, rules: []};
				assert.ok(expected, `${chain.name} missing from save`);
				assert.deepEqual(chain.rules.map(rule => [rule.packets, rule.bytes]), expected.rules, chain.name);
				if (chain.builtin) {
					assert.deepEqual([chain.policy, chain.policyPackets, chain.policyBytes], [expected.policy, expected.packets, expected.bytes]);
				}
			}
		});
	}

	assert.ok(compared >= 10, `only ${compared} listing/save pairs`);
});

test('nft filter -vnxL: what a user sees in the big ruleset', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const dump = real('nft-1.8.9_filter_vnxL');
	assert.deepEqual(dump.warnings, []);
	assert.equal(dump.approximate, false);
	assert.equal(dump.tables[0]!.family, 'ipv4');
	assert.deepEqual(chainNames(dump), ['INPUT', 'FORWARD', 'OUTPUT', 'DOCKER-USER', 'LOGDROP', 'UNUSED-CHAIN', 'WEB', 'a-very-long-chain-name-28chr']);
	const input = chainOf(dump, 'INPUT');
	assert.equal(input.rules.length, 41);
	assert.deepEqual([input.builtin, input.policy, input.references], [true, 'DROP', null]);
	assert.deepEqual([input.policyPackets, input.policyBytes], [123_456_789_012n, 987_654_321_098_765n]);
	assert.deepEqual([chainOf(dump, 'FORWARD').policyPackets, chainOf(dump, 'FORWARD').policyBytes], [ABOVE_2_53, U64_MAX]);
	assert.deepEqual(['UNUSED-CHAIN', 'WEB', 'DOCKER-USER'].map(name => chainOf(dump, name).references), [0, 2, 1]);
	assert.deepEqual([chainOf(dump, 'WEB').builtin, chainOf(dump, 'WEB').policy, chainOf(dump, 'WEB').policyPackets], [false, null, null]);

	const accounting = ruleOf(dump, 'INPUT', 3);
	assert.deepEqual([accounting.target, accounting.source, accounting.packets, accounting.bytes], ['', '10.1.2.3', ABOVE_2_53, U64_MAX]);
	assert.equal(accounting.spec, ' 0 -- * * 10.1.2.3 0.0.0.0/0');
	assert.deepEqual([ruleOf(dump, 'INPUT', 4).target, ruleOf(dump, 'INPUT', 4).comment], ['', 'acct: dst 10.1.2.3']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 7).protocol, ruleOf(dump, 'INPUT', 7).protocolRaw], ['tcp', '6']);
	assert.equal(ruleOf(dump, 'INPUT', 7).options, 'multiport dports 22,80,443 /* allow ssh & web */');
	assert.equal(ruleOf(dump, 'INPUT', 7).comment, 'allow ssh & web');
	assert.deepEqual([ruleOf(dump, 'INPUT', 9).source, ruleOf(dump, 'INPUT', 9).options], ['!10.0.0.0/8', 'tcp dpt:3306']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 10).protocol, ruleOf(dump, 'INPUT', 10).protocolRaw], ['!tcp', '!6']);
	assert.deepEqual([11, 12, 13, 14, 15, 16].map(index => ruleOf(dump, 'INPUT', index).protocol), ['sctp', 'gre', 'esp', 'udplite', 'ethernet', '200']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 17).opt, ruleOf(dump, 'INPUT', 18).opt], ['-f', '!f']);
	assert.equal(ruleOf(dump, 'INPUT', 22).options, 'tcp dpt:8081 LOG flags 10 level 4 prefix "quo"te [x] \'y\'"');
	assert.equal(ruleOf(dump, 'INPUT', 24).comment, 'say "hi" - it\'s naïve 日本語 ✓ end');
	assert.equal(ruleOf(dump, 'INPUT', 25).comment, 'has /* nested */ comment');
	assert.equal(ruleOf(dump, 'INPUT', 28).options, 'STRING match  "GET /admin" ALGO name bm');
	assert.equal(ruleOf(dump, 'INPUT', 38).target, 'a-very-long-chain-name-28chr');
	assert.equal(ruleOf(dump, 'OUTPUT', 5).packets, U64_MAX);
});

test('nft filter -vnxL: interfaces, [goto], masks', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const forward = chainOf(real('nft-1.8.9_filter_vnxL'), 'FORWARD').rules;
	assert.deepEqual(forward.map(rule => [rule.in, rule.out]).slice(0, 5), [
		['*', '*'], ['eth+', 'abcdefghijklmno'], ['!docker0', 'docker0'], ['veth+', '!br-0123456789ab'], ['!ppp+', '!lo'],
	]);
	assert.deepEqual([forward[0]!.target, forward[0]!.packets], ['DOCKER-USER', 1000n]);
	assert.deepEqual([forward[5]!.target, forward[5]!.goto, forward[5]!.options], ['WEB', true, '']);
	assert.equal(forward[5]!.spec, 'WEB 6 -- * * 0.0.0.0/0 0.0.0.0/0 [goto]');
	assert.deepEqual([forward[8]!.target, forward[8]!.goto], ['LOGDROP', true]);
	assert.equal(forward[0]!.goto, false);
	assert.equal(forward[6]!.source, '2.3.0.4/255.255.0.255');
	assert.deepEqual([forward[7]!.source, forward[7]!.destination], ['198.51.100.0/24', '203.0.113.0/25']);
});

test('--line-numbers: index comes from the num column, rules match the plain listing', t => {
	if (!sharedPresent(t)) {
		return;
	}

	for (const variant of ['nft', 'legacy']) {
		const numbered = real(`${variant}-1.8.9_filter_vnxL_line-numbers`).tables[0]!.chains;
		const plain = real(`${variant}-1.8.9_filter_vnxL`).tables[0]!.chains;
		assert.deepEqual(numbered.map(chain => chain.rules.map(rule => rule.spec)), plain.map(chain => chain.rules.map(rule => rule.spec)));
		assert.deepEqual(numbered.map(chain => chain.rules.map(rule => rule.packets)), plain.map(chain => chain.rules.map(rule => rule.packets)));
		assert.deepEqual(numbered[0]!.rules.map(rule => rule.index), Array.from({length: 41}, (_, i) => i + 1));
	}
});

test('-vnL (no -x): K/M/G/T suffixes are scaled and flagged approximate', t => {
	if (!sharedPresent(t)) {
		return;
	}

	for (const variant of ['nft-1.8.9', 'legacy-1.8.9', 'ip6tables-nft-1.8.9', 'ip6tables-legacy-1.8.9']) {
		const rough = real(`${variant}_filter_vnL_suffixes`);
		const exact = real(`${variant}_filter_vnxL`);
		assert.equal(rough.approximate, true, variant);
		const pairs = rough.tables[0]!.chains.flatMap((chain, c) => chain.rules.map((rule, r) => [rule, exact.tables[0]!.chains[c]!.rules[r]!] as const));
		for (const [approximate, precise] of pairs) {
			assert.equal(approximate.packets, suffixed(precise.packets), approximate.spec);
			assert.equal(approximate.bytes, suffixed(precise.bytes), approximate.spec);
			assert.equal(approximate.spec, precise.spec);
		}
	}

	const nft = real('nft-1.8.9_filter_vnL_suffixes');
	assert.deepEqual([chainOf(nft, 'INPUT').policyPackets, chainOf(nft, 'INPUT').policyBytes], [123_000_000_000n, 988_000_000_000_000n]);
	assert.deepEqual([ruleOf(nft, 'INPUT', 1).packets, ruleOf(nft, 'INPUT', 1).bytes], [884_000n, 1_294_000_000n]);
	// 2^64-1 overflows in xtables_print_num's rounding and prints as `0K` (reference §6).
	assert.deepEqual([ruleOf(nft, 'INPUT', 3).packets, ruleOf(nft, 'INPUT', 3).bytes], [9_007_000_000_000_000n, 0n]);
	assert.equal(ruleOf(nft, 'INPUT', 4).packets, 99_999n);
	assert.equal(real('nft-1.8.9_filter_vnxL').approximate, false);
});

test('-nL without -v: no counters, no interfaces, a warning', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const dump = real('nft-1.8.9_filter_nL_no-verbose');
	assert.equal(dump.approximate, true);
	assert.equal(dump.warnings.length, 1);
	assert.match(dump.warnings[0]!, /no counters/);
	assert.equal(chainOf(dump, 'INPUT').rules.length, 41);
	assert.deepEqual([chainOf(dump, 'INPUT').policy, chainOf(dump, 'INPUT').policyPackets], ['DROP', null]);
	const accounting = ruleOf(dump, 'INPUT', 3);
	assert.deepEqual([accounting.target, accounting.source, accounting.packets, accounting.in, accounting.out], ['', '10.1.2.3', 0n, '', '']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 9).source, ruleOf(dump, 'INPUT', 10).protocol], ['!10.0.0.0/8', '!tcp']);
	assert.deepEqual([ruleOf(dump, 'FORWARD', 6).goto, ruleOf(dump, 'FORWARD', 6).target], [true, 'WEB']);
	assert.equal(ruleOf(dump, 'INPUT', 38).target, 'a-very-long-chain-name-28chr');
});

test('-vxL without -n: names from /etc/protocols, any, anywhere', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const dump = real('nft-1.8.9_filter_vxL_no-numeric');
	assert.deepEqual([11, 12, 13, 14, 15, 16].map(index => ruleOf(dump, 'INPUT', index).protocolRaw), ['sctp', 'gre', 'esp', 'udplite', 'ethernet', '200']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 10).protocol, ruleOf(dump, 'INPUT', 10).protocolRaw], ['!tcp', '!tcp']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 1).in, ruleOf(dump, 'INPUT', 1).out, ruleOf(dump, 'INPUT', 1).source], ['lo', 'any', 'anywhere']);
	assert.equal(ruleOf(dump, 'INPUT', 3).packets, ABOVE_2_53);
});

test('a comment with a newline does not forge a chain (both variants)', t => {
	if (!sharedPresent(t)) {
		return;
	}

	for (const variant of ['nft', 'legacy']) {
		const dump = real(`${variant}-1.8.9_filter_vnxL_comment-with-newline`);
		assert.deepEqual(chainNames(dump), ['INPUT', 'FORWARD', 'OUTPUT'], variant);
		const [first, second] = chainOf(dump, 'INPUT').rules;
		assert.equal(chainOf(dump, 'INPUT').rules.length, 2);
		assert.equal(first!.comment, 'line1\nChain FAKE (policy ACCEPT 0 packets, 0 bytes)');
		assert.deepEqual([first!.target, first!.source, first!.packets, first!.bytes], ['ACCEPT', '192.0.2.7', 5n, 300n]);
		assert.deepEqual([second!.target, second!.source, second!.packets, second!.bytes], ['DROP', '192.0.2.8', 6n, 360n]);
	}
});

test('taint line, Zeroing lines, single-chain listings, empty stdout', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const tainted = real('nft-1.8.9_filter_vnxL_tainted-extra-base-chain');
	assert.deepEqual(tainted.warnings, ['# Table `filter\' contains incompatible base-chains, use \'nft\' tool to list them.']);
	assert.deepEqual(chainNames(tainted), ['INPUT', 'FORWARD', 'OUTPUT']);
	assert.equal(ruleOf(tainted, 'INPUT', 1).target, 'DROP');

	for (const variant of ['nft', 'legacy']) {
		const zeroed = real(`${variant}-1.8.9_filter_vnxL_Z_list-and-zero`);
		assert.deepEqual(chainNames(zeroed), ['INPUT', 'FORWARD', 'OUTPUT']);
		assert.deepEqual(zeroed.warnings, []);
		assert.equal(chainOf(zeroed, 'OUTPUT').rules.length, 1);
	}

	assert.deepEqual(chainNames(real('nft-1.8.9_filter_vnxL_UNUSED-CHAIN-only')), ['UNUSED-CHAIN']);
	assert.equal(chainOf(real('nft-1.8.9_filter_vnxL_INPUT-only'), 'INPUT').rules.length, 41);
	assert.deepEqual(real('nft-1.8.9_filter_vnxL_incompatible-table').tables, []);
});

test('-i + : legacy lists +, nft lists *, both list !+', t => {
	if (!sharedPresent(t)) {
		return;
	}

	assert.deepEqual(chainOf(real('legacy-1.8.9_filter_vnxL_plus-wildcard'), 'INPUT').rules.map(rule => rule.in), ['+', '!+']);
	assert.deepEqual(chainOf(real('nft-1.8.9_filter_vnxL_plus-wildcard'), 'INPUT').rules.map(rule => rule.in), ['*', '!+']);
	assert.deepEqual(chainOf(real('nft-1.8.9_filter_vnxL_plus-wildcard'), 'FORWARD').rules.map(rule => rule.out), ['eth+', '!eth+']);
});

test('ip6tables: family inferred, protocol 58 is ipv6-icmp, [goto], masks', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const dump = real('ip6tables-legacy-1.8.9_filter_vnxL');
	assert.equal(dump.tables[0]!.family, 'ipv6');
	assert.deepEqual([ruleOf(dump, 'INPUT', 3).protocol, ruleOf(dump, 'INPUT', 3).protocolRaw, ruleOf(dump, 'INPUT', 3).options], ['ipv6-icmp', '58', 'ipv6-icmptype 128']);
	assert.deepEqual([ruleOf(dump, 'INPUT', 7).source, ruleOf(dump, 'INPUT', 7).protocol], ['!2001:db8:dead::/48', 'udp']);
	assert.equal(ruleOf(dump, 'INPUT', 8).source, '2001:db8::/ffff:ffff:0:ffff::');
	assert.equal(ruleOf(dump, 'INPUT', 9).target, '');
	assert.equal(ruleOf(dump, 'INPUT', 6).comment, 'v6 web "quoted"');
	assert.deepEqual([ruleOf(dump, 'FORWARD', 3).target, ruleOf(dump, 'FORWARD', 3).goto], ['V6CHAIN', true]);
	assert.deepEqual(chainOf(dump, 'V6UNUSED').references, 0);
	// ip6tables-nft 1.8.9 drops rule counters given to restore -c (bugzilla 1647), keeps policy ones.
	const nft = real('ip6tables-nft-1.8.9_filter_vnxL');
	assert.deepEqual([chainOf(nft, 'INPUT').policyPackets, chainOf(nft, 'INPUT').policyBytes], [U64_MAX, U64_MAX]);
	assert.ok(nft.tables[0]!.chains.every(chain => chain.rules.every(rule => rule.packets === 0n)));
	assert.equal(ruleOf(real('ip6tables-nft-1.8.9_nat_vnxL'), 'PREROUTING', 1).options, 'tcp dpt:8080 to:[fd00::2]:80');
	assert.equal(real('ip6tables-nft-1.8.9_filter_vnxL_legacy-tables-present', 'ipv6').tables[0]!.family, 'ipv6');
});

test('nat, mangle and raw tables', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const nat = parseListing(read(`${REAL_DIR}nft-1.8.9_nat_vnxL.txt`), {table: 'nat'});
	assert.equal(nat.tables[0]!.name, 'nat');
	assert.deepEqual(chainNames(nat), ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'DOCKER']);
	assert.deepEqual([ruleOf(nat, 'OUTPUT', 1).destination, ruleOf(nat, 'OUTPUT', 1).options], ['!127.0.0.0/8', 'ADDRTYPE match dst-type LOCAL']);
	assert.deepEqual([ruleOf(nat, 'POSTROUTING', 1).target, ruleOf(nat, 'POSTROUTING', 1).out], ['MASQUERADE', '!docker0']);
	assert.equal(ruleOf(nat, 'POSTROUTING', 3).options, 'masq ports: 1024-65535');
	assert.deepEqual([ruleOf(nat, 'DOCKER', 2).in, ruleOf(nat, 'DOCKER', 2).options], ['!docker0', 'tcp dpt:8080 to:172.17.0.2:80']);
	assert.equal(ruleOf(nat, 'PREROUTING', 3).options, 'udp dpts:5000:5100 to:10.0.0.5-10.0.0.6:6000-6100');
	const raw = real('legacy-1.8.9_raw_vnxL');
	assert.deepEqual([ruleOf(raw, 'OUTPUT', 1).target, ruleOf(raw, 'OUTPUT', 1).options], ['CT', 'udp spt:53 NOTRACK']);
	assert.equal(ruleOf(real('nft-1.8.9_mangle_vnxL'), 'PREROUTING', 1).options, 'connmark match  0x1/0xff CONNMARK restore mask 0xff');
});
