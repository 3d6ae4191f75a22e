// End to end: `fwtop probe` on a namespace lab's firewall, checked against the kernel's own
// counters (`iptables-save -c` before and after), with and without background traffic, and the
// probed command's user under a (simulated) sudo.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {published, type Lab} from '../../source/lab/lab.ts';
import {binary} from '../../source/lab/netns.ts';
import {cliPath, withCliLab} from './cli-lab.ts';
import {parseJsonExact, waitFor} from './helpers.ts';

type Row = {
	family: string; table: string; chain: string; id: string | null; index: number | null; target: string; spec: string;
	deltaPackets: number | bigint; deltaBytes: number | bigint; certain: boolean; kind: 'rule' | 'policy'; hook: string | null; depth: number;
};
type Probe = {command: string[]; exitCode: number; repeat: number; runs: number; failedRuns: number; elapsed: number; rules: Row[]; notes: string[]};

const dnatA = '! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172.17.0.2:80';
const dnatB = '! -i br-0123456789ab -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80';
const acceptA = '-d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT';
const conntrackToA = '-o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT';
const repliesFromA = '-i docker0 ! -o docker0 -j ACCEPT';

async function probe(args: string[], env: Record<string, string> = {}) {
	const result = await execa(process.execPath, [cliPath, 'probe', ...args], {reject: false, timeout: 30_000, env, stdin: 'ignore', stripFinalNewline: false});
	return {...result, stdout: String(result.stdout), stderr: String(result.stderr)};
}

/** `table chain #n` (or `table chain policy`) → [packets, bytes], from `iptables-save -c`. */
function counters(save: string): Map<string, [bigint, bigint]> {
	const map = new Map<string, [bigint, bigint]>();
	const positions = new Map<string, number>();
	let table = '';
	for (const line of save.split('\n')) {
		const start = /^\*(\S+)/.exec(line);
		const policy = /^:(\S+) (?!-)\S+ \[(\d+):(\d+)\]/.exec(line);
		const rule = /^\[(\d+):(\d+)\] -A (\S+) /.exec(line);
		if (start) table = start[1]!;
		if (policy) map.set(`${table} ${policy[1]!} policy`, [BigInt(policy[2]!), BigInt(policy[3]!)]);
		if (rule) {
			const index = (positions.get(`${table} ${rule[3]!}`) ?? 0) + 1;
			positions.set(`${table} ${rule[3]!}`, index);
			map.set(`${table} ${rule[3]!} #${index}`, [BigInt(rule[1]!), BigInt(rule[2]!)]);
		}
	}

	return map;
}

/** What moved between two saves, as `table chain #n Δpackets/Δbytes`, sorted. */
function moved(before: string, after: string): string[] {
	const old = counters(before);
	return [...counters(after)].flatMap(([key, [packets, bytes]]) => {
		const [p0, b0] = old.get(key) ?? [0n, 0n];
		return packets > p0 ? [`${key} Δ${packets - p0}/${bytes - b0}`] : [];
	}).sort();
}

const rowKey = (row: Row): string => `${row.table} ${row.chain} ${row.kind === 'policy' ? 'policy' : `#${row.index!}`}`;
const rowText = (row: Row): string => `${rowKey(row)} Δ${row.deltaPackets}/${row.deltaBytes}`;
const find = (result: Probe, table: string, spec: string): Row | undefined => result.rules.find(row => row.table === table && row.spec === spec);
const position = (result: Probe, table: string, spec: string): number => result.rules.findIndex(row => row.table === table && row.spec === spec);

/** Waits until no counter moves for 400 ms: the lab's own readiness probes (host → containers)
 * leave a late packet or two in the host's OUTPUT right after it is built. */
async function quiet(lab: Lab): Promise<void> {
	let last = await lab.save();
	await waitFor('the lab to go quiet', async () => {
		await new Promise(resolve => setTimeout(resolve, 400));
		const now = await lab.save();
		const same = moved(last, now).length === 0;
		last = now;
		return same;
	}, 8000, 0);
}

const curlFromExternal = (lab: Lab, url: string): string[] =>
	[binary('ip'), 'netns', 'exec', lab.roles.external, binary('curl'), '-s', '-o', '/dev/null', '--max-time', '2', url];

