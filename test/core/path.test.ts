import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {buildPath, chainReferences, type PathKind, type PathOptions, type PathRow} from '../../source/core/path.ts';
import {findRule, outline, ratedSample, ratedTables, type RatedSampleOptions} from '../helpers/rated-sample.ts';

const EVERY_TABLE = ['raw', 'mangle', 'nat', 'filter', 'security']
	.map((table) => `*${table}\n${['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].map((hook) => `:${hook} ACCEPT [0:0]`).join('\n')}\nCOMMIT`)
	.join('\n');

const path = (text: string, options: Partial<PathOptions> = {}, sample: RatedSampleOptions = {}): PathRow[] =>
	buildPath(ratedSample(text, sample), {family: 'ipv4', kind: 'all', hideIdle: false, ...options});

const chainRows = (rows: PathRow[]): string[] =>
	rows.filter((row) => row.kind === 'hook' || row.kind === 'chain').map((row) => (row.kind === 'hook' ? row.hook! : `${row.table!}:${row.chain!}`));

const assertUniqueKeys = (rows: PathRow[]): void => assert.equal(new Set(rows.map((row) => row.key)).size, rows.length);

describe('hook and table order', () => {
	const expected: Record<PathKind, string[]> = {
		incoming: ['PREROUTING', 'raw:PREROUTING', 'mangle:PREROUTING', 'nat:PREROUTING', 'INPUT', 'mangle:INPUT', 'filter:INPUT', 'security:INPUT', 'nat:INPUT'],
		forward: ['PREROUTING', 'raw:PREROUTING', 'mangle:PREROUTING', 'nat:PREROUTING', 'FORWARD', 'mangle:FORWARD', 'filter:FORWARD', 'security:FORWARD', 'POSTROUTING', 'mangle:POSTROUTING', 'nat:POSTROUTING'],
		outgoing: ['OUTPUT', 'raw:OUTPUT', 'mangle:OUTPUT', 'nat:OUTPUT', 'filter:OUTPUT', 'security:OUTPUT', 'POSTROUTING', 'mangle:POSTROUTING', 'nat:POSTROUTING'],
		all: [],
	};
	expected.all = [...expected.incoming, ...expected.forward.slice(4, 8), ...expected.outgoing];

	for (const kind of Object.keys(expected) as PathKind[]) {
		test(`${kind}: hooks in order, each with its tables in priority order`, () => {
			const rows = path(EVERY_TABLE, {kind});
			assert.deepEqual(chainRows(rows), expected[kind]);
			assertUniqueKeys(rows);
		});
	}

	test('all: the routing branches are labelled', () => {
		const notes = path(EVERY_TABLE).filter((row) => row.kind === 'note' && row.depth === 0).map((row) => row.label);
		assert.deepEqual(notes, [
			'routing decision: addressed to this host → INPUT',
			'routing decision: addressed elsewhere → FORWARD',
			'packets this host sends start here, after their own routing decision',
		]);
	});

	test('skips chains and tables the sample does not have, and the other family', () => {
		const text = '*filter\n:INPUT DROP [0:0]\nCOMMIT';
		const tables = [...ratedTables(text), ...ratedTables('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\nCOMMIT', {family: 'ipv6'})];
		const rows = buildPath({tables}, {family: 'ipv4', kind: 'forward', hideIdle: false});
		assert.deepEqual(chainRows(rows), ['PREROUTING', 'FORWARD', 'POSTROUTING']);
	});

	test('puts Docker 29\'s nftables chains next to the iptables table of the same priority', () => {
		const nft = '*docker-bridges\n:raw-PREROUTING ACCEPT [0:0]\n:nat-PREROUTING ACCEPT [0:0]\n:filter-FORWARD ACCEPT [0:0]\n:nat-POSTROUTING ACCEPT [0:0]\nCOMMIT';
		const rows = path(`${EVERY_TABLE}\n${nft}`, {kind: 'forward'});
		assert.deepEqual(chainRows(rows).filter((name) => /raw|nat|filter/.test(name)), [
			'raw:PREROUTING', 'docker-bridges:raw-PREROUTING', 'nat:PREROUTING', 'docker-bridges:nat-PREROUTING',
			'filter:FORWARD', 'docker-bridges:filter-FORWARD', 'nat:POSTROUTING', 'docker-bridges:nat-POSTROUTING',
		]);
		assert.equal(rows.filter((row) => row.kind === 'note' && row.table === 'docker-bridges').length, 2);
	});
});

