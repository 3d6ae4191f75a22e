// `fwtop --demo` where the lab cannot run (here: as uid 65534): the shipped recording of the lab,
// replayed, with a line on stderr that says so and why.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {readRecording} from '../../source/collect/replay.ts';
import {findDemoRecording} from '../../source/cli/sources.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs the built CLI as nobody when we are root (setpriv), else as ourselves: never root. */
async function runUnprivileged(args: string[]) {
	const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
	const [file, ...rest] = [...asNobody, process.execPath, cliPath, ...args];
	return execa(file!, rest, {reject: false, timeout: 30_000, env: {SUDO_USER: ''}});
}

test('the shipped demo recording is a valid recording of the lab with traffic', async () => {
	const file = findDemoRecording({});
	assert.ok(file, 'assets/demo-recording.ndjson.gz is found from source');
	const recording = await readRecording(file);
	assert.equal(recording.truncated, false);
	assert.ok(recording.entries.length >= 30, `${recording.entries.length} reads`);
	assert.ok(recording.entries.some(entry => entry.reads.some(read => read.stdout.includes('--to-destination 172.17.0.2:80'))));
});

test('--demo --json --count 3 without root replays the recording and says so on stderr', async t => {
	if (!existsSync(cliPath)) {
		assert.ok(process.env['CI'] !== 'true', `${cliPath} is missing: npm test builds it first`);
		t.skip(`${cliPath} is missing: run npm run build`);
		return;
	}

	const result = await runUnprivileged(['--demo', '--json', '--count', '3']);
	assert.equal(result.exitCode, 0, result.stderr);
	assert.match(result.stderr, /^fwtop demo: replaying a recording of the lab \(looped\), not a live firewall: the lab needs root .*uid is \d+; for the live lab run: sudo \S+ \S+cli\.js --demo --json --count 3$/);
	const lines = result.stdout.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as {seq: number; elapsed: number | null});
	assert.deepEqual(lines.map(line => line.seq), [1, 2, 3]);
	assert.ok(lines.slice(1).every(line => line.elapsed !== null && line.elapsed > 0));
});
