// End to end: the built binary's `--json` reading a namespace lab's firewall while real
// connections cross Docker's DNAT, checked against the kernel's own counters.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa, type ResultPromise} from 'execa';
import {createLab, published, type Backend, type Lab, type LabOptions} from '../../source/lab/lab.ts';
import {onJsonLines, waitFor} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const shared = new URL('../../../shared/docker/', import.meta.url);

type Counter = number | bigint;
type RateFields = {
	packets: Counter;
	bytes: Counter;
	deltaPackets: Counter | null;
	deltaBytes: Counter | null;
	packetsPerSecond: number | null;
	bytesPerSecond: number | null;
	status: 'new' | 'reset' | 'ok' | 'stale';
};
type RuleJson = RateFields & {id: string; index: number; target: string; options: string};
type ChainJson = RateFields & {name: string; builtin: boolean; rules: RuleJson[]};
type TableJson = {family: string; name: string; chains: ChainJson[]};
type SampleJson = {seq: number; time: string; elapsed: number | null; tables: TableJson[]};

const burst = {first: 12, afterInsert: 5, afterZero: 4};
// Each phase below normally takes one sample; the rest are idle samples (zero deltas, status ok).
const interval = 0.3;
const sampleCount = 18;

/** The rule that DNATs host port 80 to container A. */
function dnatA(sample: SampleJson): RuleJson {
	const rules = chain(sample, 'nat', 'DOCKER').rules.filter(rule =>
		rule.target === 'DNAT' && /--dport 80\b/.test(rule.options) && rule.options.includes('172.17.0.2:80'));
	assert.equal(rules.length, 1, `sample ${sample.seq}: one DNAT rule for host port 80`);
	return rules[0]!;
}

function chain(sample: SampleJson, table: string, name: string): ChainJson {
	const found = sample.tables.find(t => t.family === 'ipv4' && t.name === table)?.chains.find(c => c.name === name);
	assert.ok(found, `sample ${sample.seq}: ipv4 ${table} ${name} present`);
	return found;
}

/** Runs the CLI and collects its samples as they arrive. */
function startCli(lab: Lab, extraArgs: string[]) {
	const samples: SampleJson[] = [];
	const child: ResultPromise = execa(process.execPath, [cliPath, '--json', '--netns', lab.host, '--interval', String(interval), '--count', String(sampleCount), ...extraArgs], {
		reject: false,
		buffer: {stdout: false, stderr: true},
		timeout: 60_000,
	});
	onJsonLines(child.stdout!, value => samples.push(value as SampleJson));
	const exited = () => child.exitCode !== null || child.signalCode !== null;
	/** The first sample after `afterSeq` that satisfies the predicate; fails fast if the CLI ended. */
	const next = async (what: string, afterSeq: number, predicate: (sample: SampleJson) => boolean) =>
		waitFor(what, () => {
			const found = samples.find(sample => sample.seq > afterSeq && predicate(sample));
			if (!found && exited()) {
				throw new Error(`fwtop exited (after ${samples.length} samples) before ${what}`);
			}

			return found;
		}, 15_000, 20);
	return {child, samples, next, last: () => samples.at(-1)?.seq ?? 0};
}

function checkRates(fields: RateFields, where: string, elapsed: number | null): void {
	for (const key of ['deltaPackets', 'deltaBytes', 'packetsPerSecond', 'bytesPerSecond'] as const) {
		const value = fields[key];
		assert.ok(value === null || value >= 0, `${where}: ${key} = ${String(value)} is negative`);
	}

	assert.ok(['new', 'reset', 'ok', 'stale'].includes(fields.status), `${where}: status ${fields.status}`);
	if (fields.status !== 'ok') {
		assert.equal(fields.packetsPerSecond, null, `${where}: status ${fields.status} has a rate`);
		assert.equal(fields.bytesPerSecond, null, `${where}: status ${fields.status} has a rate`);
		return;
	}

	assert.ok(elapsed !== null && elapsed > 0, `${where}: an ok rate needs elapsed > 0`);
	for (const [rate, delta] of [['packetsPerSecond', 'deltaPackets'], ['bytesPerSecond', 'deltaBytes']] as const) {
		const expected = Number(fields[delta]) / elapsed;
		const actual = fields[rate]!;
		assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, expected), `${where}: ${rate} ${actual} ≠ ${delta}/elapsed ${expected}`);
	}
}