const CHAINS = `*filter
:INPUT DROP [7:700]
:WEB - [0:0]
:LOG_DROP - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 80 -j WEB
-A INPUT -p tcp -m tcp --dport 443 -g WEB
-A INPUT -j LOG_DROP
-A WEB -s 10.0.0.0/8 -j ACCEPT
-A WEB -j DROP
-A LOG_DROP -j LOG
COMMIT`;

describe('rows of a chain', () => {
	test('base chain header, rules, jumps expanded inline, return rows and the policy', () => {
		const rows = path(CHAINS, {kind: 'incoming'}, {rates: {'filter INPUT 2': 3, 'filter WEB 1': 3, 'filter INPUT policy': 1}});
		assert.deepEqual(outline(rows).slice(3), [
			'  chain filter INPUT',
			'    INPUT#1 ACCEPT 0/s',
			'    INPUT#2 WEB 3/s',
			'      WEB#1 ACCEPT 3/s',
			'      WEB#2 DROP 0/s',
			'      return end of WEB: back to INPUT',
			'    INPUT#3 WEB 0/s',
			'      WEB#1 ACCEPT 3/s',
			'      WEB#2 DROP 0/s',
			"      return end of WEB: reached by goto, so INPUT's policy applies",
			'    INPUT#4 LOG_DROP 0/s',
			'      LOG_DROP#1 LOG 0/s',
			'      return end of LOG_DROP: back to INPUT',
			'    policy policy DROP',
		]);
		const policy = rows.find((row) => row.kind === 'policy')!;
		assert.equal(policy.chainRef?.policyPackets, 8n);
		assert.equal(policy.chainRef?.rate.packetsPerSecond, 1);
		const jump = rows.find((row) => row.rule?.target === 'WEB')!;
		assert.equal(jump.chainRef?.name, 'WEB');
		assert.equal(jump.chain, 'INPUT');
		assertUniqueKeys(rows);
	});

	test('keys do not depend on rule positions or rates', () => {
		const before = path(CHAINS, {}, {defaultRate: 0});
		const inserted = CHAINS.replace('-A INPUT -i lo', '-A INPUT -s 192.0.2.1 -j DROP\n-A INPUT -i lo');
		const after = path(inserted, {}, {defaultRate: 5});
		const keysAfter = new Set(after.map((row) => row.key));
		assert.ok(before.every((row) => keysAfter.has(row.key)));
		assert.equal(after.length, before.length + 1);
	});

	test('a nat chain gets one first-packet note', () => {
		const rows = path('*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -j DOCKER\n-A DOCKER -j RETURN\nCOMMIT');
		const notes = rows.filter((row) => row.kind === 'note' && row.table === 'nat');
		assert.equal(notes.length, 1);
		assert.match(notes[0]!.label, /first packet/);
	});
});

