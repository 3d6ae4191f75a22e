import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {ruleId} from '../../source/core/identity.ts';
import type {RatedRule, RatedSample, Sample} from '../../source/core/model.ts';
import {IDLE, rateOf, rateSample, type RateState} from '../../source/core/rates.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';

function rules(sample: RatedSample, chain: string): RatedRule[] {
	return sample.tables[0]!.chains.find(item => item.name === chain)!.rules;
}

function dnat(sample: RatedSample): RatedRule {
	return rules(sample, 'DOCKER').find(rule => rule.target === 'DNAT')!;
}

function run(texts: Array<[string, number]>): RatedSample[] {
	let state: RateState | null = null;
	return texts.map(([text, at], i) => {
		const {rated, state: next} = rateSample(state, sampleFromSave(text, at, {seq: i + 1}));
		state = next;
		return rated;
	});
}

/** Both families at `at`: IPv4's DNAT with `v4` packets, IPv6's with `v6`; `carried` repeats the
 * IPv6 tables of `before` as the collector does for a family a focused read left out. */
function bothFamilies(v4: number, v6: number, at: number, before?: Sample): Sample {
	const ipv4 = sampleFromSave(dockerNat(v4), at, {family: 'ipv4'});
	const ipv6 = before ? before.tables.filter(table => table.family === 'ipv6') : sampleFromSave(dockerNat(v6), at, {family: 'ipv6'}).tables;
	return {...ipv4, tables: [...ipv4.tables, ...ipv6], ...(before ? {carried: ['ipv6' as const]} : {})};
}

const dnatOf = (sample: RatedSample, family: string): RatedRule =>
	sample.tables.find(table => table.family === family)!.chains.find(chain => chain.name === 'DOCKER')!.rules.find(rule => rule.target === 'DNAT')!;

describe('rates', () => {
	it('of a carried family stay as last rated, and its next read is rated over the time since the read before', () => {
		const read = bothFamilies(10, 0, 1000);
		const samples = [bothFamilies(0, 0, 0), read, bothFamilies(20, 0, 2000, read), bothFamilies(30, 0, 3000, read), bothFamilies(40, 40, 4000)];
		let state: RateState | null = null;
		const rated = samples.map(sample => {
			const result = rateSample(state, sample);
			state = result.state;
			return result.rated;
		});
		assert.deepEqual(rated.map(sample => dnatOf(sample, 'ipv4').packetsPerSecond), [null, 10, 10, 10, 10]);
		assert.equal(rated[2]!.tables.find(table => table.family === 'ipv6'), rated[1]!.tables.find(table => table.family === 'ipv6'), 'the same rated table');
		assert.deepEqual(rated[3]!.carried, ['ipv6']);
		// Read at 1000 ms, carried twice, read again at 4000 ms: 40 packets in 3 s.
		const ipv6 = dnatOf(rated[4]!, 'ipv6');
		assert.deepEqual([ipv6.deltaPackets, ipv6.packetsPerSecond, ipv6.status], [40n, 40 / 3, 'ok']);
	});

	it('are unknown on the first sample: null with status new, never 0', () => {
		const [first] = run([[dockerNat(5), 0]]);
		assert.equal(first!.elapsed, null);
		assert.deepEqual([dnat(first!).packetsPerSecond, dnat(first!).deltaPackets, dnat(first!).status], [null, null, 'new']);
	});

	it('are Δcounter / Δt between two samples, Δt from the monotonic clock', () => {
		const [, second] = run([[dockerNat(5), 1000], [dockerNat(15), 3000]]);
		assert.equal(second!.elapsed, 2);
		const rule = dnat(second!);
		assert.deepEqual([rule.deltaPackets, rule.deltaBytes, rule.packetsPerSecond, rule.bytesPerSecond, rule.status], [10n, 600n, 5, 300, 'ok']);
	});

	it('say reset, not a negative rate, when a counter goes down (iptables -Z)', () => {
		const [, second, third] = run([[dockerNat(50), 0], [dockerNat(2), 1000], [dockerNat(4), 2000]]);
		assert.deepEqual([dnat(second!).status, dnat(second!).packetsPerSecond, dnat(second!).deltaPackets], ['reset', null, null]);
		assert.deepEqual([dnat(third!).status, dnat(third!).packetsPerSecond], ['ok', 2]);
	});

	it('say stale when Δt ≤ 0', () => {
		const [, second] = run([[dockerNat(5), 1000], [dockerNat(6), 1000]]);
		assert.deepEqual([dnat(second!).status, dnat(second!).packetsPerSecond, dnat(second!).deltaPackets], ['stale', null, 1n]);
	});

	it('stay with their rule when a rule is inserted above it (Docker inserts at the top)', () => {
		const inserted = '[0:0] -A DOCKER -s 10.9.9.9/32 -j RETURN';
		const [first, second] = run([[dockerNat(5), 0], [dockerNat(8, {inserted}), 1000]]);
		assert.equal(dnat(first!).index, 2);
		assert.equal(dnat(second!).index, 3, 'moved down one place');
		assert.equal(dnat(second!).id, dnat(first!).id, 'same identity');
		assert.deepEqual([dnat(second!).deltaPackets, dnat(second!).status], [3n, 'ok']);
		const newcomer = rules(second!, 'DOCKER').find(rule => rule.source === '10.9.9.9')!;
		assert.deepEqual([newcomer.status, newcomer.packetsPerSecond], ['new', null]);
	});

	it('keep identical rules apart by occurrence, not position', () => {
		const text = (a: number, b: number) => `*filter\n:INPUT ACCEPT [0:0]\n[${a}:0] -A INPUT -j ACCEPT\n[${b}:0] -A INPUT -j ACCEPT\nCOMMIT\n`;
		const [, second] = run([[text(1, 100), 0], [text(2, 110), 1000]]);
		assert.deepEqual(rules(second!, 'INPUT').map(rule => rule.deltaPackets), [1n, 10n]);
		assert.notEqual(rules(second!, 'INPUT')[0]!.id, rules(second!, 'INPUT')[1]!.id);
	});

	it('forget a rule that disappeared: when it comes back it is new again', () => {
		const inserted = '[7:0] -A DOCKER -s 10.9.9.9/32 -j RETURN';
		const [, , third] = run([[dockerNat(5, {inserted}), 0], [dockerNat(5), 1000], [dockerNat(5, {inserted}), 2000]]);
		const back = rules(third!, 'DOCKER').find(rule => rule.source === '10.9.9.9')!;
		assert.equal(back.status, 'new');
	});

	it('give a user chain the traffic of the rules that jump to it, and a built-in chain its policy counters', () => {
		const [, second] = run([[dockerNat(5), 0], [dockerNat(9), 2000]]);
		const docker = second!.tables[0]!.chains.find(item => item.name === 'DOCKER')!;
		assert.deepEqual([docker.packets, docker.rate.deltaPackets, docker.rate.packetsPerSecond], [9n, 4n, 2]);
		const prerouting = second!.tables[0]!.chains.find(item => item.name === 'PREROUTING')!;
		assert.equal(prerouting.rate.status, 'ok');
		assert.equal(prerouting.packets, 0n);
	});

	it('never produce a negative delta or rate, whatever the counters do', () => {
		const values = [5, 3, 3, 100, 0, 7, 7, 2];
		const rated = run(values.map((value, i) => [dockerNat(value), i * 500]));
		for (const sample of rated) {
			const rule = dnat(sample);
			assert.ok(rule.deltaPackets === null || rule.deltaPackets >= 0n);
			assert.ok(rule.packetsPerSecond === null || rule.packetsPerSecond >= 0);
		}
	});
});

