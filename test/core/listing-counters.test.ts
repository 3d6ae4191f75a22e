// parseCounter and protocolName, the two small helpers of the listing parser.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseCounter} from '../../source/core/counters.ts';
import {ParseError} from '../../source/core/parse-error.ts';
import {protocolName} from '../../source/core/protocols.ts';

test('exact counters are BigInt, beyond 2^53 and up to 2^64-1', () => {
	assert.deepEqual(parseCounter('0'), {value: 0n, approximate: false});
	assert.deepEqual(parseCounter('99999'), {value: 99_999n, approximate: false});
	assert.deepEqual(parseCounter('9007199254740993'), {value: 9_007_199_254_740_993n, approximate: false});
	assert.deepEqual(parseCounter('18446744073709551615'), {value: 18_446_744_073_709_551_615n, approximate: false});
});

test('K/M/G/T are powers of 1000 and approximate (xtables_print_num)', () => {
	assert.deepEqual(parseCounter('100K'), {value: 100_000n, approximate: true});
	assert.deepEqual(parseCounter('1294M'), {value: 1_294_000_000n, approximate: true});
	assert.deepEqual(parseCounter('123G'), {value: 123_000_000_000n, approximate: true});
	assert.deepEqual(parseCounter('9007T'), {value: 9_007_000_000_000_000n, approximate: true});
	assert.deepEqual(parseCounter('0K'), {value: 0n, approximate: true});
});

test('garbage counters throw ParseError', () => {
	for (const bad of ['', '-1', '1.5K', '12Q', 'K', '1k', ' 1', '0x10', '18446744073709551616', '1'.repeat(21)]) {
		assert.throws(() => parseCounter(bad), ParseError, JSON.stringify(bad));
	}
});

test('protocol numbers become names, names and unknown numbers stay', () => {
	const cases: Record<string, string> = {
		0: 'all', 1: 'icmp', 2: 'igmp', 4: 'ipencap', 6: 'tcp', 17: 'udp', 33: 'dccp', 41: 'ipv6', 47: 'gre', 50: 'esp',
		51: 'ah', 58: 'ipv6-icmp', 94: 'ipip', 108: 'ipcomp', 132: 'sctp', 135: 'mobility-header', 136: 'udplite',
		143: 'ethernet', 200: '200', 255: '255',
		tcp: 'tcp', all: 'all', gre: 'gre', 'ipv6-icmp': 'ipv6-icmp', icmpv6: 'ipv6-icmp', 'ipv6-mh': 'mobility-header',
		'!6': '!tcp', '!tcp': '!tcp', '!58': '!ipv6-icmp', '!icmpv6': '!ipv6-icmp', '!200': '!200',
	};
	for (const [raw, name] of Object.entries(cases)) {
		assert.equal(protocolName(raw), name, raw);
	}
});
