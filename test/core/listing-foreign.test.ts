// parseListing over output of other iptables versions: jc's CentOS 7 (1.4.21) and Ubuntu 18.04
// (1.6.1) captures and the upstream test suite's expected `-v -n -L` text for 1.8.4–1.8.13
// (../shared/fixtures/foreign/README.md has their provenance).
import assert from 'node:assert/strict';
import {readdirSync} from 'node:fs';
import {test} from 'node:test';
import {parseListing} from '../../source/core/parse-listing.ts';
import {FOREIGN_DIR, chainNames, chainOf, read, ruleOf, sharedPresent} from './listing-helpers.ts';

const UPSTREAM = `${FOREIGN_DIR}iptables-upstream-tests/`;

function foreign(path: string) {
	return parseListing(read(`${FOREIGN_DIR}${path}`));
}

test('jc CentOS 7.7 (1.4.21) -nvL: K suffixes, [goto], + interface, long firewalld targets', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const dump = foreign('jc/centos-7.7/iptables-filter-nv.out');
	assert.equal(dump.approximate, true);
	assert.equal(dump.tables[0]!.chains.length, 26);
	assert.deepEqual([ruleOf(dump, 'INPUT', 1).packets, ruleOf(dump, 'INPUT', 1).bytes], [4175n, 1_130_000n]);
	assert.deepEqual([ruleOf(dump, 'INPUT', 3).target, ruleOf(dump, 'INPUT', 3).protocol], ['INPUT_direct', 'all']);
	assert.deepEqual([chainOf(dump, 'OUTPUT').policyPackets, chainOf(dump, 'OUTPUT').policyBytes], [5n, 345n]);
	const gotos = dump.tables[0]!.chains.flatMap(chain => chain.rules).filter(rule => rule.goto);
	assert.ok(gotos.length > 0);
	assert.ok(gotos.every(rule => rule.options === '' || !rule.options.startsWith('[goto]')));
	assert.ok(gotos.some(rule => rule.in === '+'));
	assert.deepEqual([ruleOf(dump, 'FORWARD', 4).in, ruleOf(dump, 'FORWARD', 4).out], ['docker0', '!docker0']);
});

test('jc listings without -v parse, with line numbers and without', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const expected: Record<string, [number, number]> = {
		'centos-7.7/iptables-filter.out': [26, 57],
		'centos-7.7/iptables-filter-line-numbers.out': [26, 51],
		'centos-7.7/iptables-mangle.out': [16, 12],
		'centos-7.7/iptables-nat.out': [20, 21],
		'centos-7.7/iptables-raw.out': [10, 9],
		'ubuntu-18.04/iptables-filter.out': [3, 22],
		'ubuntu-18.04/iptables-filter-line-numbers.out': [3, 9],
		'ubuntu-18.04/iptables-filter-nv.out': [3, 22],
		'ubuntu-18.04/iptables-mangle.out': [5, 0],
		'ubuntu-18.04/iptables-nat.out': [4, 0],
		'ubuntu-18.04/iptables-raw.out': [2, 0],
	};
	for (const [path, [chains, rules]] of Object.entries(expected)) {
		const dump = foreign(`jc/${path}`);
		assert.equal(dump.tables[0]!.chains.length, chains, path);
		assert.equal(dump.tables[0]!.chains.flatMap(chain => chain.rules).length, rules, path);
		assert.equal(dump.approximate, true, path);
	}

	const numbered = foreign('jc/centos-7.7/iptables-filter-line-numbers.out');
	assert.deepEqual(chainOf(numbered, 'INPUT').rules.map(rule => rule.index), Array.from({length: 13}, (_, i) => i + 1));
	assert.deepEqual([ruleOf(numbered, 'FORWARD', 9).target, ruleOf(numbered, 'FORWARD', 9).index], ['FORWARD_IN_ZONES_SOURCE', 9]);
	assert.equal(ruleOf(numbered, 'INPUT', 13).options, 'tcp dpt:ssh ctstate NEW,ESTABLISHED');
	const nat = foreign('jc/centos-7.7/iptables-nat.out');
	assert.deepEqual([ruleOf(nat, 'OUTPUT', 2).destination, ruleOf(nat, 'POSTROUTING', 1).target], ['!loopback/8', 'MASQUERADE']);
	assert.ok(chainOf(nat, 'POSTROUTING_ZONES').rules.every(rule => rule.goto && rule.target === 'POST_public'));
});

test('jc generic: a rule with no jump (empty target), trailing spaces trimmed away', t => {
	if (!sharedPresent(t)) {
		return;
	}

	const dump = foreign('jc/generic/iptables-no-jump.out');
	const rule = ruleOf(dump, 'INPUT', 1);
	assert.deepEqual([rule.target, rule.protocol, rule.source, rule.destination, rule.options], ['', 'udp', 'anywhere', 'anywhere', '']);
});

test('upstream 0002-verbose-output expectations, every version', async t => {
	if (!sharedPresent(t)) {
		return;
	}

	const files = readdirSync(UPSTREAM).filter(file => file.endsWith('_expected.txt'));
	assert.equal(files.length, 14);
	for (const file of files) {
		await t.test(file, () => {
			const [, version, tool] = /^v([\d.]+)_(ip6?tables)_/.exec(file)!;
			const dump = parseListing(read(`${UPSTREAM}${file}`));
			const ipv6 = tool === 'ip6tables';
			assert.equal(dump.tables[0]!.family, ipv6 ? 'ipv6' : 'ipv4');
			assert.deepEqual(chainNames(dump), ['INPUT', 'FORWARD', 'OUTPUT']);
			const [first, second] = chainOf(dump, 'FORWARD').rules;
			assert.deepEqual([first!.target, first!.in, first!.out, first!.protocol], ['ACCEPT', 'eth2', 'eth3', 'all']);
			assert.equal(first!.source, ipv6 ? 'feed:babe::1' : '10.0.0.1');
			assert.equal(second!.destination, ipv6 ? 'feed:babe::5' : '10.0.0.5');
			// ip6tables ≤1.8.8 prints a blank opt column; it reads as `--` like ≥1.8.9.
			assert.equal(first!.opt, '--');
			const numeric = version === '1.8.9' || version === '1.8.10';
			assert.equal(first!.protocolRaw, numeric ? '0' : 'all');
			const modern = ipv6 && !['1.8.4', '1.8.7', '1.8.8'].includes(version!);
			assert.equal(chainOf(dump, 'FORWARD').rules.length, modern ? 5 : 2);
			if (modern) {
				const icmp = chainOf(dump, 'FORWARD').rules[2]!;
				assert.deepEqual([icmp.target, icmp.protocol, icmp.protocolRaw, icmp.options], ['', 'ipv6-icmp', numeric ? '58' : 'ipv6-icmp', 'ipv6-icmptype 1 code 0']);
				assert.equal(chainOf(dump, 'FORWARD').rules[4]!.options, 'frag id:1337 LOG flags 0 level 4');
			}
		});
	}
});
