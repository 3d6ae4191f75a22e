// End to end with native nftables: the namespace lab's host runs a Docker-29-style nftables
// ruleset only (no iptables rules), loaded with `nft -f`: fwtop's own small one
// (test/fixtures/nft/setup/docker-like.nft) and, when ../shared is present, the reference
// ../shared/docker/docker-29-nftables.nft. Real connections cross the dnat and masquerade rules;
// the built binary's `--backend nftables --json` must agree with the kernel's counters (`nft -j
// list ruleset` read afterwards), and the path must follow the verdict maps.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {findBinary} from '../../source/collect/binaries.ts';
import {withNftables} from '../../source/collect/nft-collector.ts';
import {spawnRunner, inNamespace} from '../../source/collect/runner.ts';
import {buildPath} from '../../source/core/path.ts';
import {rateSample} from '../../source/core/rates.ts';
import {createLab, externalServer, published, type Lab} from '../../source/lab/lab.ts';
import {onJsonLines, parseJsonExact, waitFor} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const ownRuleset = fileURLToPath(new URL('../fixtures/nft/setup/docker-like.nft', import.meta.url));
const sharedRuleset = fileURLToPath(new URL('../../../shared/docker/docker-29-nftables.nft', import.meta.url));

type Counter = number | bigint;
type RuleJson = {id: string; handle: number; spec: string; counted: boolean; packets: Counter | null; bytes: Counter | null; deltaPackets: Counter | null; status: string};
type ChainJson = {name: string; rules: RuleJson[]};
type TableJson = {name: string; nftFamily: string; chains: ChainJson[]};
type SampleJson = {seq: number; tables: TableJson[]};

const interval = 0.3;
const sampleCount = 16;
const connections = {a: 5, b: 3, outbound: 2};
const MAX = 1n << 64n;

/** Every counted rule: `family table chain handle` → [packets, bytes]. */
function fwtopCounters(sample: SampleJson): Map<string, [bigint, bigint]> {
	const counters = new Map<string, [bigint, bigint]>();
	for (const table of sample.tables) {
		for (const chain of table.chains.filter(c => !c.name.startsWith('@'))) {
			for (const rule of chain.rules.filter(r => r.counted)) {
				counters.set(`${table.nftFamily} ${table.name} ${chain.name} ${rule.handle}`, [BigInt(rule.packets!), BigInt(rule.bytes!)]);
			}
		}
	}

	return counters;
}

/** The same from `nft -j list ruleset`, read independently of fwtop's parser. */
function kernelCounters(text: string): Map<string, [bigint, bigint]> {
	const counters = new Map<string, [bigint, bigint]>();
	const u64 = (value: unknown): bigint => (BigInt(value as number) + MAX) % MAX;
	for (const item of (parseJsonExact(text) as {nftables: Array<{rule?: {family: string; table: string; chain: string; handle: number; expr: unknown[]}}>}).nftables) {
		const counter = item.rule?.expr.find((statement): statement is {counter: {packets: Counter; bytes: Counter}} =>
			typeof (statement as {counter?: unknown}).counter === 'object');
		if (item.rule && counter) counters.set(`${item.rule.family} ${item.rule.table} ${item.rule.chain} ${item.rule.handle}`, [u64(counter.counter.packets), u64(counter.counter.bytes)]);
	}

	return counters;
}

function rule(sample: SampleJson, chain: string, text: string): RuleJson {
	const found = sample.tables.filter(t => t.nftFamily === 'ip' && t.name === 'docker-bridges')
		.flatMap(t => t.chains).filter(c => c.name === chain).flatMap(c => c.rules).filter(r => r.spec.includes(text));
	assert.equal(found.length, 1, `sample ${sample.seq}: one ${chain} rule with "${text}"`);
	return found[0]!;
}

const dnatA = (s: SampleJson) => rule(s, 'nat-prerouting-and-output', 'dnat to 172.17.0.2:80');
const dnatB = (s: SampleJson) => rule(s, 'nat-prerouting-and-output', 'dnat to 172.18.0.2:80');
const masqueradeA = (s: SampleJson) => rule(s, 'nat-postrouting-out__docker0', 'masquerade');
const sumDeltas = (samples: SampleJson[], pick: (s: SampleJson) => RuleJson) => samples.reduce((sum, s) => sum + BigInt(pick(s).deltaPackets ?? 0), 0n);

async function traffic(lab: Lab): Promise<void> {
	assert.equal((await lab.curl(published.a, {count: connections.a})).ok, connections.a);
	assert.equal((await lab.curl(published.b, {count: connections.b})).ok, connections.b);
	for (let i = 0; i < connections.outbound; i++) {
		await lab.exec(lab.roles.containerA, 'curl', ['-sf', '-o', '/dev/null', '--max-time', '2', externalServer]);
	}
}