/** Every rule and chain of every sample: rates consistent with deltas, never negative. */
function checkAllRates(samples: SampleJson[]): void {
	for (const sample of samples) {
		for (const table of sample.tables) {
			for (const c of table.chains) {
				const where = `sample ${sample.seq} ${table.family} ${table.name} ${c.name}`;
				checkRates(c, where, sample.elapsed);
				c.rules.forEach(rule => checkRates(rule, `${where} #${rule.index}`, sample.elapsed));
			}
		}
	}
}

/** Counters per `table chain index` (and `table chain policy`) from `iptables-save -c`. */
function saveCounters(save: string): Map<string, [bigint, bigint]> {
	const counters = new Map<string, [bigint, bigint]>();
	const positions = new Map<string, number>();
	let table = '';
	for (const line of save.split('\n')) {
		const policy = /^:(\S+) (\S+) \[(\d+):(\d+)\]/.exec(line);
		const rule = /^\[(\d+):(\d+)\] -A (\S+) /.exec(line);
		if (line.startsWith('*')) {
			table = line.slice(1).trim();
		} else if (policy && policy[2] !== '-') {
			counters.set(`${table} ${policy[1]!} policy`, [BigInt(policy[3]!), BigInt(policy[4]!)]);
		} else if (rule) {
			const key = `${table} ${rule[3]!}`;
			const index = (positions.get(key) ?? 0) + 1;
			positions.set(key, index);
			counters.set(`${key} ${index}`, [BigInt(rule[1]!), BigInt(rule[2]!)]);
		}
	}

	return counters;
}

function sampleCounters(sample: SampleJson): Map<string, [bigint, bigint]> {
	const counters = new Map<string, [bigint, bigint]>();
	for (const table of sample.tables.filter(t => t.family === 'ipv4')) {
		for (const c of table.chains) {
			if (c.builtin) {
				counters.set(`${table.name} ${c.name} policy`, [BigInt(c.packets), BigInt(c.bytes)]);
			}

			for (const rule of c.rules) {
				counters.set(`${table.name} ${c.name} ${rule.index}`, [BigInt(rule.packets), BigInt(rule.bytes)]);
			}
		}
	}

	return counters;
}

const sumDeltas = (rules: Array<RuleJson | undefined>) =>
	rules.reduce((sum, rule) => sum + BigInt(rule?.deltaPackets ?? 0), 0n);

async function scenario(lab: Lab, backend: Backend): Promise<void> {
	const cli = startCli(lab, backend === 'legacy' ? ['--backend', 'legacy'] : []);
	try {
		await drive(lab, cli);
	} finally {
		// On failure, do not leave fwtop running until --count.
		cli.child.kill();
	}
}

