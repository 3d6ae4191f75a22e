import assert from 'node:assert/strict';
import {test} from 'node:test';
import {breadcrumb} from '../../source/ui/chrome.ts';
import {seriesKey} from '../../source/ui/history.ts';
import {topFrame} from '../../source/ui/state.ts';
import {drive, labels, selected} from './drive.ts';
import {dockerSave, ratedRun} from './samples.ts';

const quiet = dockerSave();
const busy = dockerSave({prerouting: [30, 1800], dnat80: [20, 1200], 'fwd-ct': [500, 300_000], drop: [10, 600], accept80: [20, 1200]});
const [first, second] = ratedRun([quiet, busy]);

test('overview: built-in chains in hook order then user chains, filter before nat', () => {
	const {state} = drive().sample(first!);
	assert.deepEqual(labels(state), [
		'filter INPUT', 'filter FORWARD', 'filter OUTPUT', 'filter DOCKER', 'filter DOCKER-USER',
		'nat PREROUTING', 'nat INPUT', 'nat OUTPUT', 'nat POSTROUTING', 'nat DOCKER',
	]);
	assert.equal(selected(state), 'filter INPUT');
});

test('movement: one key per character, clamped at both ends; PgDn, End, Home', () => {
	const driver = drive({}, 4).sample(first!);
	assert.equal(selected(driver.keys('j', 'j', 'j').state), 'filter DOCKER');
	assert.equal(selected(driver.keys('k').state), 'filter OUTPUT');
	assert.equal(selected(driver.keys('pagedown').state), 'nat PREROUTING', 'a page is the window less one row of context');
	assert.equal(topFrame(driver.state).top, 2, 'the window follows the cursor');
	assert.equal(selected(driver.keys('end').state), 'nat DOCKER');
	assert.equal(selected(driver.keys('down', 'j').state), 'nat DOCKER');
	assert.equal(selected(driver.keys('home').state), 'filter INPUT');
	assert.equal(selected(driver.keys('up').state), 'filter INPUT');
	assert.equal(topFrame(driver.state).top, 0);
});

test('drill-down is a stack: Enter follows a jump, Esc/Backspace/h go back and restore the cursor', () => {
	const driver = drive().sample(first!);
	driver.keys('j', 'j', 'j', 'j', 'j', 'return');
	assert.equal(breadcrumb(driver.state), 'nat › PREROUTING');
	assert.deepEqual(labels(driver.state), ['1 DOCKER']);
	driver.keys('return');
	assert.equal(breadcrumb(driver.state), 'nat › PREROUTING › DOCKER');
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT']);
	driver.keys('j', 'return');
	assert.equal(topFrame(driver.state).view.kind, 'rule', 'Enter on a terminal rule opens its detail');
	assert.equal(breadcrumb(driver.state), 'nat › PREROUTING › DOCKER › rule #2');
	driver.keys('escape');
	assert.equal(selected(driver.state), '2 DNAT');
	driver.keys('backspace', 'h');
	assert.equal(breadcrumb(driver.state), 'all tables');
	assert.equal(selected(driver.state), 'nat PREROUTING');
	driver.keys('escape');
	assert.equal(driver.state.stack.length, 1);
});

test('d opens the detail of a rule that jumps, instead of following it', () => {
	const driver = drive({table: 'nat', chain: 'PREROUTING'}).sample(first!);
	driver.keys('d');
	assert.deepEqual(topFrame(driver.state).view, {kind: 'rule', table: 'nat', chain: 'PREROUTING', rule: first!.tables[0]!.chains[0]!.rules[0]!.key});
});

test('--table nat --chain DOCKER starts in that chain once the first sample names it', () => {
	const driver = drive({table: 'nat', chain: 'DOCKER'});
	assert.equal(driver.state.stack.length, 1);
	driver.sample(first!);
	assert.equal(breadcrumb(driver.state), 'nat › DOCKER');
	assert.equal(driver.state.table, 'nat');
	driver.keys('escape');
	assert.equal(selected(driver.state), 'nat DOCKER', 'back in the overview, on the chain');
	const withoutTable = drive({chain: 'DOCKER'}).sample(first!);
	assert.equal(breadcrumb(withoutTable.state), 'filter › DOCKER', 'without --table, the first table in t order that has it');
	const path = drive({path: true}).sample(first!);
	assert.equal(breadcrumb(path.state), 'path (all)');
});

