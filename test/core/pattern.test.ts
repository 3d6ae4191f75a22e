import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {containsWord, describeScope, matchingRules, parsePattern, resolvePattern, scopeMatches} from '../../source/core/pattern.ts';
import {listingWords, ruleText} from '../../source/core/rule-text.ts';
import {parseListing} from '../../source/core/parse-listing.ts';
import {parseSave} from '../../source/core/parse-save.ts';

const SAVE = `*nat
:PREROUTING ACCEPT [0:0]
:DOCKER - [0:0]
[1:60] -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
[0:0] -A DOCKER -i docker0 -j RETURN
[1:60] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80
[0:0] -A DOCKER ! -i br-0123456789ab -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
COMMIT
*filter
:FORWARD DROP [0:0]
:DOCKER - [0:0]
:ufw-user-input - [0:0]
[0:0] -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
[0:0] -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
[0:0] -A ufw-user-input -p tcp -m tcp --dport 22 -m comment --comment "SSH from the office" -j ACCEPT
[0:0] -A ufw-user-input -p udp -m multiport --dports 60000:61000 -j ACCEPT
COMMIT
`;

const tables = parseSave(SAVE, {family: 'ipv4'}).tables.map(table => ({...table, family: 'ipv4' as const}));
const found = (pattern: string): string[] =>
	matchingRules(parsePattern(pattern), tables).map(match => `${match.table} ${match.chain} #${match.rule.index}`);

describe('parsePattern', () => {
	const cases: Array<[string, {table: string | null; head: string | null; rest: string; body: string}]> = [
		['nat/DOCKER:to:172.17.0.2:80', {table: 'nat', head: 'DOCKER', rest: 'to:172.17.0.2:80', body: 'DOCKER:to:172.17.0.2:80'}],
		['DOCKER:dpt:80', {table: null, head: 'DOCKER', rest: 'dpt:80', body: 'DOCKER:dpt:80'}],
		[':172.17.0.2', {table: null, head: null, rest: '172.17.0.2', body: '172.17.0.2'}],
		['nat/', {table: 'nat', head: null, rest: '', body: ''}],
		['NAT/DOCKER:', {table: 'nat', head: 'DOCKER', rest: '', body: 'DOCKER:'}],
		['docker0', {table: null, head: null, rest: 'docker0', body: 'docker0'}],
		['172.17.0.0/16', {table: null, head: null, rest: '172.17.0.0/16', body: '172.17.0.0/16'}],
		['tcp/udp', {table: null, head: null, rest: 'tcp/udp', body: 'tcp/udp'}],
		['ctstate RELATED:x', {table: null, head: null, rest: 'x', body: 'ctstate RELATED:x'}],
		['  filter/FORWARD:docker0  ', {table: 'filter', head: 'FORWARD', rest: 'docker0', body: 'FORWARD:docker0'}],
	];
	for (const [text, expected] of cases) {
		test(JSON.stringify(text), () => {
			const {table, head, rest, body} = parsePattern(text);
			assert.deepEqual({table, head, rest, body}, expected);
		});
	}
});

