// --record and --replay without root: a scripted iptables (recorded outputs and exit codes) read
// through the real collector and poller while the recorder writes a file, then the file played
// back through the replay: the same JSON lines, a failed read included; and the format's checks.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {gunzipSync, gzipSync} from 'node:zlib';
import {createCollector} from '../../source/collect/collector.ts';
import {createReplay, decodeRecording, readRecording, ReplayError} from '../../source/collect/replay.ts';
import type {CommandResult, CommandRunner} from '../../source/collect/runner.ts';
import {parseRecording, RecordingError, recordingLine, type RecordingHeader} from '../../source/core/recording.ts';
import {dockerNat} from '../helpers/samples.ts';
import {recordRun, sourceEvents} from '../helpers/source-events.ts';
import {streamedResult} from '../helpers/streamed-result.ts';

const directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-record-'));
after(async () => rm(directory, {recursive: true, force: true}));

/** iptables-save whose DNAT counter grows by 3 each read; read 3 times out (a held lock). Its
 * output streams when the caller asks for that: a recording must hold it whole all the same. */
function scriptedIptables(): CommandRunner {
	let reads = 0;
	return async (file, args, options): Promise<CommandResult> => streamedResult(await answer(file, args), options.stdout, 100);
	async function answer(file: string, args: string[]): Promise<CommandResult> {
		await new Promise(resolve => setTimeout(resolve, 2));
		const finishedAt = performance.now();
		const base = {stderr: '', exitCode: 0, timedOut: false, finishedAt, durationMs: 2};
		if (args[0] === '-V') return {...base, stdout: 'iptables v1.8.9 (nf_tables)\n'};
		assert.equal(file, '/usr/sbin/iptables-save');
		reads++;
		if (reads === 3) return {...base, stdout: '', exitCode: undefined, timedOut: true};
		return {...base, stdout: dockerNat(reads * 3), stderr: reads === 2 ? '# Warning: iptables-legacy tables present, use iptables-legacy to see them\n' : ''};
	}
}

const settings = {fwtop: '0.0.0-test', strategy: 'save', nftables: 'off', nft: null, tables: undefined, familiesExplicit: true, intervalMs: 20, timeoutMs: 5000, netns: undefined} as const;

async function record(file: string, count: number): Promise<string[]> {
	const collector = (runner: CommandRunner) => createCollector({runner, families: ['ipv4'], familiesExplicit: true, backend: 'auto', strategy: 'save', timeoutMs: 5000});
	return recordRun({...settings, file, host: 'server-1'}, collector, scriptedIptables(), count);
}