test('s cycles the sort: rule order, rate, bytes, packets; ties keep rule order', () => {
	const driver = drive({table: 'filter', chain: 'FORWARD'}).sample(first!).sample(second!);
	assert.deepEqual(labels(driver.state), ['1 DOCKER-USER', '2 ACCEPT', '3 DOCKER']);
	driver.advance(10_000).keys('s');
	assert.equal(driver.state.sort, 'rate');
	assert.deepEqual(labels(driver.state), ['2 ACCEPT', '1 DOCKER-USER', '3 DOCKER']);
	driver.keys('s', 's', 's');
	assert.equal(driver.state.sort, 'order');
	assert.deepEqual(labels(driver.state), ['1 DOCKER-USER', '2 ACCEPT', '3 DOCKER']);
});

test('a rate sort does not reshuffle under a moving cursor; it re-sorts once the cursor rests', () => {
	const samples = ratedRun([
		dockerSave(),
		dockerSave({dnat80: [10, 600], dnat8080: [0, 0]}),
		dockerSave({dnat80: [10, 600], dnat8080: [50, 3000]}),
		dockerSave({dnat80: [10, 600], dnat8080: [100, 6000]}),
	]);
	const driver = drive({table: 'nat', chain: 'DOCKER'}).sample(samples[0]!).sample(samples[1]!);
	driver.keys('s');
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT']);
	driver.keys('j');
	driver.sample(samples[2]!, 1000);
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT'], 'held: the cursor moved 1 s ago');
	assert.equal(selected(driver.state), '2 DNAT');
	driver.sample(samples[3]!, 5000);
	assert.deepEqual(labels(driver.state), ['2 DNAT', '1 DNAT'], 're-sorted: the cursor has rested');
	assert.equal(selected(driver.state), '2 DNAT', 'the selection went with the rule');
});

test('selection follows the rule, not the index, when rules are inserted above it', () => {
	const before = dockerSave();
	const after = before.replace('[0:0] -A DOCKER ! -i docker0', '[0:0] -A DOCKER ! -i docker1 -p tcp -m tcp --dport 81 -j DNAT --to-destination 172.17.0.3:81\n[0:0] -A DOCKER ! -i docker0');
	const [a, b] = ratedRun([before, after]);
	const driver = drive({table: 'nat', chain: 'DOCKER'}, 10).sample(a!).keys('j');
	assert.equal(selected(driver.state), '2 DNAT');
	const key = topFrame(driver.state).selected;
	driver.sample(b!);
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT', '3 DNAT']);
	assert.equal(topFrame(driver.state).selected, key);
	assert.equal(selected(driver.state), '3 DNAT');
});

test('a vanished rule stays greyed for one sample, then goes; a cursor on it moves to its neighbour', () => {
	const full = dockerSave();
	const without = full.replace(/^.*--dport 8080.*\n/m, '');
	const [a, b, c] = ratedRun([full, without, without]);
	const driver = drive({table: 'nat', chain: 'DOCKER'}).sample(a!).keys('j');
	driver.sample(b!);
	assert.deepEqual(labels(driver.state), ['1 DNAT', '~2 DNAT']);
	assert.equal(selected(driver.state), '~2 DNAT');
	driver.sample(c!);
	assert.deepEqual(labels(driver.state), ['1 DNAT']);
	assert.equal(selected(driver.state), '1 DNAT');
});

test('filter: / opens the box, letters are text there, Enter keeps it, Esc clears it', () => {
	const driver = drive({table: 'nat', chain: 'DOCKER'}).sample(first!);
	driver.keys('/', '8', '0', '8', '0');
	assert.deepEqual(driver.state.filter, {text: '8080', editing: true});
	assert.deepEqual(labels(driver.state), ['2 DNAT']);
	driver.keys('q', 'backspace');
	assert.equal(driver.state.quit, false, 'q is text in the box');
	assert.equal(driver.state.filter.text, '8080');
	driver.keys('return');
	assert.equal(driver.state.filter.editing, false);
	driver.keys('/', 'escape');
	assert.deepEqual(driver.state.filter, {text: '', editing: false});
	assert.deepEqual(labels(driver.state), ['1 DNAT', '2 DNAT']);
	driver.keys('/', 'ctrl+c');
	assert.equal(driver.state.quit, true, 'Ctrl-C still quits from the box');
});

