// A long run of the built binary: `--json --interval 0.2` against the lab's Docker host while a
// client fetches through the DNAT and, every few seconds, a Docker-like rule (a published port of a
// container that comes and goes) is inserted at the top of nat DOCKER and deleted again. Checks
// that no sample is lost (seq contiguous), that fwtop's memory stays flat, that no delta or rate is
// ever negative, that each churned rule shows up `new`, and that the DNAT rule keeps its id.
//   CI: 60 s.  The full run: FWTOP_LONG_RUN_SECONDS=600 node scripts/run-tests.mjs test/lab/long-run.test.ts
import assert from 'node:assert/strict';
import {type ChildProcessByStdio, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import type {Readable} from 'node:stream';
import {test, type TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createLab, type Lab} from '../../source/lab/lab.ts';
import {onJsonLines} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const seconds = Number(process.env.FWTOP_LONG_RUN_SECONDS ?? 60);
const CHURN_EVERY_MS = 3000;
const CHURN_LIFETIME_MS = 1500;
/** RSS may grow by this share between 20 % and 100 % of the run, plus the slack below. */
const GROWTH = 0.05;
const SLACK_BYTES = 4 * 1024 * 1024;
/** V8 sizes its heap during the first minute and a half (measured with this test's load: RSS
 * 71 MB at 15 s, 88 MB at 60 s, then 101–104 MB from 85 s on, traced to 175 s), so flatness is measured
 * from 20 % of the run but never before this; a run too short to have that much after it (CI's
 * 60 s) checks a ceiling instead, which still catches a leak of a few hundred kB a sample. */
const WARM_UP_S = 120;
const CEILING_BYTES = 160 * 1024 * 1024;

type Rated = {packets: number | bigint; deltaPackets: number | bigint | null; deltaBytes: number | bigint | null; packetsPerSecond: number | null; bytesPerSecond: number | null; status: string};
type RuleJson = Rated & {id: string; index: number; target: string; options: string};
type SampleJson = {seq: number; tables: Array<{family: string; name: string; chains: Array<Rated & {name: string; rules: RuleJson[]}>}>};

/** What the run saw, gathered line by line so that a 10-minute run keeps no samples: `present`
 * holds the churned rules of the last sample, `appeared` the status of each one the sample it
 * appeared in. */
type Seen = {seqs: number[]; negatives: string[]; dnatIds: Set<string>; present: Set<string>; appeared: string[]};

const nonNegative = (value: number | bigint | null): boolean => value === null || value >= 0;

function look(sample: SampleJson, seen: Seen): void {
	seen.seqs.push(sample.seq);
	for (const table of sample.tables) {
		for (const chain of table.chains) {
			for (const item of [chain, ...chain.rules]) {
				if (![item.deltaPackets, item.deltaBytes, item.packetsPerSecond, item.bytesPerSecond].every(nonNegative)) seen.negatives.push(`sample ${sample.seq} ${table.name} ${chain.name}`);
			}

			if (table.family === 'ipv4' && table.name === 'nat' && chain.name === 'DOCKER') lookAtDocker(chain.rules, seen);
		}
	}
}

function lookAtDocker(rules: RuleJson[], seen: Seen): void {
	const present = new Set<string>();
	for (const rule of rules.filter(candidate => candidate.target === 'DNAT')) {
		if (rule.options.includes('172.17.0.2:80') && /--dport 80\b/.test(rule.options)) seen.dnatIds.add(rule.id);
		if (!/--dport 9\d{3}\b/.test(rule.options)) continue;
		present.add(rule.id);
		// The sample a churned rule appears in decides: it must be new there.
		if (!seen.present.has(rule.id)) seen.appeared.push(rule.status);
	}

	seen.present = present;
}

const residentBytes = (pid: number): number | undefined => {
	try {
		return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
	} catch {
		return undefined;
	}
};

const sleep = async (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[sorted.length >> 1] ?? 0;
}

/** Reads fwtop's NDJSON as it comes, one sample at a time. */
function watch(child: ChildProcessByStdio<null, Readable, null>, seen: Seen): void {
	onJsonLines(child.stdout, value => {
		look(value as SampleJson, seen);
	});
}

type Churn = {churns: number; rss: Array<{at: number; bytes: number}>};

/** For `seconds`: a container's published port comes (DNAT at the top of nat DOCKER) and goes,
 * every CHURN_EVERY_MS; fwtop's RSS is read twice a second. */
async function churn(lab: Lab, pid: number): Promise<Churn> {
	const result: Churn = {churns: 0, rss: []};
	const started = performance.now();
	while (performance.now() - started < seconds * 1000) {
		const spec = ['!', '-i', 'docker0', '-p', 'tcp', '-m', 'tcp', '--dport', String(9000 + (result.churns % 100)), '-j', 'DNAT', '--to-destination', '172.17.0.9:80'];
		await lab.iptables(['-t', 'nat', '-I', 'DOCKER', '1', ...spec]);
		result.churns++;
		for (let waited = 0; waited < CHURN_EVERY_MS; waited += 500) {
			if (waited === CHURN_LIFETIME_MS) await lab.iptables(['-t', 'nat', '-D', 'DOCKER', ...spec]);
			const bytes = residentBytes(pid);
			assert.ok(bytes !== undefined, 'fwtop is still running');
			result.rss.push({at: (performance.now() - started) / (seconds * 1000), bytes});
			await sleep(500);
		}
	}

	return result;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function check(seen: Seen, run: Churn, t: TestContext): void {
	const from = Math.max(0.2, WARM_UP_S / seconds);
	const rssAt = (share: number): number => median(run.rss.filter(point => Math.abs(point.at - share) <= 0.05).map(point => point.bytes));
	const early = rssAt(Math.min(from, 0.5));
	const late = median(run.rss.filter(point => point.at >= 0.95).map(point => point.bytes));
	const peak = Math.max(...run.rss.map(point => point.bytes));
	t.diagnostic(`${seen.seqs.length} samples, ${run.churns} churned rules; fwtop RSS ${mb(early)} at ${(100 * Math.min(from, 0.5)).toFixed(0)} % of the run, ${mb(late)} at the end, ${mb(peak)} at most`);
	const expected = (seconds / 0.2) * 0.5;
	assert.ok(seen.seqs.length >= expected, `${seen.seqs.length} samples in ${seconds} s at 0.2 s (at least ${expected} expected)`);
	assert.deepEqual(seen.seqs, seen.seqs.map((_, i) => i + 1), 'seq numbers contiguous from 1: no sample lost');
	assert.deepEqual(seen.negatives, [], 'no negative delta or rate');
	assert.equal(seen.dnatIds.size, 1, `the DNAT rule keeps one id through ${run.churns} insertions above it`);
	assert.ok(seen.appeared.length >= run.churns - 1, `${seen.appeared.length} of ${run.churns} churned rules were seen`);
	assert.deepEqual(seen.appeared.filter(status => status !== 'new'), [], 'each churned rule shows up as new');
	assert.ok(peak <= CEILING_BYTES, `RSS reached ${mb(peak)} (ceiling ${mb(CEILING_BYTES)})`);
	if (from > 0.5) {
		t.diagnostic(`flatness not checked: ${seconds} s leaves too little after V8's ${WARM_UP_S} s warm-up (FWTOP_LONG_RUN_SECONDS=600 checks it)`);
		return;
	}

	assert.ok(late - early <= (GROWTH * early) + SLACK_BYTES, `RSS grew from ${mb(early)} to ${mb(late)} (end): more than ${100 * GROWTH} % + ${mb(SLACK_BYTES)}`);
}

test(`fwtop --json --interval 0.2 for ${seconds} s with rule churn: no sample lost, memory flat`, {timeout: (seconds + 180) * 1000}, async t => {
	if (!await requireLab(t)) return;
	const lab = await createLab();
	const trickle = lab.startTrickle({intervalMs: 500});
	const child = spawn(process.execPath, [cliPath, '--json', '--netns', lab.host, '--interval', '0.2'], {stdio: ['ignore', 'pipe', 'inherit']});
	const seen: Seen = {seqs: [], negatives: [], dnatIds: new Set(), present: new Set(), appeared: []};
	watch(child, seen);
	let run: Churn;
	try {
		run = await churn(lab, child.pid!);
	} finally {
		child.kill('SIGTERM');
		await new Promise(resolve => child.once('exit', resolve));
		await trickle.stop();
		await lab.teardown();
	}

	check(seen, run, t);
});
