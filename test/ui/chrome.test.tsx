import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {alertLines, headerLine} from '../../source/ui/chrome.ts';
import {helpLines, helpWindow, maxHelpTop} from '../../source/ui/help-text.ts';
import {drive} from './drive.ts';
import {DESCRIPTION, dockerSave, ratedRun} from './samples.ts';
import {type Shown, show} from './show.tsx';

// The lines around the list: the header (Docker generation, what is left out when narrow), the
// host banners from explain.ts, the rule detail's "why is this 0?", and the help that scrolls.

let mounted: Shown | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

const text = (line: ReadonlyArray<{text: string}>): string => line.map(part => part.text).join('');
const generation27 = dockerSave().replace(':DOCKER-USER - [0:0]', ':DOCKER-USER - [0:0]\n:DOCKER-ISOLATION-STAGE-1 - [0:0]\n:DOCKER-ISOLATION-STAGE-2 - [0:0]');
const generation28 = generation27.replace(':DOCKER-USER - [0:0]', ':DOCKER-USER - [0:0]\n:DOCKER-FORWARD - [0:0]');

test('the header names the Docker generation the chains show, and nothing when there is none', () => {
	const header = (save: string): string => text(headerLine(drive().sample(ratedRun([save])[0]!).state, DESCRIPTION, 1400));
	assert.equal(header(generation27), 'fwtop  lab-host · nf_tables 1.8.9 · Docker 27 · IPv4 · every 1s · 0.4s ago · read 12ms');
	assert.match(header(generation28), / · Docker 28 · /);
	assert.doesNotMatch(header(dockerSave()), /Docker/, 'DOCKER and DOCKER-USER alone do not say which');
});

test('a narrow header leaves out the read time, the interval, the Docker generation, then the host', () => {
	const state = drive().sample(ratedRun([generation27])[0]!).keys('m', 'p').state;
	assert.equal(text(headerLine(state, DESCRIPTION, 1400)), 'fwtop  lab-host · nf_tables 1.8.9 · Docker 27 · IPv4 · every 1s · 0.4s ago · read 12ms · mark 0.4s ago · PAUSED');
	assert.equal(text(headerLine(state, DESCRIPTION, 1400, 80)), 'fwtop  lab-host · nf_tables 1.8.9 · IPv4 · 0.4s ago · mark 0.4s ago · PAUSED');
	assert.equal(text(headerLine(state, DESCRIPTION, 1400, 60)), 'fwtop  IPv4 · 0.4s ago · mark 0.4s ago · PAUSED');
});

test('a split host gets a banner in place of the legacy-tables warning', () => {
	const [sample] = ratedRun([dockerSave()]);
	const split = {...sample!, warnings: ['# Warning: iptables-legacy tables present, use iptables-legacy to see them', 'another warning']};
	const lines = alertLines(drive().sample(split).state, 0, 80).map(text);
	assert.deepEqual(lines, [
		'This host is split: both iptables-legacy and iptables-nft hold rules, and every',
		'packet passes both sets. fwtop shows one of them; run it with --backend legacy …',
		'warning: another warning',
	]);
	assert.deepEqual(alertLines(drive().sample(sample!).state, 0, 80), [], 'all is well: no line');
});

test('the split-host banner on screen at 80 columns, the list below it', async () => {
	const [a, b] = ratedRun([dockerSave(), dockerSave()]);
	const warnings = ['# Warning: iptables-legacy tables present, use iptables-legacy to see them'];
	mounted = await show(80, 8, [{...a!, warnings}, {...b!, warnings}]);
	assert.equal(mounted.frame(), `fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · 0.4s ago · read 12ms
This host is split: both iptables-legacy and iptables-nft hold rules, and every
packet passes both sets. fwtop shows one of them; run it with --backend legacy …
all tables   sort: hook order
 table  chain       policy rules refs pkts/s   bytes/s hits/s history
›filter INPUT       ACCEPT     0         0/s     0 B/s      –
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`);
});

test('rule detail: why is this 0? for a rule in a built-in chain names its chain\'s policy too', async () => {
	mounted = await show(120, 40, ratedRun([dockerSave(), dockerSave()]), {initial: {table: 'filter', chain: 'FORWARD'}});
	const detail = await mounted.press('d');
	assert.match(detail, /^why 0\? {7}FORWARD policy: iptables-nft up to 1\.8\.9 creates built-in chains without counters/m);
});

test('the help scrolls on a short terminal: the keys move it, clamped at both ends', () => {
	const lines = helpLines(80, 8);
	assert.ok(lines.length > 7, 'taller than the body');
	const first = helpWindow(80, 8, 0);
	assert.equal(first.title, 'Keys (? or Esc closes this; ↑ ↓ PgUp PgDn scroll)');
	assert.equal(first.lines.length, 6);
	assert.equal(first.more, lines.length - 6);
	const last = helpWindow(80, 8, maxHelpTop(80, 8));
	assert.equal(last.more, 0);
	assert.deepEqual(last.lines.at(-1), lines.at(-1), 'the last line can be reached');
	const driver = drive().act({type: 'viewport', rows: 6, width: 80, body: 8}).keys('?', 'j', 'j', 'k');
	assert.equal(driver.state.helpTop, 1);
	driver.keys('pagedown', 'pagedown', 'pagedown', 'pagedown');
	assert.equal(driver.state.helpTop, maxHelpTop(80, 8), 'clamped at the end');
	driver.keys('pageup', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up', 'up');
	assert.equal(driver.state.helpTop, 0);
	driver.keys('escape', '?');
	assert.equal(driver.state.helpTop, 0, 'opens at the top');
	assert.equal(driver.state.stack.length, 1, 'the list did not move underneath');
});

test('the help on an 80x12 terminal scrolls with ↓ and PgDn, down to its last line', async () => {
	mounted = await show(80, 12, ratedRun([dockerSave(), dockerSave()]));
	const top = await mounted.press('?');
	assert.equal(top.split('\n').slice(2).join('\n'), `Keys (? or Esc closes this; ↑ ↓ PgUp PgDn scroll)
↑ k             move up                 /               filter (rule pattern)
↓ j             move down               s               cycle the sort order
PgUp            page up                 i               hide/show idle rules
PgDn            page down               p Space         pause; sampling goes on
Home            first row               +               longer interval
End             last row                -               shorter interval
… 9 more lines (↓ j)
q quit  ? close`);
	const down = await mounted.press('j');
	assert.match(down, /^↓ j {13}move down/m);
	assert.doesNotMatch(down, /^↑ k {13}move up/m);
	await mounted.press('\u001B[6~');
	const end = await mounted.press('\u001B[6~');
	assert.match(end, /^character\.$/m, 'the filter box\'s keys, last');
	assert.doesNotMatch(end, /more lines/);
});