describe('record and replay', () => {
	it('a replay gives the live run\'s samples line for line, the failed read and its warning too', async () => {
		const file = path.join(directory, 'run.ndjson.gz');
		const live = await record(file, 4);
		assert.equal(live.filter(line => line.startsWith('error:')).length, 1);
		const recording = await readRecording(file);
		assert.equal(recording.truncated, false);
		assert.equal(recording.header.host, 'server-1');
		assert.deepEqual(recording.header.source, {command: '/usr/sbin/iptables-save -c', version: '1.8.9', backend: 'nf_tables'});
		assert.deepEqual(recording.entries.map(entry => entry.error === undefined), [true, true, false, true, true]);
		assert.deepEqual(recording.entries[0]!.reads.map(read => [read.family, read.command, ...read.args]), [
			['ipv4', '/usr/sbin/iptables', '-V'], ['ipv4', '/usr/sbin/iptables-save', '-c'],
		]);
		const replayed = await sourceEvents(createReplay(recording, {speed: 20, loop: false}), 99);
		assert.deepEqual(replayed, [...live, 'end']);
		assert.match(live[3]!, /"warnings":\["previous read failed: .*gave no answer/);
	});

	it('plays in the recorded rhythm divided by --speed', async () => {
		const file = path.join(directory, 'rhythm.ndjson.gz');
		await record(file, 2);
		const recording = await readRecording(file);
		const span = recording.entries.at(-1)!.t - recording.entries[0]!.t;
		const started = performance.now();
		await sourceEvents(createReplay(recording, {speed: 0.5, loop: false}), 99);
		assert.ok(performance.now() - started >= span * 2 - 5, `played in ${performance.now() - started} ms, recorded ${span} ms`);
	});

	it('loops with time going forward: the next pass starts with a reset, never a negative Δt', async () => {
		const file = path.join(directory, 'loop.ndjson.gz');
		await record(file, 2);
		const replayed = await sourceEvents(createReplay(await readRecording(file), {speed: 50, loop: true}), 5);
		type Json = {seq: number; elapsed: number | null; tables: Array<{chains: Array<{rules: Array<{target: string; status: string}>}>}>};
		const samples = replayed.map(line => JSON.parse(line) as Json);
		const dnat = (sample: Json) => sample.tables[0]!.chains.flatMap(chain => chain.rules).find(rule => rule.target === 'DNAT')!.status;
		assert.deepEqual(samples.map(sample => sample.seq), [1, 2, 3, 4, 5]);
		assert.ok(samples.slice(1).every(sample => sample.elapsed !== null && sample.elapsed > 0));
		assert.deepEqual(samples.map(sample => dnat(sample)), ['new', 'ok', 'reset', 'ok', 'reset']);
	});

	it('a recording cut short (the process killed) replays up to its last complete read', async () => {
		const file = path.join(directory, 'cut.ndjson.gz');
		await record(file, 2);
		const whole = await readFile(file);
		const text = gunzipSync(whole).toString('utf8');
		const cut = text.slice(0, text.lastIndexOf('\n', text.length - 2) + 20);
		const recording = decodeRecording(gzipSync(cut).subarray(0, -8));
		assert.equal(recording.truncated, true);
		assert.equal(recording.entries.length, parseRecording(text).entries.length - 1);
	});

	it('-6 on an IPv4 recording, an empty file and a foreign file are one-line errors', async () => {
		const file = path.join(directory, 'v4.ndjson.gz');
		await record(file, 1);
		const recording = await readRecording(file);
		assert.throws(() => createReplay(recording, {speed: 1, loop: false, families: ['ipv6']}), /has only ipv4/);
		assert.throws(() => decodeRecording(Buffer.from('')), /empty/);
		assert.throws(() => decodeRecording(Buffer.from('*filter\nCOMMIT\n')), ReplayError);
		await writeFile(path.join(directory, 'x'), 'x');
		await assert.rejects(readRecording(path.join(directory, 'missing')), /cannot read it \(ENOENT\)/);
	});
});

describe('recording format', () => {
	const header: RecordingHeader = {
		format: 'fwtop-recording', version: 1, created: '2026-11-24T12:00:00.000Z', host: 'h',
		source: {command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables'}, families: ['ipv4'],
		commands: [{family: 'ipv4', iptables: '/usr/sbin/iptables', save: '/usr/sbin/iptables-save', display: '/usr/sbin/iptables-save -c'}],
		notes: [], strategy: 'save', nftables: 'off', nft: null, tables: null, familiesExplicit: false, intervalMs: 1000, timeoutMs: 5000, netns: null, fwtop: '0.1.0',
	};
	const entry = {t: 1500.25, readMs: 12.5, wall: '2026-11-24T12:00:01.000Z', reads: [{family: 'ipv4' as const, command: '/usr/sbin/iptables-save', args: ['-c'], stdout: 'x\n', stderr: '', exitCode: 0}]};

	it('round-trips a header and an entry, one JSON object a line', () => {
		const text = recordingLine(header) + recordingLine(entry);
		assert.equal(text.split('\n').length, 3);
		assert.deepEqual(parseRecording(text), {header, entries: [entry], truncated: false});
	});

	const broken: Array<[string, string, RegExp]> = [
		['not JSON', 'hello\n', /not an fwtop recording/],
		['another format', '{"format":"other"}\n', /not an fwtop recording/],
		['a newer version', recordingLine({...header, version: 2}), /format version 2; this fwtop reads version 1: upgrade/],
		['a field of the wrong type', recordingLine({...header, intervalMs: '1000' as unknown as number}), /line 1: "intervalMs" must be number \(got string\)/],
		['a bad entry', recordingLine(header) + '{"t":1,"readMs":1,"wall":"w","reads":[{"command":"x"}]}\n', /line 2 reads\[0\]: "args" must be array/],
	];
	for (const [what, text, message] of broken) {
		it(`rejects ${what} with the line and the key`, () => {
			assert.throws(() => parseRecording(text), (error: unknown) => error instanceof RecordingError && message.test(error.message));
		});
	}
});
