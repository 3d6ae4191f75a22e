// `--record` in the lab while connections cross Docker's DNAT, then `--replay` of the file without
// root: the replay prints exactly the lines the live run printed (deltas, rates, stamps, warnings),
// for iptables alone (--backend nft), iptables with a native nft table beside it (--backend auto)
// and nft alone (--backend nftables, Docker 29's ruleset).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {findBinary} from '../../source/collect/binaries.ts';
import {readRecording} from '../../source/collect/replay.ts';
import {dockerRuleset, readmeBridges} from '../../source/lab/docker-ruleset.ts';
import {published, type Lab, type LabOptions} from '../../source/lab/lab.ts';
import {cliPath, withCliLab} from './cli-lab.ts';
import {parseJsonExact, waitFor} from './helpers.ts';
const dockerLikeNft = fileURLToPath(new URL('../fixtures/nft/setup/docker-like.nft', import.meta.url));
// A native table iptables-nft does not show: only the nft reader of --backend auto sees it.
const nativeTable = 'table inet native {\n\tchain pre {\n\t\ttype filter hook prerouting priority -150; policy accept;\n\t\tct state new tcp dport 80 counter\n\t}\n}\n';

type Rule = {target?: string; options?: string; spec?: string; deltaPackets: bigint | number | null};
type Line = {tables: Array<{family: string; name: string; nftFamily?: string; chains: Array<{name: string; rules: Rule[]}>}>};

/** Σ Δpackets over the lines of the rules `pick` chooses (table, chain, rule). */
function deltas(lines: string[], pick: (table: Line['tables'][number], chain: string, rule: Rule) => boolean): bigint {
	let sum = 0n;
	for (const line of lines) {
		for (const table of (parseJsonExact(line) as Line).tables) {
			for (const chain of table.chains) {
				for (const rule of chain.rules.filter(r => pick(table, chain.name, r))) sum += BigInt(rule.deltaPackets ?? 0);
			}
		}
	}

	return sum;
}

const dockerDnat = (table: Line['tables'][number], chain: string, rule: Rule) =>
	table.nftFamily === undefined && table.name === 'nat' && chain === 'DOCKER' && rule.target === 'DNAT' && rule.options!.includes('172.17.0.2:80');
const nativeCounter = (table: Line['tables'][number], _chain: string, rule: Rule) =>
	table.nftFamily === 'inet' && table.name === 'native' && rule.spec === 'ct state new tcp dport 80 counter';
const nftDnat = (table: Line['tables'][number], _chain: string, rule: Rule) =>
	table.nftFamily === 'ip' && table.name === 'docker-bridges' && /counter dnat to 172\.17\.0\.2:80/.test(rule.spec ?? '');

const nobody = ['--reuid=65534', '--regid=65534', '--clear-groups'];

type Case = {backend: string; lab: LabOptions; counted: Array<[string, typeof dockerDnat]>};

async function recordAndReplay(t: TestContext, {backend, lab: labOptions, counted}: Case): Promise<void> {
	if (backend !== 'nft' && findBinary('nft') === undefined) {
		assert.ok(process.env['CI'] !== 'true', 'nft is missing (CI installs nftables)');
		t.skip('nft is missing');
		return;
	}

	await withCliLab(t, async lab => {
		const directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-record-lab-'));
		try {
			await recordThenReplay(lab, path.join(directory, 'lab.ndjson.gz'), backend, counted);
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	}, labOptions);
}

async function recordThenReplay(lab: Lab, file: string, backend: string, counted: Case['counted']): Promise<void> {
	const live = execa(process.execPath, [cliPath, '--json', '--backend', backend, '--netns', lab.host, '--interval', '0.3', '--count', '8', '--record', file], {reject: false, timeout: 60_000});
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
	for (const [what, pick] of counted) assert.equal(deltas(liveLines, pick), 7n, `the live run counted the 7 connections in ${what}`);

	const recording = await readRecording(file);
	assert.equal(recording.header.netns, lab.host);
	assert.ok(recording.entries.length >= 8);
	// Not root, no namespace, no iptables or nft needed: a world-readable copy replayed as nobody.
	const copy = path.join(os.tmpdir(), `fwtop-replay-${process.pid}.ndjson.gz`);
	await execa('install', ['-m', '0644', file, copy]);
	const replay = await execa('setpriv', [...nobody, process.execPath, cliPath, '--json', '--replay', copy, '--speed', '20'], {reject: false, timeout: 60_000});
	await rm(copy, {force: true});
	assert.equal(replay.exitCode, 0, replay.stderr);
	const replayLines = replay.stdout.split('\n').filter(line => line !== '');
	assert.deepEqual(replayLines, liveLines, 'every line, deltas and rates included, is what the live run printed');
}

test('--record in the lab, --replay as nobody: the same JSON lines, exact deltas and rates', async t => {
	await recordAndReplay(t, {backend: 'nft', lab: {generation: 27}, counted: [['Docker\'s DNAT', dockerDnat]]});
});

test('--backend auto with a native nft table: the replay shows the table with the live run\'s lines', async t => {
	await recordAndReplay(t, {
		backend: 'auto',
		lab: {rulesetText: dockerRuleset({generation: 27, bridges: readmeBridges}), nftRulesetText: nativeTable},
		counted: [['Docker\'s DNAT', dockerDnat], ['the native table', nativeCounter]],
	});
});

test('--backend nftables (a Docker 29 ruleset): the replay prints the live run\'s lines', async t => {
	await recordAndReplay(t, {backend: 'nftables', lab: {nftRulesetText: readFileSync(dockerLikeNft, 'utf8')}, counted: [['the nft dnat rule', nftDnat]]});
});
