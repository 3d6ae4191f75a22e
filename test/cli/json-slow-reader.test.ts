// The built fwtop (dist/cli.js) with --json into a pipe this test does not read for 2 s: fwtop must
// wait for its reader instead of sampling on and queueing the lines in its heap. It reads a
// stand-in `iptables-save` (--iptables, as bench/memory.ts does; no firewall is touched) that
// prints a 2,000-rule dump, a line of about 900 kB, more than the pipe holds, and counts its runs:
// the samples fwtop has taken. Without the wait it takes one every 0.1 s, 20 in the 2 s.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, test, type TestContext} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath} from 'node:url';
import {STOP_GRACE_MS} from '../../source/cli/stream.ts';
import {writeStandInIptables} from '../helpers/stand-in-iptables.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'fwtop-slow-reader-'));
after(() => rmSync(dir, {recursive: true, force: true}));

const RULES = 2000;
const WAIT_MS = 2000;
const COUNT = 10;

function dump(): string {
	const rules = Array.from({length: RULES}, (_, i) => `[${i}:${i * 60}] -A INPUT -s 10.${i >> 8}.${i & 255}.1/32 -p tcp -m tcp --dport 443 -m comment --comment "client ${i} of the slow-reader test" -j ACCEPT`);
	return ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ...rules, 'COMMIT', ''].join('\n');
}

/** A stand-in of its own in `dir/name`, its runs counted apart from other tests'. */
function standIn(name: string): {iptables: string; runs: () => number} {
	const home = path.join(dir, name);
	mkdirSync(home);
	const runs = path.join(home, 'runs');
	writeFileSync(path.join(home, 'dump'), dump());
	const iptables = writeStandInIptables(home, `echo run >> '${runs}'\nexec cat '${path.join(home, 'dump')}'`);
	return {iptables, runs: () => (existsSync(runs) ? readFileSync(runs, 'utf8').split('\n').length - 1 : 0)};
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await sleep(20);
	}
}

/** The built fwtop with --json on a stand-in of its own (`name`), its stdout paused: nothing is
 * read from the pipe until the test resumes it. Undefined when there is no build to run (a skip,
 * never in CI). */
function startUnread(t: TestContext, name: string, extraArgs: string[]) {
	if (!existsSync(cliPath)) {
		assert.ok(process.env['CI'] !== 'true', `${cliPath} is missing: npm test builds it first`);
		t.skip(`${cliPath} is missing: run npm run build`);
		return undefined;
	}

	const {iptables, runs} = standIn(name);
	const args = [cliPath, '--json', '-4', '--backend', 'nft', '--iptables', iptables, '--interval', '0.1', ...extraArgs];
	const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, SUDO_USER: ''}});
	const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
	const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
	child.stdout.pause();
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	return {
		child, runs, exited, stderr: () => stderr,
		stop() {
			clearTimeout(killer);
			child.kill('SIGKILL');
		},
	};
}

test('--json into a reader that lags takes no samples while its last line waits, and loses none', async t => {
	// Not read until the wait is over: what fwtop writes meanwhile fills the pipe and stays in it.
	const fwtop = startUnread(t, 'lagging', ['--count', String(COUNT)]);
	if (fwtop === undefined) return;
	const {child, runs, exited} = fwtop;
	try {
		await until(() => runs() >= 1, 30_000, 'the first read');
		await sleep(WAIT_MS);
		const takenWhileWaiting = runs();
		const chunks: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.stdout.resume();
		const code = await exited;
		const stderr = fwtop.stderr();
		t.diagnostic(`samples taken while the reader waited: ${takenWhileWaiting}; stderr: ${JSON.stringify(stderr)}`);
		assert.equal(code, 0, stderr);
		assert.ok(takenWhileWaiting <= 2, `fwtop took ${takenWhileWaiting} samples in ${WAIT_MS} ms while its reader did not read`);
		const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter(line => line !== '').map(line => JSON.parse(line) as {seq: number; elapsed: number | null});
		assert.deepEqual(lines.map(line => line.seq), Array.from({length: COUNT}, (_, i) => i + 1), 'every sample taken is printed, the last one too');
		const longest = Math.max(...lines.map(line => line.elapsed ?? 0));
		assert.ok(longest >= (WAIT_MS - 500) / 1000, `one sample's Δt covers the wait (longest ${longest} s)`);
		// Reads of 2,000 rules on a busy machine may also take longer than 0.1 s, and say so (and
		// when they fit again).
		const aboutReads = /^fwtop: (?:a read took longer than|reads fit in) the interval/;
		const warnings = stderr.split('\n').filter(line => line !== '' && !aboutReads.test(line));
		// Once for the wait; a busy machine may make this test a slow reader again later.
		assert.ok(warnings.length > 0 && warnings.every(line => line === 'fwtop: the reader of --json is slower than the interval: waiting for it before the next sample'), stderr);
	} finally {
		fwtop.stop();
	}
});

test('SIGTERM ends --json within a second or so even when its reader has stopped reading', async t => {
	// Never read: the pipe fills with the first line and fwtop holds the rest of it.
	const fwtop = startUnread(t, 'stopped', []);
	if (fwtop === undefined) return;
	const {child, runs, exited} = fwtop;
	try {
		await until(() => runs() >= 1 && fwtop.stderr().includes('slower than the interval'), 30_000, 'a line the reader has not taken');
		const signalled = performance.now();
		child.kill('SIGTERM');
		const code = await Promise.race([exited, sleep(STOP_GRACE_MS + 4000, 'still running' as const, {ref: false})]);
		const took = performance.now() - signalled;
		const stderr = fwtop.stderr();
		t.diagnostic(`ended ${took.toFixed(0)} ms after SIGTERM; stderr: ${JSON.stringify(stderr)}`);
		assert.equal(code, 0, `fwtop ${code === 'still running' ? 'was still running' : `exited ${String(code)}`} ${took.toFixed(0)} ms after SIGTERM; stderr: ${stderr}`);
		assert.ok(!/\n\s+at /.test(stderr), 'no stack trace');
	} finally {
		fwtop.stop();
	}
});
