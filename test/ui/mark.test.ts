import assert from 'node:assert/strict';
import {test} from 'node:test';
import {headerLine, statusLine} from '../../source/ui/chrome.ts';
import {type Delta, deltaSince} from '../../source/ui/mark.ts';
import type {State} from '../../source/ui/state.ts';
import type {RatedSample, Sample} from '../../source/core/model.ts';
import {rateSample, type RateState} from '../../source/core/rates.ts';
import {focusOf} from '../../source/ui/hooks/use-source.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';
import {drive, labels} from './drive.ts';
import {DESCRIPTION, type RuleCounters, dockerSave, ratedRun} from './samples.ts';

// Mark and diff (`m`, `M`): the reducer without a renderer, time from a fake clock.

const base: RuleCounters = {
	'fwd-user': [100, 60_000], 'fwd-ct': [1000, 600_000], 'fwd-docker': [40, 2400],
	dnat80: [10, 600], dnat8080: [5, 300], accept80: [10, 600], drop: [2, 120], prerouting: [15, 900],
};
/** After the mark: FORWARD #1 +5 packets (+9,000 bytes), #2 +50 (+3,000), #3 +10 (+600); the
 * port-80 DNAT and ACCEPT +3; DNAT 8080 and DROP did not move. */
const after: RuleCounters = {
	...base,
	'fwd-user': [105, 69_000], 'fwd-ct': [1050, 603_000], 'fwd-docker': [50, 3000],
	dnat80: [13, 780], accept80: [13, 780], prerouting: [18, 1080],
};
const [before, marked, moved] = ratedRun([dockerSave(base), dockerSave(base), dockerSave(after)]);

const rules = (state: State, table: string, chain: string) =>
	state.sample!.tables.find(item => item.name === table)!.chains.find(item => item.name === chain)!.rules;

function deltaOf(state: State, table: string, chain: string, index: number): Delta {
	const rule = rules(state, table, chain)[index - 1]!;
	return deltaSince(state.mark!, rule.key, rule);
}

test('m marks the shown sample: Δ since then, sorted by Δ, rules that did not move hidden', () => {
	const driver = drive({table: 'filter', chain: 'FORWARD'}).sample(before!).sample(marked!);
	driver.keys('m');
	assert.ok(driver.state.mark !== null);
	assert.deepEqual(labels(driver.state), [], 'nothing has moved yet');
	driver.sample(moved!);
	assert.deepEqual(labels(driver.state), ['2 ACCEPT', '3 DOCKER', '1 DOCKER-USER'], 'largest Δpackets first');
	assert.deepEqual(deltaOf(driver.state, 'filter', 'FORWARD', 2), {status: 'ok', packets: 50n, bytes: 3000n});
	assert.match(statusLine(driver.state).map(part => part.text).join(''), /sort: Δ packets · unmoved hidden/);
});

test('s sorts the diff by Δ bytes and back; ties keep rule order', () => {
	const driver = drive({table: 'filter', chain: 'FORWARD'}).sample(marked!).keys('m').sample(moved!);
	driver.advance(10_000).keys('s');
	assert.equal(driver.state.mark?.sort, 'bytes');
	assert.deepEqual(labels(driver.state), ['1 DOCKER-USER', '2 ACCEPT', '3 DOCKER']);
	driver.keys('s');
	assert.deepEqual(labels(driver.state), ['2 ACCEPT', '3 DOCKER', '1 DOCKER-USER']);
	assert.equal(driver.state.sort, 'order', 'the sort of the live view is untouched');
	const tie = drive({table: 'nat', chain: 'DOCKER'}).sample(marked!).keys('m', 'i');
	tie.sample(ratedRun([dockerSave(base), dockerSave({...base, dnat80: [12, 720], dnat8080: [7, 420]})])[1]!);
	assert.deepEqual(labels(tie.state), ['1 DNAT', '2 DNAT'], 'equal Δ: rule order');
});

test('i shows the rules that did not move, after the movers; the path view folds them', () => {
	const driver = drive({table: 'nat', chain: 'DOCKER'}).sample(marked!).keys('m').sample(moved!);
	assert.deepEqual(labels(driver.state), ['1 DNAT']);
	driver.keys('i');
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT']);
	assert.equal(driver.state.hideIdle, false, 'the live view\'s idle flag is its own');
	driver.keys('i', 'escape', 'escape', 'v');
	const path = labels(driver.state);
	assert.ok(path.includes('rule ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80'));
	assert.ok(!path.some(name => name.includes('--dport 8080')), 'the 8080 DNAT did not move');
	assert.ok(path.includes('folded … 1 unmoved rule'));
});

test('the overview in a diff: chains whose rules moved, by Δ of their rule matches', () => {
	const driver = drive().sample(marked!).keys('m').sample(moved!);
	// Rule matches first (FORWARD 65; 3 each in filter DOCKER, nat DOCKER, nat PREROUTING), then the
	// chain's own counters break the tie (traffic entering filter DOCKER 10, nat DOCKER 3, the
	// PREROUTING policy 0); DOCKER-USER has no rules but 5 packets entered it.
	assert.deepEqual(labels(driver.state), ['filter FORWARD', 'filter DOCKER', 'nat DOCKER', 'nat PREROUTING', 'filter DOCKER-USER']);
});

