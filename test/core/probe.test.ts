import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {EXPLANATIONS} from '../../source/core/explain.ts';
import type {Sample} from '../../source/core/model.ts';
import {probeDiff, type ProbeRow} from '../../source/core/probe.ts';
import {sampleFromSave} from '../helpers/samples.ts';

// A Docker-27-shaped host (nat DNAT, filter FORWARD → DOCKER-USER, DOCKER) with an ORPHAN chain
// that no hook reaches. Counters are given per rule name; everything else is [0:0].

type Counts = Record<string, [number, number]>;

const RULES: Array<[string, string, string]> = [
	['nat', 'pre', '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER'],
	['nat', 'out', '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER'],
	['nat', 'return', '-A DOCKER -i docker0 -j RETURN'],
	['nat', 'dnat', '-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80'],
	['nat', 'masq', '-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE'],
	['filter', 'user', '-A FORWARD -j DOCKER-USER'],
	['filter', 'ct', '-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
	['filter', 'jump', '-A FORWARD -o docker0 -j DOCKER'],
	['filter', 'leave', '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT'],
	['filter', 'accept', '-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT'],
	['filter', 'userReturn', '-A DOCKER-USER -j RETURN'],
	['filter', 'orphan', '-A ORPHAN -p udp -j ACCEPT'],
];

const CHAINS: Record<string, string[]> = {
	nat: [':PREROUTING ACCEPT', ':OUTPUT ACCEPT', ':POSTROUTING ACCEPT', ':DOCKER -'],
	filter: [':INPUT ACCEPT', ':FORWARD DROP', ':OUTPUT ACCEPT', ':DOCKER -', ':DOCKER-USER -', ':ORPHAN -'],
};

function dump(counts: Counts, policies: Counts = {}, extra: string[] = []): string {
	const lines: string[] = [];
	for (const table of ['nat', 'filter']) {
		lines.push(`*${table}`);
		for (const chain of CHAINS[table]!) {
			const [packets, bytes] = policies[`${table} ${chain.split(' ')[0]!.slice(1)}`] ?? [0, 0];
			lines.push(`${chain} [${packets}:${bytes}]`);
		}

		for (const [ruleTable, name, text] of RULES) {
			if (ruleTable !== table) continue;
			const [packets, bytes] = counts[name] ?? [0, 0];
			lines.push(`[${packets}:${bytes}] ${text}`);
		}

		if (table === 'filter') lines.push(...extra);
		lines.push('COMMIT');
	}

	return lines.join('\n') + '\n';
}

const sample = (text: string, at: number): Sample => sampleFromSave(text, at);

/** One curl through the DNAT: what the lab measures for a Docker 27 host. */
const CURL: Counts = {pre: [1, 60], dnat: [1, 60], user: [10, 777], userReturn: [10, 777], ct: [4, 284], jump: [1, 60], accept: [1, 60], leave: [5, 433]};

const summary = (rows: ProbeRow[]): string[] =>
	rows.map(row => `${row.hook ?? '-'} ${'  '.repeat(row.depth)}${row.table} ${row.chain} ${row.kind === 'policy' ? 'policy' : `#${row.index!}`} Δ${row.deltaPackets}/${row.deltaBytes}${row.certain ? ' certain' : ''}`);

describe('probeDiff', () => {
	test('lists the rules that moved, in path order with jumps in place, with exact deltas', () => {
		const base: Counts = {pre: [100, 6000], dnat: [100, 6000], user: [5000, 400_000], userReturn: [5000, 400_000]};
		const after: Counts = Object.fromEntries(Object.entries(CURL).map(([name, [p, b]]) => [name, [p + (base[name]?.[0] ?? 0), b + (base[name]?.[1] ?? 0)]]));
		const diff = probeDiff(sample(dump(base), 1000), sample(dump(after), 1500), {repeat: 1});
		assert.equal(diff.elapsed, 0.5);
		assert.deepEqual(summary(diff.rows), [
			'PREROUTING nat PREROUTING #1 Δ1/60 certain',
			'PREROUTING   nat DOCKER #2 Δ1/60 certain',
			'FORWARD filter FORWARD #1 Δ10/777 certain',
			'FORWARD   filter DOCKER-USER #1 Δ10/777 certain',
			'FORWARD filter FORWARD #2 Δ4/284 certain',
			'FORWARD filter FORWARD #3 Δ1/60 certain',
			'FORWARD   filter DOCKER #1 Δ1/60 certain',
			'FORWARD filter FORWARD #4 Δ5/433 certain',
		]);
		const dnat = diff.rows[1]!;
		assert.equal(dnat.target, 'DNAT');
		assert.equal(dnat.spec, '! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80');
		assert.match(dnat.id!, /^[\da-z]{11}$/);
	});

	test('certain: Δpackets ≥ the number of runs; the rest is background', () => {
		const diff = probeDiff(sample(dump({}), 0), sample(dump({pre: [5, 300], dnat: [5, 300], user: [60, 5000], ct: [2, 100]}), 1000), {repeat: 5});
		assert.deepEqual(diff.rows.map(row => [row.chain, row.index, row.certain]), [
			['PREROUTING', 1, true],
			['DOCKER', 2, true],
			['FORWARD', 1, true],
			['FORWARD', 2, false],
		]);
	});

	test('a jump that did not move hides its chain there: the rule shows where a moving jump leads', () => {
		// nat DOCKER is reached from PREROUTING (idle here) and OUTPUT (a local curl).
		const diff = probeDiff(sample(dump({}), 0), sample(dump({out: [1, 60], dnat: [1, 60]}), 1000), {repeat: 1});
		assert.deepEqual(summary(diff.rows), ['OUTPUT nat OUTPUT #1 Δ1/60 certain', 'OUTPUT   nat DOCKER #2 Δ1/60 certain']);
	});

	test('moved policies are rows of their own; chains no hook reaches come last', () => {
		const diff = probeDiff(sample(dump({}), 0), sample(dump({orphan: [3, 200]}, {'filter FORWARD': [2, 120]}), 1000), {repeat: 1});
		assert.deepEqual(summary(diff.rows), ['FORWARD filter FORWARD policy Δ2/120 certain', '- filter ORPHAN #1 Δ3/200 certain']);
		const policy = diff.rows[0]!;
		assert.deepEqual([policy.kind, policy.target, policy.id, policy.index, policy.spec], ['policy', 'DROP', null, null, '']);
	});

	test('nothing moved: no rows and a note that says so', () => {
		const diff = probeDiff(sample(dump(CURL), 0), sample(dump(CURL), 1000), {repeat: 1});
		assert.deepEqual(diff.rows, []);
		assert.ok(diff.notes.some(note => /No rule's counters moved/.test(note)));
	});

	test('a counter that went down is unknown (noted), a rule added in between counts from zero', () => {
		const added = '[7:420] -A DOCKER-USER -s 198.51.100.2/32 -j RETURN';
		const diff = probeDiff(sample(dump({user: [50, 5000]}), 0), sample(dump({user: [3, 300]}, {}, [added]), 1000), {repeat: 1});
		assert.deepEqual(summary(diff.rows), ['FORWARD   filter DOCKER-USER #2 Δ7/420 certain']);
		assert.ok(diff.notes.some(note => /went down during the probe.*filter FORWARD #1/.test(note)), diff.notes.join('\n'));
		assert.ok(diff.notes.some(note => /1 of these rules appeared during the probe/.test(note)));
	});

	test('notes explain nat and the DNAT that bypasses INPUT once each, only when such rules moved', () => {
		const curl = probeDiff(sample(dump({}), 0), sample(dump(CURL), 1000), {repeat: 1});
		assert.deepEqual(curl.notes.filter(note => note === EXPLANATIONS['nat-first-packet']).length, 1);
		assert.ok(curl.notes.includes(EXPLANATIONS['dnat-bypasses-input']));
		const filterOnly = probeDiff(sample(dump({}), 0), sample(dump({user: [1, 60]}), 1000), {repeat: 1});
		assert.ok(!filterOnly.notes.includes(EXPLANATIONS['nat-first-packet']));
		assert.ok(!filterOnly.notes.includes(EXPLANATIONS['dnat-bypasses-input']));
	});

	test('iptables-nft ≤1.8.9 with a DROP policy and no policy counting anything: the drop would be invisible, say so', () => {
		const silent = probeDiff(sample(dump({}), 0), sample(dump({user: [1, 60]}), 1000), {repeat: 1});
		assert.ok(silent.notes.includes(EXPLANATIONS['nft-policy-uncounted']));
		const counting = probeDiff(sample(dump({}), 0), sample(dump({}, {'filter INPUT': [12, 900]}), 1000), {repeat: 1});
		assert.ok(!counting.notes.includes(EXPLANATIONS['nft-policy-uncounted']), 'policies that count are evidence enough');
	});

	test('a split host and the collector\'s warnings become notes', () => {
		const after = {...sample(dump({user: [1, 60]}), 1000), warnings: ['Warning: iptables-legacy tables present, use iptables-legacy to see them (or run fwtop --backend legacy)', 'ip6tables not found: showing IPv4 only']};
		const diff = probeDiff(sample(dump({}), 0), after, {repeat: 1});
		assert.ok(diff.notes.includes(EXPLANATIONS['split-host']));
		assert.ok(diff.notes.includes('ip6tables not found: showing IPv4 only'));
		assert.ok(!diff.notes.some(note => note.startsWith('Warning: iptables-legacy')), 'the banner replaces the raw warning');
	});

	test('IPv4 rows come before IPv6 rows, each family in its own path order', () => {
		const v6 = (text: string, at: number): Sample => sampleFromSave(text, at, {family: 'ipv6'});
		const both = (text4: string, text6: string, at: number): Sample => {
			const four = sample(text4, at);
			return {...four, tables: [...four.tables, ...v6(text6, at).tables]};
		};

		const six = '*filter\n:FORWARD ACCEPT [0:0]\n[N] -A FORWARD -j ACCEPT\nCOMMIT\n';
		const diff = probeDiff(both(dump({}), six.replace('N', '0:0'), 0), both(dump({user: [1, 60]}), six.replace('N', '2:160'), 1000), {repeat: 1});
		assert.deepEqual(diff.rows.map(row => `${row.family} ${row.chain} #${row.index!}`), ['ipv4 FORWARD #1', 'ipv6 FORWARD #1']);
	});
});
