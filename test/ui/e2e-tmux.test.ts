// End to end: the built binary's dashboard in a real terminal (tmux, 120x40) reading a namespace
// lab's firewall while connections cross Docker's DNAT. Keys are sent one per `send-keys`, and
// every step waits on a predicate over `capture-pane`, never a fixed sleep.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {createLab, published, type Lab} from '../../source/lab/lab.ts';
import {formatBytes, formatCount} from '../../source/ui/format.ts';
import {curlLoop, need, tmuxDriver} from '../lab/tmux-driver.ts';
import {requireLab} from '../lab/require-lab.ts';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const socket = `fwtop-e2e-${process.pid}`;
const session = 'fwtop';

const {tmux, screen, press, until, kill} = tmuxDriver(socket, session);

/** The pkts/s cell of the DNAT rule for host port 80 (the row's first `/s` value). */
function dnatRate(text: string): string | undefined {
	const row = text.split('\n').find(line => / DNAT /.test(line) && /--dport 80 /.test(line));
	return row?.match(/(?:^|\s)(\S+\/s)(?=\s)/)?.[1];
}

/** The two counter cells of that row after `#`: pkts and bytes, or Δpkts and Δbytes with a mark. */
function dnatCounts(text: string): {packets: string; bytes: string} | undefined {
	const row = text.split('\n').find(line => / DNAT /.test(line) && /--dport 80 /.test(line));
	const match = row?.match(/^[› ] *\d+ +(\S+) +(\S+ [kMGTPE]?B) /);
	return match === null || match === undefined ? undefined : {packets: match[1]!, bytes: match[2]!};
}

/** The kernel's own counters of the port-80 DNAT rule, from `iptables-save -c`. */
async function dnatCounters(lab: Lab): Promise<{packets: bigint; bytes: bigint}> {
	const match = /^\[(\d+):(\d+)\] -A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT /m.exec(await lab.save());
	assert.ok(match, 'the DNAT rule is in iptables-save -c');
	return {packets: BigInt(match[1]!), bytes: BigInt(match[2]!)};
}

/** Mark, a burst of 5 connections with no other traffic, the DNAT row shows exactly their Δ (as
 * iptables-save -c counts it), M goes back to the live view. */
async function markAndDiff(lab: Lab): Promise<void> {
	// The mark is the sample on screen, which may be older than the last connection of the loop:
	// a mark that has seen a newer sample (it is a second old, the interval is 0.5 s) with nothing
	// moved is the kernel's counters now. Otherwise `m` again moves it.
	for (let attempt = 1; ; attempt++) {
		await press('m');
		const text = await until('a mark a second old', screenText => Number(/mark (\d+(?:\.\d)?)s ago/.exec(screenText)?.[1] ?? 0) >= 1);
		if (text.includes('Nothing moved since the mark')) break;
		assert.ok(attempt < 5, `traffic kept moving the DNAT after the curl loop stopped:\n${text}`);
	}

	const before = await dnatCounters(lab);
	const burst = await lab.curl(published.a, {count: 5});
	assert.equal(burst.ok, 5, 'five connections through the DNAT');
	const after = await dnatCounters(lab);
	assert.equal(after.packets - before.packets, 5n, 'nat counts one packet per connection');
	const expected = {packets: formatCount(after.packets - before.packets), bytes: formatBytes(after.bytes - before.bytes)};
	const shown = await until('the DNAT row with the Δ of the burst', text => {
		const delta = dnatCounts(text);
		return delta?.packets === expected.packets && delta.bytes === expected.bytes;
	});
	assert.match(shown, /^nat › DOCKER +sort: Δ packets · unmoved hidden/m);
	assert.doesNotMatch(shown, /--dport 8080 /, 'the rule the burst did not cross is hidden');
	await press('M');
	await until('the live view again', text => !/mark \d/.test(text) && /pkts\/s +bytes\/s/.test(text) && text.includes('--dport 8080 '));
}

test('the dashboard in tmux: a live DNAT rate, mark and diff around a curl burst, real keys, and q back to the shell with exit code 0', async t => {
	if (!await requireLab(t)) return;
	if (!need(t, existsSync(cli), `${cli} is missing: run npm run build first`)) return;
	const hasTmux = await execa('tmux', ['-V'], {reject: false});
	if (!need(t, hasTmux.exitCode === 0, 'tmux is not installed')) return;

	const lab = await createLab();
	let curls: {stop(): Promise<void>} | undefined;
	t.after(async () => {
		await curls?.stop();
		await kill();
		await lab.teardown();
	});

	const command = `node ${cli} --netns ${lab.host} --table nat --chain DOCKER --interval 0.5; echo EXIT=$?; sleep 120`;
	await tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', command);
	await until('the nat DOCKER chain', text => text.includes('nat › DOCKER') && dnatRate(text) !== undefined);

	curls = curlLoop(lab, published.a);
	const busy = await until('a non-zero rate on the DNAT row', text => {
		const rate = dnatRate(text);
		return rate !== undefined && rate !== '0/s' && rate !== '–';
	});
	assert.match(dnatRate(busy)!, /^(?:<0\.1|\d+(?:\.\d+)?k?)\/s$/);
	assert.match(busy, /nat rules count only the first packet/);

	await curls.stop();
	curls = undefined;
	await markAndDiff(lab);

	// Down to the DNAT rule, one key at a time, and into its detail.
	const rows = (await screen()).split('\n').filter(line => /^[› ] +\d+ /.test(line));
	const from = rows.findIndex(line => line.startsWith('›'));
	const target = rows.findIndex(line => /--dport 80 /.test(line));
	for (let i = from; i < target; i++) await press('j');
	for (let i = target; i < from; i++) await press('k');
	await until('the cursor on the DNAT row', text => text.split('\n').some(line => line.startsWith('›') && /--dport 80 /.test(line)));
	await press('Enter');
	await until('the rule detail', text => text.includes('-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80'));

	// Two Esc keys that reach the terminal in one read are one Esc to Ink (ESC ESC is Alt+Esc), so
	// each waits for its view.
	await press('Escape');
	await until('the chain again', text => text.includes('nat › DOCKER') && !text.includes('-A DOCKER'));
	await press('Escape');
	await until('the overview of nat', text => /^ ?[› ]nat +PREROUTING /m.test(text) && text.includes('sort: hook order'));
	await press('v');
	await until('the path view', text => text.includes('path (all)') && text.includes('PREROUTING — every packet'));
	await press('?');
	await until('the help', text => text.includes('Keys (') && text.includes('zero (client-side only)'));
	await press('Escape');
	await until('the help closed', text => !text.includes('Keys (') && text.includes('path (all)'));

	await press('q');
	const after = await until('the shell again', text => /EXIT=\d+/.test(text));
	assert.match(after, /^EXIT=0$/m);
	assert.doesNotMatch(after, /packet path|nat › DOCKER/, 'the alternate screen is gone');
});