test('/ speaks the rule-pattern grammar of --until: [TABLE/][CHAIN:]TEXT, every word, numbers whole', () => {
	const text = dockerSave().replace('-j MASQUERADE', '-m comment --comment "outbound nat" -j MASQUERADE');
	const [sample] = ratedRun([text]);
	const overview = (filter: string): string[] => labels(drive({filter}).sample(sample!).state);
	assert.deepEqual(overview('DOCKER:'), ['filter DOCKER', 'nat DOCKER'], 'a chain name before the colon: that chain in every table');
	assert.deepEqual(overview('nat/'), ['nat PREROUTING', 'nat INPUT', 'nat OUTPUT', 'nat POSTROUTING', 'nat DOCKER']);
	assert.deepEqual(overview('nat/DOCKER:to:172.17.0.2:80'), ['nat DOCKER'], 'the --until example');
	assert.deepEqual(overview('docker-user'), ['filter FORWARD', 'filter DOCKER-USER'], 'a chain by its name, or by a rule that jumps to it');
	assert.deepEqual(overview('172.17.0.2'), ['filter DOCKER', 'nat DOCKER'], 'chains whose rules match');
	assert.deepEqual(overview('filter/DOCKER:nothing-like-this'), []);
	const chain = (filter: string, table: string, name: string): string[] => labels(drive({table, chain: name, filter}).sample(sample!).state);
	assert.deepEqual(chain('dpt:80', 'nat', 'DOCKER'), ['1 DNAT'], 'listing words match save rules; 80 is not 8080');
	assert.deepEqual(chain('dpt:8080', 'nat', 'DOCKER'), ['2 DNAT']);
	assert.deepEqual(chain('tcp to:172.18.0.2:80', 'nat', 'DOCKER'), ['2 DNAT'], 'every word must occur');
	assert.deepEqual(chain('OUTBOUND', 'nat', 'POSTROUTING'), ['1 MASQUERADE'], 'comments, case-insensitive');
	assert.deepEqual(chain('172.17.0.2', 'filter', 'DOCKER'), ['1 ACCEPT']);
	assert.deepEqual(chain('172.17.0.20', 'filter', 'DOCKER'), [], 'an address is matched whole');
	assert.deepEqual(chain('nat/', 'filter', 'DOCKER'), [], 'the table is part of the pattern');
});

test('/ in the path view keeps the skeleton and the rules the pattern matches', () => {
	const driver = drive({path: true, filter: 'nat/DOCKER:dpt:80'}).sample(first!).sample(second!);
	driver.keys('i');
	const rules = labels(driver.state).filter(name => name.startsWith('rule '));
	const dnat = 'rule ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80';
	assert.deepEqual(rules, [dnat, dnat], 'under PREROUTING and under OUTPUT, both jump to DOCKER');
	assert.ok(labels(driver.state).includes('hook PREROUTING — every packet arriving on an interface'));
});

test('pause freezes the display while samples keep arriving; resuming shows the newest', () => {
	const driver = drive({table: 'filter', chain: 'FORWARD'}).sample(first!);
	driver.keys('p');
	driver.sample(second!);
	assert.equal(driver.state.paused, true);
	assert.equal(driver.state.sample, first);
	assert.equal(driver.state.latest, second);
	assert.equal(driver.state.rows.find(row => row.kind === 'rule' && row.rule.index === 2)?.kind === 'rule' ? 'ok' : 'missing', 'ok');
	driver.keys('space');
	assert.equal(driver.state.paused, false);
	assert.equal(driver.state.sample, second);
	assert.equal(driver.state.history.get(seriesKey(second!.tables[1]!.chains[1]!.rules[1]!))?.packets.length, 2, 'history holds shown samples only');
});

