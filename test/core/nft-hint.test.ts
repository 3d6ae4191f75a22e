import assert from 'node:assert/strict';
import {test} from 'node:test';
import {addCounterCommand, withCounter} from '../../source/core/nft-hint.ts';

// Where `counter` goes in the command fwtop suggests for an uncounted nft rule: after the matches,
// before the first statement (rules as nft -s prints them, from test/fixtures/nft).

test('counter goes after the matches and before the first statement', () => {
	assert.equal(withCounter('ct state invalid drop'), 'ct state invalid counter drop');
	assert.equal(withCounter('ip6 nexthdr ipv6-icmp accept'), 'ip6 nexthdr ipv6-icmp counter accept');
	assert.equal(withCounter('oifname vmap @filter-forward-in-jumps'), 'counter oifname vmap @filter-forward-in-jumps');
	assert.equal(withCounter('meta l4proto vmap { tcp : jump tcp-in, udp : goto udp-in }'), 'counter meta l4proto vmap { tcp : jump tcp-in, udp : goto udp-in }');
	assert.equal(withCounter('log prefix "in: " level info'), 'counter log prefix "in: " level info');
	assert.equal(withCounter('iifname "accept" tcp dport 22 accept comment "ssh"'), 'iifname "accept" tcp dport 22 counter accept comment "ssh"');
	assert.equal(withCounter('tcp dport 8080'), 'tcp dport 8080 counter');
});

test('the command names the family, table, chain and handle; none for an iptables rule', () => {
	assert.equal(
		addCounterCommand({name: 'fwtest', nftFamily: 'inet'}, 'input', {handle: 12, spec: 'ct state invalid drop'}),
		'nft replace rule inet fwtest input handle 12 ct state invalid counter drop',
	);
	assert.equal(addCounterCommand({name: 'filter'}, 'INPUT', {spec: '-p tcp -j ACCEPT'}), null);
});

test('a verdict map keyed by a concatenation keeps its whole key after the counter', () => {
	assert.equal(withCounter('ct state new ip saddr . tcp dport vmap @pairs'), 'ct state new counter ip saddr . tcp dport vmap @pairs');
	assert.equal(withCounter('tcp dport vmap @port_chains'), 'counter tcp dport vmap @port_chains');
});
