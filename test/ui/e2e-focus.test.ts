// End to end: the built dashboard in tmux reads the family it shows. Stand-ins for iptables and
// ip6tables (--iptables, as test/cli/json-slow-reader.test.ts; no firewall is read or touched)
// log which `-save` ran and print a nat table whose DNAT counts every call, so the test sees
// exactly which family each read asked for: the one on screen every interval, the other once in
// FULL_READ_EVERY reads, and a family that comes on screen at once.
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {FULL_READ_EVERY} from '../../source/collect/poller.ts';
import {writeStandInIptables} from '../helpers/stand-in-iptables.ts';
import {waitFor} from '../lab/helpers.ts';
import {need, tmuxDriver} from '../lab/tmux-driver.ts';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const {tmux, press, until, kill} = tmuxDriver(`fwtop-focus-${process.pid}`, 'fwtop');

/** `iptables`/`ip6tables` (only -V) and their `-save`, each logging its family to `log`. */
function standIns(dir: string, log: string): string {
	const save = (family: string, destination: string) => [
		`echo ${family} >> '${log}'`,
		`n=$(wc -l < '${log}')`,
		`printf '*nat\\n:PREROUTING ACCEPT [0:0]\\n:DOCKER - [0:0]\\n[%s:%s] -A PREROUTING -j DOCKER\\n[%s:%s] -A DOCKER -p tcp -m tcp --dport 80 -j DNAT --to-destination ${destination}\\nCOMMIT\\n' $n $((n*60)) $n $((n*60))`,
	].join('\n');
	writeStandInIptables(dir, save('6', '[fd00::2]:80'), 'ip6tables');
	return writeStandInIptables(dir, save('4', '172.17.0.2:80'));
}

type Calls = {ipv4: number; ipv6: number};

function callsIn(log: string): Calls {
	const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
	return {ipv4: lines.filter(line => line === '4').length, ipv6: lines.filter(line => line === '6').length};
}

async function callsWhen(log: string, what: string, predicate: (calls: Calls) => boolean): Promise<Calls> {
	return waitFor(what, async () => {
		const calls = callsIn(log);
		return predicate(calls) ? calls : undefined;
	}, 20_000, 50);
}

async function ready(t: TestContext): Promise<boolean> {
	if (!need(t, existsSync(cli), `${cli} is missing: run npm run build first`)) return false;
	const hasTmux = await execa('tmux', ['-V'], {reject: false});
	return need(t, hasTmux.exitCode === 0, 'tmux is not installed');
}

test('the dashboard reads the family on screen, the other once in FULL_READ_EVERY reads, and a family shown with 6 at once', async t => {
	if (!await ready(t)) return;
	const dir = mkdtempSync(path.join(tmpdir(), 'fwtop-focus-'));
	const log = path.join(dir, 'calls.log');
	t.after(async () => {
		await kill();
		rmSync(dir, {recursive: true, force: true});
	});

	const iptables = standIns(dir, log);
	const command = `node ${cli} --iptables ${iptables} --backend nft --interval 0.2 --table nat --chain DOCKER; echo EXIT=$?; sleep 60`;
	await tmux('new-session', '-d', '-s', 'fwtop', '-x', '120', '-y', '30', command);
	await until('the IPv4 DNAT with a rate', text => /IPv4/.test(text) && /\d\/s .*--to-destination 172\.17\.0\.2:80/.test(text));

	const reads = 3 * FULL_READ_EVERY;
	const shown4 = await callsWhen(log, `${reads} IPv4 reads`, calls => calls.ipv4 >= reads);
	// The first read (both), then one full read in FULL_READ_EVERY; give or take the read under way.
	const expected6 = 1 + Math.floor(shown4.ipv4 / FULL_READ_EVERY);
	assert.ok(shown4.ipv6 >= expected6 - 1 && shown4.ipv6 <= expected6 + 1, `IPv6 read ${shown4.ipv6} times in ${shown4.ipv4} reads of IPv4`);

	await press('6');
	const switched = await until('IPv6 on screen with a rate', text => /IPv6/.test(text) && /DOCKER +- .*\d\/s/.test(text));
	assert.doesNotMatch(switched, /DOCKER +- .* – /, 'a rate at once: the carried IPv6 had been read within the last reads');
	const from = callsIn(log);
	const shown6 = await callsWhen(log, `${reads} more IPv6 reads`, calls => calls.ipv6 >= from.ipv6 + reads);
	const more4 = shown6.ipv4 - from.ipv4;
	assert.ok(more4 >= 1 && more4 <= Math.ceil(reads / FULL_READ_EVERY) + 1, `IPv4 read ${more4} times in ${shown6.ipv6 - from.ipv6} reads of IPv6`);

	await press('q');
	const after = await until('the shell again', text => /EXIT=\d+/.test(text));
	assert.match(after, /^EXIT=0$/m);
});