describe('resolvePattern and matching', () => {
	test('the issue\'s example: nat/DOCKER:to:172.17.0.2:80 finds the DNAT by its listing-style text', () => {
		assert.deepEqual(found('nat/DOCKER:to:172.17.0.2:80'), ['nat DOCKER #2']);
	});

	test('CHAIN:TEXT spans tables: DOCKER:dpt:80 is the nat DNAT and the filter ACCEPT, not dpt:8080', () => {
		assert.deepEqual(found('DOCKER:dpt:80'), ['nat DOCKER #2', 'filter DOCKER #1']);
	});

	test('text only: a leading colon, or a head that names no chain', () => {
		assert.deepEqual(found(':172.17.0.2'), ['nat DOCKER #2', 'filter DOCKER #1']);
		assert.deepEqual(found('dpt:80'), ['nat DOCKER #2', 'filter DOCKER #1']);
		assert.deepEqual(found('to:172.18.0.2:80'), ['nat DOCKER #3']);
		assert.deepEqual(resolvePattern(parsePattern('dpt:80'), tables), {table: null, chain: null, words: ['dpt:80']});
	});

	test('a table alone selects all its rules; a chain alone all of its rules', () => {
		assert.deepEqual(found('nat/'), ['nat PREROUTING #1', 'nat DOCKER #1', 'nat DOCKER #2', 'nat DOCKER #3']);
		assert.deepEqual(found('filter/DOCKER:'), ['filter DOCKER #1']);
	});

	test('case-insensitive chains and text; every word must occur', () => {
		assert.deepEqual(found('docker:DNAT 8080'), ['nat DOCKER #3']);
		assert.deepEqual(found('ufw-user-input:ssh office'), ['filter ufw-user-input #1']);
		assert.deepEqual(found(':ctstate related,established'), ['filter FORWARD #1']);
		assert.deepEqual(found(':dports 60000:61000'), ['filter ufw-user-input #2']);
		assert.deepEqual(found(':dst-type local'), ['nat PREROUTING #1']);
	});

	test('interfaces as shown (!docker0), and in:/out: prefixes', () => {
		assert.deepEqual(found('nat/:!docker0'), ['nat DOCKER #2']);
		assert.deepEqual(found(':out:docker0'), ['filter FORWARD #1', 'filter DOCKER #1']);
	});

	test('a pattern that selects nothing', () => {
		assert.deepEqual(found('nat/DOCKER:dpt:443'), []);
		assert.deepEqual(found('raw/'), []);
		assert.equal(describeScope(resolvePattern(parsePattern('nat/DOCKER:to:1.2.3.4 tcp'), tables)), 'nat DOCKER rules containing "to:1.2.3.4" and "tcp"');
		assert.equal(describeScope(resolvePattern(parsePattern('nat/'), tables)), 'nat rules');
	});

	test('listing-sourced rules match the same patterns', () => {
		const listing = [
			'Chain DOCKER (2 references)',
			'    pkts      bytes target     prot opt in     out     source               destination         ',
			'       1       60 DNAT       6    --  !docker0 *       0.0.0.0/0            0.0.0.0/0            tcp dpt:80 to:172.17.0.2:80',
			'',
		].join('\n');
		const dump = parseListing(listing, {family: 'ipv4', table: 'nat'});
		const rule = dump.tables[0]!.chains[0]!.rules[0]!;
		const scope = resolvePattern(parsePattern('nat/DOCKER:to:172.17.0.2:80'), dump.tables);
		assert.equal(scopeMatches(scope, 'nat', 'DOCKER', rule), true);
		assert.equal(scopeMatches(resolvePattern(parsePattern('DOCKER:dpt:80 tcp'), dump.tables), 'nat', 'DOCKER', rule), true);
	});
});

describe('rule text', () => {
	test('save options rendered as iptables -L -n prints them', () => {
		assert.equal(listingWords('-m tcp --dport 80 --to-destination 172.17.0.2:80'), 'dpt:80 to:172.17.0.2:80');
		assert.equal(listingWords('-m tcp ! --dport 1000:2000 -m conntrack --ctstate NEW'), 'dpts:!1000:2000 ctstate NEW');
		assert.equal(listingWords('-m udp --sport 53 --to-source 10.0.0.1 --to-ports 8080'), 'spt:53 to:10.0.0.1 ports 8080');
		assert.equal(listingWords('-m comment --comment "--dport 9"'), '');
		assert.equal(listingWords('tcp dpt:80'), '');
	});

	test('holds every field a user sees, lower-cased', () => {
		const rule = tables[1]!.chains[2]!.rules[0]!;
		const text = ruleText(rule);
		for (const part of ['accept', 'tcp', 'ssh from the office', 'dpt:22', 'in:*', '--dport 22']) assert.ok(text.includes(part), `${part} in ${text}`);
	});
});

describe('containsWord', () => {
	test('numbers match whole, letters match inside words', () => {
		assert.equal(containsWord('dpt:8080 dpt:80', 'dpt:80'), true);
		assert.equal(containsWord('dpt:8080', 'dpt:80'), false);
		assert.equal(containsWord('to:172.17.0.20:80', '172.17.0.2'), false);
		assert.equal(containsWord('to:172.17.0.2:80', '172.17.0.2'), true);
		assert.equal(containsWord('-d 172.17.0.2/32', '172.17.0.2'), true);
		assert.equal(containsWord('dpt:8080', '80'), false, 'neither 80 in 8080 is a whole number');
		assert.equal(containsWord('dpt:80 ', '80'), true);
		assert.equal(containsWord('docker-user', 'dock'), true);
	});
});
