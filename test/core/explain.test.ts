import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {natNote} from '../../source/core/docker.ts';
import {EXPLANATIONS, explainPolicy, explainRule, explainSample, versionBetween} from '../../source/core/explain.ts';

const ids = (items: Array<{id: string}>): string[] => items.map(item => item.id);
const dnat = {target: 'DNAT', options: '-m tcp --dport 80 --to-destination 172.17.0.2:80', spec: '! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80'};
const accept = {target: 'ACCEPT', options: '', spec: '-j ACCEPT'};

describe('versionBetween', () => {
	const cases: Array<[string, string, string, boolean]> = [
		['1.8.9', '1.8.0', '1.8.9', true],
		['1.8.10', '1.8.0', '1.8.9', false],
		['1.8.11', '1.4.6', '1.8.9', false],
		['1.4.21', '1.4.6', '1.8.9', true],
		['1.4.5', '1.4.6', '1.8.9', false],
		['1.6.1', '1.4.6', '1.8.9', true],
		['1.8', '1.8.0', '1.8.9', true],
		['', '1.8.0', '1.8.9', false],
		['unknown', '1.8.0', '1.8.9', false],
	];
	for (const [version, from, to, expected] of cases) {
		test(`${version || '(empty)'} in [${from}, ${to}]: ${expected}`, () => {
			assert.equal(versionBetween(version, from, to), expected);
		});
	}
});

describe('explainRule', () => {
	test('a nat rule counts first packets only (the text the dashboard already shows)', () => {
		assert.deepEqual(explainRule('nat', 'POSTROUTING', {target: 'MASQUERADE', options: '', spec: '-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'}), [{id: 'nat-first-packet', text: natNote}]);
	});

	test('a DNAT: first packets, and it bypasses INPUT', () => {
		assert.deepEqual(ids(explainRule('nat', 'DOCKER', dnat)), ['nat-first-packet', 'dnat-bypasses-input']);
		assert.match(EXPLANATIONS['dnat-bypasses-input'], /never passes INPUT/);
	});

	test('Docker 29\'s nftables: nat chains count first packets; a rule without `counter` counts nothing', () => {
		const nft = {target: '', options: '', spec: 'iifname != "docker0" tcp dport 80 dnat to 172.17.0.2:80'};
		assert.deepEqual(ids(explainRule('docker-bridges', 'nat-prerouting-and-output', nft)), ['nat-first-packet', 'dnat-bypasses-input', 'nft-no-counter']);
		assert.deepEqual(ids(explainRule('docker-bridges', 'filter-FORWARD', {target: '', options: '', spec: 'ct state established,related counter accept'})), []);
	});

	test('an ordinary filter rule needs no explanation', () => {
		assert.deepEqual(explainRule('filter', 'FORWARD', accept), []);
	});
});

describe('explainPolicy', () => {
	const builtin = {builtin: true};
	test('iptables-nft ≤1.8.9: policy counters may never count', () => {
		assert.deepEqual(ids(explainPolicy(builtin, {backend: 'nf_tables', version: '1.8.9'})), ['nft-policy-uncounted']);
		assert.deepEqual(ids(explainPolicy({builtin: true, policyPackets: 0n}, {backend: 'nf_tables', version: '1.8.7'})), ['nft-policy-uncounted']);
		assert.deepEqual(explainPolicy({builtin: true, policyPackets: 12n}, {backend: 'nf_tables', version: '1.8.9'}), [], 'a policy that counted is counting');
		assert.deepEqual(explainPolicy(builtin, {backend: 'nf_tables', version: '1.8.10'}), []);
	});

	test('iptables-legacy 1.4.6–1.8.9: policy counters reset on any rule change', () => {
		assert.deepEqual(ids(explainPolicy(builtin, {backend: 'legacy', version: '1.8.9'})), ['legacy-policy-reset']);
		assert.deepEqual(ids(explainPolicy(builtin, {backend: 'pre-1.8', version: '1.4.21'})), ['legacy-policy-reset']);
		assert.deepEqual(explainPolicy(builtin, {backend: 'legacy', version: '1.8.11'}), []);
		assert.deepEqual(explainPolicy(builtin, {backend: 'pre-1.8', version: '1.4.5'}), []);
	});

	test('user chains have no policy; an unknown version claims nothing', () => {
		assert.deepEqual(explainPolicy({builtin: false}, {backend: 'nf_tables', version: '1.8.9'}), []);
		assert.deepEqual(explainPolicy(builtin, {backend: 'file', version: ''}), []);
	});
});

describe('explainSample', () => {
	const filter = (policy: string) => ({family: 'ipv4', name: 'filter', chains: [{name: 'FORWARD', policy}]});
	test('a split host: the collector\'s legacy-tables warning', () => {
		const warnings = ['Warning: iptables-legacy tables present, use iptables-legacy to see them (or run fwtop --backend legacy)'];
		assert.deepEqual(ids(explainSample({warnings, tables: [filter('ACCEPT')]})), ['split-host']);
		assert.deepEqual(explainSample({warnings: [], tables: [filter('ACCEPT')]}), []);
	});

	test('Docker\'s nftables table behind an iptables FORWARD policy DROP', () => {
		const docker = {family: 'ipv4', name: 'docker-bridges', chains: [{name: 'filter-FORWARD', policy: 'ACCEPT'}]};
		assert.deepEqual(ids(explainSample({warnings: [], tables: [filter('DROP'), docker]})), ['docker-nft-forward-drop']);
		assert.deepEqual(explainSample({warnings: [], tables: [filter('ACCEPT'), docker]}), []);
		assert.deepEqual(explainSample({warnings: [], tables: [filter('DROP')]}), []);
	});
});
