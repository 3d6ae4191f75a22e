import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {ownNft} from '../helpers/nft.ts';
import {nftRun} from './nft-samples.ts';
import {type Shown, show} from './show.tsx';

// What nftables does not count, as the dashboard shows it: `fwtop --backend nftables` over
// mixed.nft (test/fixtures/nft), read before and after 3 UDP datagrams to 127.0.0.1:53 and the
// insertion of rule #1. In `inet fwtest input`, #4 (ct state invalid drop) and #12 (log) have no
// counter, #7 and #11 count into named counters, #8 and #9 are verdict maps: a dim `–`, never a 0.

const samples = nftRun([ownNft('nft_mixed_json_t0.json'), ownNft('nft_mixed_json_t1.json')]);
const NFTABLES = {backend: 'nftables', version: '', command: 'nft -j list ruleset'};
const UNCOUNTED = ['4', '7', '8', '↳', '↳', '9', '↳', '↳', '11', '12'];

let mounted: Shown | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

const frame = (text: string): string => text.slice(1);

async function input(): Promise<Shown> {
	mounted = await show(200, 30, samples, {initial: {table: 'fwtest', chain: 'input'}, description: NFTABLES});
	return mounted;
}

/** The rule rows of a chain-view frame, as [#, the rest of the line]. */
function ruleRows(text: string): Array<[string, string]> {
	const lines = text.split('\n');
	const header = lines.findIndex(line => /^ {2,}# /.test(line));
	return lines.slice(header + 1).filter(line => /^[› ] *(?:\d+|↳) /.test(line)).map(line => {
		const [, number, rest] = /^[› ] *(\d+|↳) (.*)$/.exec(line)!;
		return [number!, rest!];
	});
}

const numbers = (text: string): string[] => ruleRows(text).map(([number]) => number);
const uncountedLine = (rest: string): boolean => /^ *– +– +– +– /.test(rest) && rest.trimEnd().endsWith('–');

test('--backend nftables: the header names nft, the named counters have a labelled row, base chains show –', async () => {
	mounted = await show(80, 12, samples, {initial: {table: 'fwtest'}, description: NFTABLES});
	assert.equal(mounted.frame(), frame(`
fwtop  lab-host · nftables 1.0.6 · IPv4 · every 1s · 0.4s ago · read 5ms
fwtest   sort: hook order
 table       chain                      policy rules refs pkts/s   bytes/s
›inet fwtest input                      accept    13    0      –         –
 inet fwtest output                     accept     1    0      –         –
 inet fwtest tcp-in                     -          2    1      –         –
 inet fwtest udp-in                     -          2    1      –         –
 inet fwtest web                        -          2    1      –         –
 inet fwtest @counters (named counters) -          2           –         –

? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`));
});

test('uncounted rules show – in every numeric column and the history, counted ones their counts', async () => {
	const screen = await input();
	const rows = new Map(ruleRows(screen.frame()).filter(([number]) => number !== '↳'));
	for (const number of ['4', '7', '8', '9', '11', '12']) assert.ok(uncountedLine(rows.get(number)!), `#${number}: ${rows.get(number)!}`);
	assert.match(rows.get('3')!, /^ +3 +186 B +3\.0\/s +186 B\/s accept/);
	assert.match(rows.get('1')!, /^ +0 +0 B +– +– drop/, 'a rule new in this sample: counted, rate not known yet');
	assert.match(screen.frame(), /^base chain: hook input, priority 0, type filter, policy accept$/m);
});

test('sorting by rate, bytes or packets puts what nothing counts last, after the rates not known yet', async () => {
	const screen = await input();
	assert.deepEqual(numbers(await screen.press('s')), ['3', '2', '5', '6', '10', '13', '1', ...UNCOUNTED]);
	assert.deepEqual(numbers(await screen.press('s')), ['13', '3', '1', '2', '5', '6', '10', ...UNCOUNTED]);
	assert.deepEqual(numbers(await screen.press('s')), ['13', '3', '1', '2', '5', '6', '10', ...UNCOUNTED]);
});

test('z zeroes what counts and leaves the uncounted at –; m diffs them as – and does not hide them', async () => {
	const screen = await input();
	const zeroed = new Map(ruleRows(await screen.press('z')).filter(([number]) => number !== '↳'));
	assert.match(zeroed.get('3')!, /^ +0 +0 B +3\.0\/s/);
	assert.ok(uncountedLine(zeroed.get('4')!), zeroed.get('4'));
	const marked = await screen.press('m');
	assert.match(marked, /unmoved hidden/);
	assert.deepEqual(numbers(marked), UNCOUNTED, 'the counted rules did not move; the uncounted cannot be known not to');
	for (const [number, rest] of ruleRows(marked)) assert.match(rest, /^ +– +– +– +– /, `#${number}`);
});

test('i hides idle rules, not the uncounted ones (their traffic is unknown, not none)', async () => {
	const screen = await input();
	assert.deepEqual(numbers(await screen.press('i')), ['1', '3', ...UNCOUNTED]);
});

test('rule detail of a rule using a named counter, and of one without any counter', async () => {
	const screen = await input();
	// The cursor is on #2: it stayed on its rule when #1 was inserted above it.
	for (let step = 0; step < 5; step++) await screen.press('j');
	const named = await screen.press('\r');
	assert.match(named, /^handle {7}16 \(the rule's identity while it exists\)$/m);
	assert.match(named, /^counter {6}web_in \(named counter; its row is in named counters\)$/m);
	assert.match(named, /^rate {9}not its own: this rule counts into the named counter "web_in"/m);
	await screen.press('\u001B');
	for (let step = 0; step < 3; step++) await screen.press('k');
	const invalid = await screen.press('\r');
	assert.match(invalid, /^ct state invalid drop$/m);
	assert.match(invalid, /^counters {5}none \(no counter statement\)$/m);
	assert.match(invalid.replaceAll(/\n {13}/g, ' '), /To count it: `nft replace rule inet fwtest input handle 12 ct state invalid counter drop`/);
});
