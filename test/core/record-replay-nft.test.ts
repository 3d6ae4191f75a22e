// --record and --replay of nft reads without root: a scripted iptables and nft (fwtop's own nft
// captures, test/fixtures/nft/, with counters that grow each read) read through the live
// collectors and poller while the recorder writes a file; the replay must print the same JSON
// lines, byte for byte, for `--backend auto` (iptables + the native `inet native` table) and for
// `--backend nftables` (`nft -j list ruleset` alone).
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {createCollector} from '../../source/collect/collector.ts';
import {withNftables} from '../../source/collect/nft-collector.ts';
import {createReplay, readRecording} from '../../source/collect/replay.ts';
import type {CommandResult, CommandRunner} from '../../source/collect/runner.ts';
import {ownNft} from '../helpers/nft.ts';
import {recordRun, sourceEvents} from '../helpers/source-events.ts';

const directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-record-nft-'));
after(async () => rm(directory, {recursive: true, force: true}));

const NFT = '/usr/sbin/nft';
const IPTABLES = '/usr/sbin/iptables';

/** The `managed` namespace of the fixtures, its native table's ssh counter growing by 3 a read;
 * from the second `nft -j list tables` on, a native table `later` is there too (Docker creating
 * its table after fwtop started). `saves` counts the iptables reads. */
function scriptedHost(): CommandRunner & {saves: () => number} {
	const reads = new Map<string, number>();
	const native = (name: string, count: number) => ownNft('nft_managed_list-table-inet-native.json')
		.replace('"packets": 3, "bytes": 180', `"packets": ${count * 3}, "bytes": ${count * 180}`).replaceAll('"native"', `"${name}"`);
	const runner = async (file: string, args: string[]): Promise<CommandResult> => {
		const command = [file, ...args].join(' ');
		const count = (reads.get(command) ?? 0) + 1;
		reads.set(command, count);
		await new Promise(resolve => setTimeout(resolve, 2));
		const ok = (stdout: string): CommandResult => ({stdout, stderr: '', exitCode: 0, timedOut: false, finishedAt: performance.now(), durationMs: 2});
		if (command === `${IPTABLES} -V`) return ok('iptables v1.8.9 (nf_tables)\n');
		if (command === '/usr/sbin/iptables-save -c') return ok(ownNft('iptables-nft_managed_save-c.txt'));
		if (command === `${NFT} -j list tables`) {
			const tables = ownNft('nft_managed_list-tables.json');
			return ok(count === 1 ? tables : tables.replace(']}', ', {"table": {"family": "inet", "name": "later", "handle": 4}}]}'));
		}

		if (command === `${NFT} -j list table inet native`) return ok(native('native', count));
		if (command === `${NFT} -j list table inet later`) return ok(native('later', count));

		if (command === `${NFT} -j list ruleset`) return ok(ownNft(count === 1 ? 'nft_mixed_json_t0.json' : 'nft_mixed_json_t1.json'));
		throw new Error(`unexpected command: ${command}`);
	};
	return Object.assign(runner, {saves: () => reads.get('/usr/sbin/iptables-save -c') ?? 0});
}

type Mode = 'also' | 'only';

async function record(file: string, mode: Mode, count: number): Promise<string[]> {
	const settings = {
		file, fwtop: '0.0.0-test', host: 'server-1', strategy: 'save', nftables: mode, nft: NFT, tables: undefined,
		familiesExplicit: true, intervalMs: 20, timeoutMs: 5000, netns: undefined,
	} as const;
	const host = scriptedHost();
	const collector = (runner: CommandRunner) => {
		const iptables = mode === 'only' ? null : createCollector({runner, families: ['ipv4'], familiesExplicit: true, backend: 'auto', strategy: 'save', timeoutMs: 5000, iptablesPath: IPTABLES});
		// 6 s of the native reader's clock a read: it lists the tables again every second read or so.
		return withNftables(iptables, {runner, mode, families: ['ipv4'], timeoutMs: 5000, nftPath: NFT, clock: () => host.saves() * 6000});
	};

	return recordRun(settings, collector, host, count);
}

describe('record and replay with nft', () => {
	it('--backend auto: the native table\'s rules replay with the live run\'s rates, line for line', async () => {
		const file = path.join(directory, 'auto.ndjson.gz');
		const live = await record(file, 'also', 6);
		assert.ok(live.every(line => line.includes('"name":"native"')), live[0]);
		assert.ok(!live[0]!.includes('"name":"later"') && live.at(-1)!.includes('"name":"later"'), 'the live run listed the tables again and found `later`');
		const replayed = await sourceEvents(createReplay(await readRecording(file), {speed: 20, loop: false}), 99);
		assert.deepEqual(replayed, [...live, 'end']);
	});

	it('--backend nftables: every table replays with the live run\'s times and rates, line for line', async () => {
		const file = path.join(directory, 'nftables.ndjson.gz');
		const live = await record(file, 'only', 4);
		const replayed = await sourceEvents(createReplay(await readRecording(file), {speed: 20, loop: false}), 99);
		assert.deepEqual(replayed, [...live, 'end']);
	});
});