test('m again moves the mark and keeps the diff\'s settings; M clears it', () => {
	const [, , third] = ratedRun([dockerSave(base), dockerSave(base), dockerSave({...after, dnat8080: [9, 540]})]);
	const driver = drive({table: 'nat', chain: 'DOCKER'}).sample(marked!).keys('m', 's').sample(moved!);
	driver.keys('m');
	assert.equal(driver.state.mark?.sort, 'bytes');
	assert.deepEqual(labels(driver.state), []);
	driver.sample(third!);
	assert.deepEqual(labels(driver.state), ['2 DNAT']);
	assert.deepEqual(deltaOf(driver.state, 'nat', 'DOCKER', 2), {status: 'ok', packets: 4n, bytes: 240n});
	driver.keys('M');
	assert.equal(driver.state.mark, null);
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT'], 'rule order, every row');
	assert.doesNotMatch(statusLine(driver.state).map(part => part.text).join(''), /Δ/);
});

test('a rule that appeared after the mark counts from 0 and is new; a counter that went down is reset', () => {
	const inserted = dockerSave(after).replace(/^(\[\d+:\d+\] -A DOCKER -d 172\.17\.0\.2\/32)/m, '[4:240] -A DOCKER -d 172.17.0.3/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 81 -j ACCEPT\n$1');
	const reset = inserted.replace(/^\[2:120\] (-A DOCKER ! -i docker0 -o docker0 -j DROP)/m, '[1:60] $1');
	const [, , next] = ratedRun([dockerSave(base), dockerSave(base), reset]);
	const driver = drive({table: 'filter', chain: 'DOCKER'}).sample(marked!).keys('m').sample(next!);
	assert.deepEqual(labels(driver.state), ['1 ACCEPT', '2 ACCEPT', '3 DROP'], 'new (4) and moved (3) by Δ, then the reset');
	assert.deepEqual(deltaOf(driver.state, 'filter', 'DOCKER', 1), {status: 'new', packets: 4n, bytes: 240n});
	assert.deepEqual(deltaOf(driver.state, 'filter', 'DOCKER', 2), {status: 'ok', packets: 3n, bytes: 180n});
	assert.deepEqual(deltaOf(driver.state, 'filter', 'DOCKER', 3), {status: 'reset', packets: 0n, bytes: 0n}, 'never negative');
});

test('z and m are separate: z zeroes the counters and keeps every row in rule order', () => {
	const driver = drive({table: 'nat', chain: 'DOCKER'}).sample(marked!).keys('z').sample(moved!);
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT']);
	assert.equal(driver.state.mark, null);
	driver.keys('m', 'M');
	assert.ok(driver.state.baseline !== null, 'M leaves the z baseline');
	assert.match(statusLine(driver.state).map(part => part.text).join(''), /counters since/);
});

test('the header says how long ago the mark was set, by the monotonic clock', () => {
	const driver = drive().sample(marked!).advance(500).keys('m').sample(moved!, 11_500);
	const text = headerLine(driver.state, DESCRIPTION, driver.now + 1000).map(part => part.text).join('');
	assert.match(text, / · mark 12s ago$/);
	assert.match(headerLine(driver.state, DESCRIPTION, driver.now + 1000, 80).map(part => part.text).join(''), /mark 12s ago/, 'kept at 80 columns');
	assert.equal(drive().keys('m').state.mark, null, 'no mark before the first sample');
});

test('a mark on a sample that only carried IPv6 takes IPv6 from the next read of it, and asks for every family till then', () => {
	const v4 = (packets: number, at: number) => sampleFromSave(dockerNat(packets), at, {family: 'ipv4'});
	const v6 = (packets: number, at: number) => sampleFromSave(dockerNat(packets), at, {family: 'ipv6'}).tables;
	const read6 = v6(100, 0);
	const samples: Sample[] = [
		{...v4(1, 0), tables: [...v4(1, 0).tables, ...read6]},
		{...v4(2, 1000), tables: [...v4(2, 1000).tables, ...read6], carried: ['ipv6']},
		{...v4(3, 2000), tables: [...v4(3, 2000).tables, ...v6(130, 2000)]},
		{...v4(4, 3000), tables: [...v4(4, 3000).tables, ...v6(170, 3000)]},
	];
	let state: RateState | null = null;
	const rated = samples.map(sample => {
		const result = rateSample(state, sample);
		state = result.state;
		return result.rated;
	});
	const dnat = (sample: RatedSample, family: string) => sample.tables.find(table => table.family === family)!.chains
		.find(chain => chain.name === 'DOCKER')!.rules.find(rule => rule.target === 'DNAT')!;
	const driver = drive({}).sample(rated[0]!).sample(rated[1]!).keys('m');
	assert.deepEqual(driver.state.mark?.pending, ['ipv6']);
	assert.equal(focusOf(driver.state), 'all', 'the next read reads IPv6');
	assert.equal(driver.state.mark!.counters.has(dnat(rated[1]!, 'ipv6').key), false, 'not the counters of a read before the mark');
	driver.sample(rated[2]!);
	assert.equal(driver.state.mark?.pending, undefined);
	assert.equal(focusOf(driver.state), 'ipv4');
	driver.sample(rated[3]!);
	const rule = dnat(rated[3]!, 'ipv6');
	// 130 packets at the read after the mark, 170 now: 40 since, not the 70 since the carried read.
	assert.deepEqual(deltaSince(driver.state.mark!, rule.key, rule), {status: 'ok', packets: 40n, bytes: 2400n});
	assert.deepEqual(deltaSince(driver.state.mark!, dnat(rated[3]!, 'ipv4').key, dnat(rated[3]!, 'ipv4')), {status: 'ok', packets: 2n, bytes: 120n});
});