test('i hides idle rows (a known zero), never unknown ones', () => {
	const driver = drive({table: 'filter', chain: 'FORWARD'}).sample(first!);
	driver.keys('i');
	assert.deepEqual(labels(driver.state), ['1 DOCKER-USER', '2 ACCEPT', '3 DOCKER'], 'first sample: every rate is unknown');
	driver.sample(second!);
	assert.deepEqual(labels(driver.state), ['2 ACCEPT']);
	driver.keys('i');
	assert.equal(driver.state.rows.length, 3);
});

test('z sets a client-side baseline; counters are shown since then', async () => {
	const {sinceBaseline} = await import('../../source/ui/state.ts');
	const driver = drive({table: 'filter', chain: 'FORWARD'}).sample(first!).sample(second!);
	driver.keys('z');
	const [, , third] = ratedRun([quiet, busy, dockerSave({'fwd-ct': [800, 480_000]})]);
	driver.sample(third!);
	const rule = third!.tables[1]!.chains[1]!.rules[1]!;
	assert.deepEqual(sinceBaseline(driver.state, rule.key, rule), {packets: 300n, bytes: 180_000n});
	assert.equal(driver.state.baseline?.time.toISOString(), second!.time.toISOString());
});

test('t and Tab cycle the table; 4 and 6 the family; v switches overview and path', () => {
	const driver = drive().sample(first!);
	driver.keys('tab');
	assert.equal(driver.state.table, 'filter');
	assert.ok(labels(driver.state).every(name => name.startsWith('filter ')));
	driver.keys('t');
	assert.equal(driver.state.table, 'nat');
	driver.keys('t', 't', 't', 't');
	assert.equal(driver.state.table, 'all');
	driver.keys('6');
	assert.equal(driver.state.family, 'ipv6');
	assert.deepEqual(labels(driver.state), []);
	driver.keys('4', 'v');
	assert.equal(breadcrumb(driver.state), 'path (all)');
	assert.equal(labels(driver.state)[0], 'hook PREROUTING — every packet arriving on an interface');
	driver.keys('tab');
	assert.equal(driver.state.pathKind, 'incoming');
	driver.keys('v');
	assert.equal(breadcrumb(driver.state), 'all tables');
});

test('path view: Enter on a chain row opens the chain; i shows the idle rules it folds', () => {
	const driver = drive({path: true}).sample(first!).sample(second!);
	const folded = labels(driver.state).filter(name => name.startsWith('folded'));
	assert.ok(folded.length > 0);
	driver.keys('i');
	assert.equal(driver.state.pathHideIdle, false);
	assert.equal(labels(driver.state).filter(name => name.startsWith('folded')).length, 0);
	const index = driver.state.rows.findIndex(row => row.kind === 'path' && row.path.kind === 'chain');
	for (let i = 0; i < index; i++) driver.keys('j');
	driver.keys('return');
	assert.equal(breadcrumb(driver.state), 'path › nat › PREROUTING');
});

test('+ and - step the requested interval; the source reports the effective one', () => {
	const driver = drive();
	driver.keys('+');
	assert.equal(driver.state.interval.requestedMs, 2000);
	driver.keys('-', '-', '-', '-');
	assert.equal(driver.state.interval.requestedMs, 250, 'stops at the shortest step');
	driver.act({type: 'interval', requestedMs: 250, effectiveMs: 900});
	assert.deepEqual(driver.state.interval, {requestedMs: 250, effectiveMs: 900});
});

test('errors are kept with their retry time until a sample arrives', () => {
	const driver = drive().sample(first!);
	driver.act({type: 'error', message: 'iptables-save: exit 1', retryInMs: 4000, now: driver.now});
	assert.deepEqual(driver.state.error, {message: 'iptables-save: exit 1', retryAt: driver.now + 4000});
	assert.equal(driver.state.sample, first, 'the last sample stays on screen');
	driver.sample(second!);
	assert.equal(driver.state.error, null);
});

test('help: ? opens it, list keys do nothing there, Esc closes it; q and Ctrl-C quit', () => {
	const driver = drive().sample(first!);
	driver.keys('?', 'j');
	assert.equal(driver.state.help, true);
	assert.equal(topFrame(driver.state).index, 0);
	driver.keys('escape');
	assert.equal(driver.state.help, false);
	assert.equal(driver.keys('b').state.bits, true);
	assert.equal(driver.keys('q').state.quit, true);
	assert.equal(drive().keys('ctrl+c').state.quit, true);
});