async function drive(lab: Lab, cli: ReturnType<typeof startCli>): Promise<void> {
	const first = await cli.next('the first sample', 0, () => true);
	const id = dnatA(first).id;

	await lab.curl(published.a, {count: burst.first}).then(result => assert.equal(result.ok, burst.first));
	const afterBurst = await cli.next('the first burst counted', first.seq, s => BigInt(dnatA(s).packets) === BigInt(burst.first));

	// Docker inserts at the top of chains whenever a container starts: counts must not follow positions.
	await lab.iptables(['-t', 'nat', '-I', 'DOCKER', '1', '-p', 'tcp', '-m', 'tcp', '--dport', '80']);
	const isAccounting = (rule: RuleJson) => rule.index === 1 && rule.target === '';
	const inserted = await cli.next('the inserted rule', afterBurst.seq, s => chain(s, 'nat', 'DOCKER').rules.some(isAccounting));
	const newRule = chain(inserted, 'nat', 'DOCKER').rules.find(isAccounting)!;
	assert.equal(newRule.status, 'new');
	assert.equal(BigInt(newRule.packets), 0n);
	assert.equal(dnatA(inserted).id, id, 'the DNAT rule keeps its id when a rule is inserted above it');
	assert.notEqual(dnatA(inserted).status, 'new');
	assert.notEqual(dnatA(inserted).status, 'reset');

	await lab.curl(published.a, {count: burst.afterInsert});
	const total = BigInt(burst.first + burst.afterInsert);
	const afterInsert = await cli.next('the second burst counted', inserted.seq, s => BigInt(dnatA(s).packets) === total);
	const window = cli.samples.filter(s => s.seq > inserted.seq && s.seq <= afterInsert.seq);
	assert.equal(sumDeltas(window.map(s => chain(s, 'nat', 'DOCKER').rules.find(rule => rule.id === newRule.id))), BigInt(burst.afterInsert),
		'the inserted accounting rule counts the new connections');
	assert.equal(sumDeltas(window.map(s => dnatA(s))), BigInt(burst.afterInsert), 'and so does the DNAT rule below it');

	await lab.iptables(['-Z']);
	await lab.iptables(['-t', 'nat', '-Z']);
	const zeroed = await cli.next('the zeroed counters', afterInsert.seq, s => BigInt(dnatA(s).packets) === 0n);
	assert.equal(dnatA(zeroed).status, 'reset', 'iptables -Z is a reset, not a negative rate');
	assert.equal(dnatA(zeroed).deltaPackets, null);
	assert.equal(dnatA(zeroed).id, id);

	await lab.curl(published.a, {count: burst.afterZero});
	await cli.next('the third burst counted', zeroed.seq, s => BigInt(dnatA(s).packets) === BigInt(burst.afterZero));

	const result = await cli.child;
	const save = await lab.save();
	assert.equal(result.exitCode, 0, `fwtop exited ${String(result.exitCode)}: ${String(result.stderr)}`);
	assert.equal(cli.samples.length, sampleCount);
	assert.deepEqual(cli.samples.map(s => s.seq), Array.from({length: sampleCount}, (_, i) => i + 1));
	assert.equal(cli.samples.every(s => s.tables.every(t => typeof t.family === 'string' && typeof t.name === 'string')), true);

	assert.ok(cli.samples.every(s => dnatA(s).id === id), 'one id for the DNAT rule throughout');
	assert.equal(sumDeltas(cli.samples.map(s => dnatA(s))), BigInt(burst.first + burst.afterInsert + burst.afterZero),
		'summed deltaPackets = connections made (nat counts the first packet of each)');
	checkAllRates(cli.samples);
	assert.deepEqual(sampleCounters(cli.samples.at(-1)!), saveCounters(save), 'last sample = iptables-save -c afterwards');
}

async function labRun(t: TestContext, options: LabOptions): Promise<void> {
	if (!await requireLab(t, options.backend ? {backend: options.backend} : {})) {
		return;
	}

	if (!existsSync(cliPath)) {
		assert.ok(process.env.CI !== 'true', `${cliPath} is missing: npm test builds it first (npm run build)`);
		t.skip(`${cliPath} is missing: run npm run build`);
		return;
	}

	const lab = await createLab(options);
	try {
		await scenario(lab, options.backend ?? 'nft');
	} finally {
		await lab.teardown();
	}
}

for (const generation of [27, 29] as const) {
	test(`fwtop --json on generated Docker ${generation} rules: exact deltas, rates and identities`, async t => {
		await labRun(t, {generation});
	});
}

for (const generation of [27, 29] as const) {
	test(`fwtop --json on ../shared/docker/docker-${generation}.iptables-save loaded verbatim`, async t => {
		const file = fileURLToPath(new URL(`docker-${generation}.iptables-save`, shared));
		if (!existsSync(file)) {
			t.skip(`${file} is absent (../shared is not beside the repository)`);
			return;
		}

		await labRun(t, {rulesetText: await readFile(file, 'utf8')});
	});
}

test('fwtop --json --backend legacy on generated Docker 27 rules loaded with iptables-legacy', async t => {
	await labRun(t, {generation: 27, backend: 'legacy'});
});