describe('rateOf', () => {
	it('treats a bytes-only decrease as a reset too', () => {
		assert.equal(rateOf({packets: 1n, bytes: 100n}, {packets: 2n, bytes: 50n}, 1).status, 'reset');
	});

	it('gives every idle counter the one shared, frozen idle rate, and a moving or stale one its own', () => {
		const idle = rateOf({packets: 5n, bytes: 300n}, {packets: 5n, bytes: 300n}, 2);
		assert.equal(idle, IDLE);
		assert.equal(rateOf({packets: 0n, bytes: 0n}, {packets: 0n, bytes: 0n}, 0.5), IDLE);
		assert.deepEqual({...IDLE}, {deltaPackets: 0n, deltaBytes: 0n, packetsPerSecond: 0, bytesPerSecond: 0, status: 'ok'});
		assert.ok(Object.isFrozen(IDLE));
		assert.deepEqual(rateOf({packets: 5n, bytes: 300n}, {packets: 5n, bytes: 300n}, 0), {deltaPackets: 0n, deltaBytes: 0n, packetsPerSecond: null, bytesPerSecond: null, status: 'stale'});
		assert.deepEqual(rateOf({packets: 5n, bytes: 300n}, {packets: 7n, bytes: 300n}, 2), {deltaPackets: 2n, deltaBytes: 0n, packetsPerSecond: 1, bytesPerSecond: 0, status: 'ok'});
	});

	it('a rated iptables rule reads its rate: idle rules of a sample share it', () => {
		const first = rateSample(null, sampleFromSave(dockerNat(3), 1000, {seq: 1}));
		const second = rateSample(first.state, sampleFromSave(dockerNat(3), 2000, {seq: 2}));
		const rules = second.rated.tables.flatMap(table => table.chains.flatMap(chain => chain.rules));
		assert.ok(rules.length > 2);
		for (const rule of rules) assert.deepEqual([rule.status, rule.deltaPackets, rule.packetsPerSecond], ['ok', 0n, 0]);
		assert.ok(rules.every(rule => (rule as RatedRule & {rate?: unknown}).rate === IDLE));
	});
});

describe('identity', () => {
	it('ids are short, stable and differ between chains', () => {
		assert.equal(ruleId('a'), ruleId('a'));
		assert.notEqual(ruleId('ipv4\u001Ffilter\u001FINPUT\u001F-j ACCEPT\u001F1'), ruleId('ipv4\u001Ffilter\u001FFORWARD\u001F-j ACCEPT\u001F1'));
		assert.match(ruleId('x'), /^[\da-z]{11}$/);
	});
});