test('fwtop probe -- curl to a published port: the rules it crossed, in path order, with the kernel\'s exact deltas', async t => {
	await withCliLab(t, async lab => {
		await quiet(lab);
		const before = await lab.save();
		const result = await probe(['--json', '--as-root', '--netns', lab.host, '--', ...curlFromExternal(lab, published.a)]);
		const after = await lab.save();
		assert.equal(result.exitCode, 0, result.stderr);
		const output = parseJsonExact(result.stdout) as Probe;
		assert.equal(output.exitCode, 0);
		assert.deepEqual(output.command.slice(-1), [published.a]);

		// Exactly what the kernel counted, nothing else (no background traffic in this lab).
		assert.deepEqual(output.rules.filter(row => row.family === 'ipv4').map(row => rowText(row)).sort(), moved(before, after));
		assert.deepEqual(output.rules.filter(row => row.family !== 'ipv4'), []);
		assert.deepEqual(rowText(find(output, 'nat', dnatA)!).replace(/#\d+/, '#n'), 'nat DOCKER #n Δ1/60', 'nat counts the SYN only');
		assert.equal(find(output, 'filter', acceptA)?.deltaPackets, 1, 'the published port\'s ACCEPT sees the SYN');
		assert.ok(Number(find(output, 'filter', conntrackToA)?.deltaPackets) >= 2, 'conntrack accepts the rest of the connection');
		assert.ok(Number(find(output, 'filter', repliesFromA)?.deltaPackets) >= 2, 'and the replies');
		assert.equal(find(output, 'nat', dnatB), undefined, 'the other published port was not crossed');

		// Path order: the DNAT in PREROUTING, then FORWARD, where the DOCKER chain sits under its jump.
		const order = [position(output, 'nat', dnatA), position(output, 'filter', '-j DOCKER-USER'), position(output, 'filter', '-o docker0 -j DOCKER'), position(output, 'filter', acceptA)];
		assert.ok(order.every((value, i) => value >= 0 && (i === 0 || value > order[i - 1]!)), `path order: ${JSON.stringify(order)}`);
		assert.equal(find(output, 'filter', acceptA)?.depth, 1);
		assert.equal(find(output, 'nat', dnatA)?.hook, 'PREROUTING');
		assert.ok(output.notes.some(note => /bypasses INPUT|never passes INPUT/.test(note)));
	});
});

test('fwtop probe --repeat 5 with a background trickle: the probe\'s rules are certain, the noise is not', async t => {
	await withCliLab(t, async lab => {
		const trickle = lab.startTrickle({intervalMs: 500, lifetimeMs: 30_000});
		try {
			// The command sleeps a little after each curl so the window surely holds some trickle.
			const command = [binary('ip'), 'netns', 'exec', lab.roles.external, '/bin/sh', '-c', `${binary('curl')} -s -o /dev/null --max-time 2 ${published.a}; sleep 0.1`];
			const result = await probe(['--json', '--as-root', '--repeat', '5', '--netns', lab.host, '--', ...command]);
			assert.equal(result.exitCode, 0, result.stderr);
			const output = parseJsonExact(result.stdout) as Probe;
			assert.equal(output.repeat, 5);
			for (const row of output.rules) assert.equal(row.certain, Number(row.deltaPackets) >= 5, rowText(row));
			const a = find(output, 'nat', dnatA)!;
			assert.ok(a.certain && Number(a.deltaPackets) >= 5, `DNAT to A: ${rowText(a)}`);
			assert.equal(find(output, 'filter', acceptA)?.certain, true);
			const b = find(output, 'nat', dnatB);
			assert.ok(b !== undefined, 'the trickle to B crossed its DNAT during the probe');
			assert.ok(!b.certain && Number(b.deltaPackets) < 5, `only the trickle reached B: ${rowText(b)} in ${output.elapsed} s`);
		} finally {
			await trickle.stop();
		}
	});
});

test('fwtop probe under sudo runs the command as the invoking user; its output goes to stderr; exit codes', async t => {
	await withCliLab(t, async lab => {
		const sudo = {SUDO_UID: '65534', SUDO_GID: '65534', SUDO_USER: 'nobody'};
		const asUser = await probe(['--json', '--netns', lab.host, '--', 'id'], sudo);
		assert.equal(asUser.exitCode, 0, asUser.stderr);
		assert.match(asUser.stderr, /^uid=65534\(\S+\) gid=65534\(\S+\) groups=65534\(\S+\)$/m, 'uid, gid, and no supplementary groups');
		const output = parseJsonExact(asUser.stdout) as Probe;
		assert.deepEqual(output.rules, []);
		assert.ok(output.notes.some(note => /ran as .*uid 65534/.test(note)), output.notes.join('\n'));

		const asRoot = await probe(['--as-root', '--netns', lab.host, '--', 'id', '-u'], sudo);
		assert.equal(asRoot.stderr.trim(), '0');
		assert.match(asRoot.stdout, /^fwtop probe: id -u — 1 run, /);
		assert.match(asRoot.stdout, /command exit status 0\n$/);

		const failing = await probe(['--json', '--repeat', '2', '--netns', lab.host, '--', 'sh', '-c', 'echo to-stdout; exit 7']);
		assert.equal(failing.exitCode, 5, 'the probe worked, the command failed');
		assert.equal(failing.stderr, 'to-stdout\nto-stdout\n');
		const failed = parseJsonExact(failing.stdout) as Probe;
		assert.deepEqual([failed.exitCode, failed.failedRuns, failed.repeat, failed.runs], [7, 2, 2, 2]);

		const interrupted = execa(process.execPath, [cliPath, 'probe', '--json', '--repeat', '3', '--netns', lab.host, '--', 'sh', '-c', 'echo started >&2; exec sleep 10'], {reject: false, timeout: 30_000});
		interrupted.stderr.once('data', () => interrupted.kill('SIGTERM'));
		const stopped = await interrupted;
		assert.equal(stopped.exitCode, 5, 'SIGTERM went on to the command; fwtop still reported');
		const partial = parseJsonExact(String(stopped.stdout)) as Probe;
		assert.deepEqual([partial.exitCode, partial.runs, partial.repeat], [143, 1, 3]);
		assert.ok(partial.notes.some(note => /Interrupted after 1 of 3 runs/.test(note)));

		const missing = await probe(['--netns', lab.host, '--', 'no-such-command-fwtop']);
		assert.equal(missing.exitCode, 2);
		assert.match(missing.stderr, /^fwtop: cannot run no-such-command-fwtop: command not found$/m);
		assert.equal(missing.stdout, '');
	});
});