describe('hiding idle rules', () => {
	const text = '*filter\n:INPUT ACCEPT [0:0]\n:SUB - [0:0]\n' +
		['-s 10.0.0.1', '-s 10.0.0.2', '-s 10.0.0.3', '-s 10.0.0.4', '-s 10.0.0.5'].map((match) => `-A INPUT ${match} -j ACCEPT`).join('\n') +
		'\n-A INPUT -j SUB\n-A SUB -s 10.0.0.6 -j DROP\n-A SUB -j LOG\nCOMMIT';
	const rules = (rows: PathRow[]): string[] => outline(rows).slice(4, -1);

	test('folds each run of idle rules into one row, never a rule with traffic', () => {
		const rows = path(text, {kind: 'incoming', hideIdle: true}, {rates: {'filter INPUT 3': 2}});
		assert.deepEqual(rules(rows), ['    folded … 2 idle rules', '    INPUT#3 ACCEPT 2/s', '    folded … 3 idle rules']);
		assert.equal(rows.find((row) => row.kind === 'folded')?.foldedCount, 2);
		assertUniqueKeys(rows);
	});

	test('an unknown rate counts as idle, unless the chain below it has traffic', () => {
		const rows = path(text, {kind: 'incoming', hideIdle: true}, {defaultRate: null, rates: {'filter SUB 2': 4}});
		assert.deepEqual(rules(rows), [
			'    folded … 5 idle rules',
			'    INPUT#6 SUB –/s',
			'      folded … 1 idle rule',
			'      SUB#2 LOG 4/s',
			'      return end of SUB: back to INPUT',
		]);
	});

	test('drops base chains with no rules and policy ACCEPT, keeps DROP ones', () => {
		const rows = path('*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT', {hideIdle: true});
		assert.deepEqual(chainRows(rows), ['PREROUTING', 'INPUT', 'FORWARD', 'filter:FORWARD', 'OUTPUT', 'POSTROUTING']);
	});
});

describe('guards against hostile rulesets', () => {
	test('a loop A → B → A is shown once and noted', () => {
		const rows = path('*filter\n:INPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -j A\n-A B -g B\nCOMMIT', {kind: 'incoming'});
		assert.deepEqual(outline(rows).slice(4, -1), [
			'    INPUT#1 A 0/s',
			'      A#1 B 0/s',
			'        B#1 A 0/s',
			'          note ↺ A is already being followed above (a loop); not expanded again',
			'        B#2 B 0/s',
			'          note ↺ B is already being followed above (a loop); not expanded again',
			'        return end of B: back to A',
			'      return end of A: back to INPUT',
		]);
		assertUniqueKeys(rows);
	});

	test('nesting stops at maxDepth (default 8)', () => {
		const depth = 12;
		const names = Array.from({length: depth}, (_, i) => `C${i}`);
		const text = `*filter\n:INPUT ACCEPT [0:0]\n${names.map((name) => `:${name} - [0:0]`).join('\n')}\n-A INPUT -j C0\n` +
			names.slice(0, -1).map((name, i) => `-A ${name} -j C${i + 1}`).join('\n') + '\nCOMMIT';
		const deepest = (rows: PathRow[]): string[] => rows.filter((row) => row.label.includes('not expanded')).map((row) => row.label);
		assert.deepEqual(deepest(path(text)), ['… C8 not expanded: deeper than 8 chains']);
		assert.deepEqual(deepest(path(text, {maxDepth: 2})), ['… C2 not expanded: deeper than 2 chains']);
	});

	test('fan-out is cut short at maxRows', () => {
		// 20 rules each jumping to a chain of 20 rules each jumping to a chain of 20 rules…
		const levels = ['L0', 'L1', 'L2', 'L3', 'L4'];
		const text = `*filter\n:INPUT ACCEPT [0:0]\n${levels.map((name) => `:${name} - [0:0]`).join('\n')}\n-A INPUT -j L0\n` +
			levels.slice(0, -1).flatMap((name, i) => Array.from({length: 20}, (_, n) => `-A ${name} -s 10.0.${i}.${n} -j L${i + 1}`)).join('\n') + '\nCOMMIT';
		const rows = path(text, {kind: 'incoming', maxRows: 1000});
		assert.ok(rows.length < 3000, `${rows.length} rows`);
		assert.equal(rows.at(-1)!.label, '… path cut short after 1000 rows');
		assertUniqueKeys(rows);
	});
});

test('chainReferences lists the rules that jump or go to a chain', () => {
	const tables = ratedTables(CHAINS);
	const references = chainReferences(tables[0]!, 'WEB');
	assert.deepEqual(references.map(({chain, rule}) => `${chain}#${rule.index}${rule.goto ? ' goto' : ''}`), ['INPUT#2', 'INPUT#3 goto']);
	assert.equal(references[0]!.rule, findRule(tables, 'filter', 'INPUT', 2));
	assert.deepEqual(chainReferences(tables[0]!, 'NOSUCH'), []);
});