/** `fwtop --json --backend nftables` in the lab, its samples collected as they arrive. */
function startCli(lab: Lab) {
	const child = execa(process.execPath, [cliPath, '--json', '--backend', 'nftables', '--netns', lab.host, '--interval', String(interval), '--count', String(sampleCount)], {
		reject: false, timeout: 60_000, buffer: {stdout: false, stderr: true},
	});
	const samples: SampleJson[] = [];
	let ended: string | undefined;
	void child.then(result => {
		ended = `fwtop exited ${String(result.exitCode)}: ${String(result.stderr)}`;
	});
	onJsonLines(child.stdout!, value => samples.push(value as SampleJson));
	/** A sample matching `predicate`; fails at once when fwtop has ended without one. */
	const sampleWhere = async (what: string, predicate: (s: SampleJson) => boolean) => waitFor(what, () => {
		const found = samples.find(s => predicate(s));
		if (found === undefined && ended !== undefined) throw new Error(`${ended} (before ${what})`);
		return found;
	}, 30_000);
	return {child, samples, sampleWhere};
}

async function jsonRun(lab: Lab): Promise<void> {
	const {child, samples, sampleWhere} = startCli(lab);
	try {
		await sampleWhere('the first sample', () => true);
		await traffic(lab);
		await sampleWhere('the connections counted', s => BigInt(dnatA(s).packets!) === BigInt(connections.a) && BigInt(dnatB(s).packets!) === BigInt(connections.b));
		const result = await child;
		assert.equal(result.exitCode, 0, String(result.stderr));
	} finally {
		child.kill();
	}

	const kernel = kernelCounters(await lab.exec(lab.host, 'nft', ['-j', 'list', 'ruleset']));
	assert.equal(samples.length, sampleCount);
	assert.deepEqual(fwtopCounters(samples.at(-1)!), kernel, 'the last sample = nft -j list ruleset afterwards');
	assert.equal(sumDeltas(samples, dnatA), BigInt(connections.a), 'summed Δ of the dnat rule = connections (first packets)');
	assert.equal(sumDeltas(samples, dnatB), BigInt(connections.b));
	assert.equal(sumDeltas(samples, masqueradeA), BigInt(connections.outbound), 'masquerade counts the outbound connections');
	const vmap = rule(samples.at(-1)!, 'filter-FORWARD', 'oifname vmap');
	assert.deepEqual([vmap.counted, vmap.packets, vmap.status], [false, null, 'uncounted']);
}

/** In-process: the path of two readings around a connection follows the vmap to the bridge's chain. */
async function pathRun(lab: Lab): Promise<void> {
	const runner = inNamespace(spawnRunner, findBinary('ip')!, lab.host);
	const collector = withNftables(null, {runner, mode: 'only', families: ['ipv4'], timeoutMs: 5000});
	const before = rateSample(null, await collector.collect());
	assert.equal((await lab.curl(published.a, {count: 2})).ok, 2);
	const {rated} = rateSample(before.state, await collector.collect());
	const rows = buildPath(rated, {family: 'ipv4', kind: 'forward', hideIdle: true});
	const labels = rows.map(row => `${row.depth} ${row.kind} ${row.label}`);
	const note = labels.indexOf('3 note "docker0" : jump filter-forward-in__docker0');
	assert.ok(note > 0 && labels[note - 1] === '2 rule oifname vmap @filter-forward-in-jumps', labels.join('\n'));
	assert.ok(labels.slice(note).includes('3 rule ip daddr 172.17.0.2 tcp dport 80 counter accept'), labels.join('\n'));
	assert.ok(labels.some(label => /^3 rule iifname != "docker0" tcp dport 80 counter dnat to 172\.17\.0\.2:80/.test(label)), labels.join('\n'));
}

async function labRun(t: TestContext, rulesetFile: string): Promise<void> {
	if (!await requireLab(t)) return;
	for (const [what, present] of [['nft', findBinary('nft') !== undefined], [cliPath, existsSync(cliPath)]] as const) {
		if (present) continue;
		assert.ok(process.env['CI'] !== 'true', `${what} is missing (CI installs nftables and npm test builds dist/ first)`);
		t.skip(`${what} is missing`);
		return;
	}

	const lab = await createLab({nftRulesetText: readFileSync(rulesetFile, 'utf8')});
	try {
		await jsonRun(lab);
		await pathRun(lab);
	} finally {
		await lab.teardown();
	}
}

test('nft lab (own docker-like ruleset): --backend nftables deltas equal the kernel\'s counters, the path follows the vmaps', {timeout: 120_000}, async t => {
	await labRun(t, ownRuleset);
});

test('nft lab (../shared docker-29-nftables.nft): the same', {timeout: 120_000}, async t => {
	if (!existsSync(sharedRuleset)) {
		t.skip(`${sharedRuleset} is not present (../shared is not beside this checkout)`);
		return;
	}

	await labRun(t, sharedRuleset);
});
