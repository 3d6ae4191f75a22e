// `--record` in the lab while connections cross Docker's DNAT, then `--replay` of the file without
// root: the replay prints exactly the lines the live run printed (deltas, rates, stamps, warnings).
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {readRecording} from '../../source/collect/replay.ts';
import {createLab, published} from '../../source/lab/lab.ts';
import {parseJsonExact, waitFor} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

type Rule = {target: string; options: string; deltaPackets: bigint | number | null; packetsPerSecond: number | null};
type Line = {seq: number; tables: Array<{family: string; name: string; chains: Array<{name: string; rules: Rule[]}>}>};

function dnatDeltas(lines: string[]): bigint {
	let sum = 0n;
	for (const line of lines) {
		const sample = parseJsonExact(line) as Line;
		const docker = sample.tables.find(t => t.family === 'ipv4' && t.name === 'nat')?.chains.find(c => c.name === 'DOCKER');
		const rule = docker?.rules.find(r => r.target === 'DNAT' && r.options.includes('172.17.0.2:80'));
		sum += BigInt(rule?.deltaPackets ?? 0);
	}

	return sum;
}

const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];

test('--record in the lab, --replay as nobody: the same JSON lines, exact deltas and rates', async t => {
	if (!await requireLab(t)) return;
	assert.ok(existsSync(cliPath), `${cliPath} is missing: npm test builds it first (npm run build)`);
	const directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-record-lab-'));
	const file = path.join(directory, 'lab.ndjson.gz');
	const lab = await createLab({generation: 27});
	try {
		const live = execa(process.execPath, [cliPath, '--json', '--netns', lab.host, '--interval', '0.3', '--count', '8', '--record', file], {reject: false, timeout: 60_000});
		let printed = '';
		live.stdout.on('data', (chunk: Buffer) => {
			printed += chunk.toString();
		});
		await waitFor('the first sample', () => printed.includes('\n'), 15_000);
		assert.equal((await lab.curl(published.a, {count: 7})).ok, 7);
		const result = await live;
		assert.equal(result.exitCode, 0, result.stderr);
		const liveLines = result.stdout.split('\n').filter(line => line !== '');
		assert.equal(liveLines.length, 8);
		assert.equal(dnatDeltas(liveLines), 7n, 'the live run counted the 7 connections');

		const recording = await readRecording(file);
		assert.equal(recording.header.netns, lab.host);
		assert.ok(recording.entries.length >= 8);
		// Not root, no namespace, no iptables needed: a world-readable copy replayed as nobody.
		const copy = path.join(os.tmpdir(), `fwtop-replay-${process.pid}.ndjson.gz`);
		await execa('install', ['-m', '0644', file, copy]);
		const replay = await execa('setpriv', [...nobody, process.execPath, cliPath, '--json', '--replay', copy, '--speed', '20'], {reject: false, timeout: 60_000});
		await rm(copy, {force: true});
		assert.equal(replay.exitCode, 0, replay.stderr);
		const replayLines = replay.stdout.split('\n').filter(line => line !== '');
		assert.deepEqual(replayLines, liveLines, 'every line, deltas and rates included, is what the live run printed');
	} finally {
		await lab.teardown();
		await rm(directory, {recursive: true, force: true});
	}
});
