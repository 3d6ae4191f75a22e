// (5), run as its own process by bench/run.ts:
//   node bench/memory.mjs SAVE_FILE SAMPLES json|dashboard   (bundled by run.ts)
//   FWTOP_CLI=path/to/cli.js to measure another build than dist/cli.js.
// The resident size of the real fwtop (dist/cli.js, or $FWTOP_CLI) after SAMPLES samples of a
// recorded dump, with 2 % of its counters moving each sample. fwtop runs as a user would run it
// (`--json > /dev/null`, or the dashboard in a 200×50 pseudo-terminal) with `--iptables` pointing at
// a stand-in whose `iptables-save -c` prints the dump this process feeds it through a FIFO: the
// same bytes iptables would print, at --interval 0.1, without iptables' own seconds per read at
// 50,000 rules. This process holds the dump, fwtop does not: `rss` is fwtop's VmRSS alone.
//
// Prints one JSON line: fwtop's RSS at sample 100 and at the end (and how much of it is backed by
// files), its highest RSS (VmHWM), its heap after a full GC at the same points (asked through a
// preloaded probe, after RSS was read), the mean RSS while it parsed, and the wall time and fwtop's
// CPU time per sample.
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {open} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {writeStandInIptables} from '../test/helpers/stand-in-iptables.ts';
import {moveCounters} from './counters.ts';
import {childPids, cpuTimes, statusBytes} from './proc.ts';
import {spawnInTerminal} from './terminal.ts';

const [file, samplesText, mode = 'dashboard'] = process.argv.slice(2);
if (!['json', 'dashboard'].includes(mode)) throw new Error(`mode ${mode}: json or dashboard`);
const total = Number(samplesText ?? 600);
const cli = process.env.FWTOP_CLI ?? path.resolve('dist/cli.js');
const timeoutMs = Number(process.env.FWTOP_MEMORY_TIMEOUT_MS ?? 3_600_000);

// On SIGUSR2 the probe writes the heap after a full GC to its file. It only listens: fwtop itself
// runs unchanged: the `gc` exposed here lives in the probe's own `vm` context.
const probe = `
import {writeFileSync} from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
	gc();
	const heap = v8.getHeapStatistics();
	// queued: output written but not yet taken by the pipe's reader (held in fwtop's heap until then).
	writeFileSync(process.env.FWTOP_PROBE_OUT, JSON.stringify({heap: heap.used_heap_size, heapTotal: heap.total_heap_size, queued: process.stdout.writableLength}));
});
`;

type Fwtop = {pid: () => number | undefined; stop: () => Promise<void>; child: ChildProcess};

function standIn(dir: string): {iptables: string; fifo: string} {
	const fifo = path.join(dir, 'dump');
	execFileSync('mkfifo', [fifo]);
	return {iptables: writeStandInIptables(dir, `exec cat '${fifo}'`), fifo};
}

/** `--json` into /dev/null, or the dashboard in a 200×50 pseudo-terminal made by
 * `script` (terminal.ts's spawnInTerminal), with the probe preloaded. */
function startFwtop(args: string[], env: NodeJS.ProcessEnv, probePath: string): Fwtop {
	const command = [process.execPath, '--import', probePath, cli, ...(mode === 'json' ? ['--json'] : []), ...args];
	const child = mode === 'json'
		// Into /dev/null, a file: written as fast as fwtop writes it. Into a pipe, a reader that lags
		// leaves what it has not taken queued in fwtop's heap (`queued`), which is the reader's doing.
		? spawn(command[0]!, command.slice(1), {stdio: ['ignore', 'ignore', 'inherit'], env})
		: spawnInTerminal(command, env);
	child.stdout?.resume();
	const exited = new Promise(resolve => child.once('exit', resolve));
	return {
		child,
		pid() {
			if (mode === 'json') return child.pid;
			return childPids(child.pid!)[0];
		},
		async stop() {
			if (child.exitCode !== null) return;
			if (mode === 'json') child.kill('SIGTERM');
			else child.stdin!.write('q');
			const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		},
	};
}

/** utime + stime of a process, in ms. */
function cpuMs(pid: number): number {
	const times = cpuTimes(pid);
	return Math.round((times.utime + times.stime) * 1000);
}

const memoryBytes = (pid: number, field: Parameters<typeof statusBytes>[1]): number => statusBytes(pid, field) ?? Number.NaN;

async function heapOf(pid: number, out: string): Promise<{heap: number; heapTotal: number; queued: number}> {
	rmSync(out, {force: true});
	process.kill(pid, 'SIGUSR2');
	for (let i = 0; i < 200; i++) {
		await new Promise(resolve => setTimeout(resolve, 50));
		try {
			return JSON.parse(readFileSync(out, 'utf8')) as {heap: number; heapTotal: number; queued: number};
		} catch {
			// Not written yet.
		}
	}

	throw new Error('the probe did not answer');
}

/** Waits (up to 5 minutes: a busy fwtop drains the pipe slowly) until these stand-ins have
 * exited. Only these: fwtop may already have started the next one, which waits for us. */
async function gone(pid: number, standIns: number[], sample: number): Promise<void> {
	const until = Date.now() + 300_000;
	while (Date.now() < until) {
		const running = childPids(pid);
		if (!standIns.some(child => running.includes(child))) return;
		await new Promise(resolve => setTimeout(resolve, 2));
	}

	throw new Error(`the stand-in iptables-save of sample ${sample} did not exit`);
}

async function main(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'fwtop-memory-'));
	const mover = moveCounters(readFileSync(file!, 'utf8'));
	const {iptables, fifo} = standIn(dir);
	const probePath = path.join(dir, 'probe.mjs');
	const out = path.join(dir, 'probe.json');
	writeFileSync(probePath, probe);
	// A generous --timeout: on a loaded machine a 50,000-rule read through the FIFO can take seconds,
	// and a read cut off would kill the stand-in in the middle of a dump.
	const fwtop = startFwtop(['-4', '--backend', 'nft', '--iptables', iptables, '--interval', '0.1', '--timeout', '120'], {...process.env, FWTOP_PROBE_OUT: out}, probePath);
	const deadline = Date.now() + timeoutMs;
	try {
		let at100 = {rss: 0, heap: 0, heapTotal: 0, queued: 0};
		const during: number[] = [];
		let started = performance.now();
		let cpuAtStart = 0;
		// Sample i is fed on round i. Opening the FIFO waits for the stand-in's `cat`: on round i + 1
		// it returns once fwtop is done with sample i (its JSON line written, its frame drawn).
		for (let i = 1; i <= total + 1; i++) {
			if (Date.now() > deadline || fwtop.child.exitCode !== null) throw new Error(`fwtop stopped or timed out at sample ${i}`);
			const handle = await open(fifo, 'w');
			const pid = fwtop.pid()!;
			const standIns = childPids(pid);
			if (i === 1) {
				started = performance.now();
				cpuAtStart = cpuMs(pid);
			}

			if (i === Math.min(100, total) + 1) at100 = {rss: memoryBytes(pid, 'VmRSS'), ...await heapOf(pid, out)};
			if (i === total + 1) {
				const msPerSample = (performance.now() - started) / total;
				// fwtop's own CPU per sample from the first read on (its children, the stand-ins, are not in it).
				const cpuMsPerSample = (cpuMs(pid) - cpuAtStart) / total;
				const end = i === Math.min(100, total) + 1 ? at100 : {rss: memoryBytes(pid, 'VmRSS'), ...await heapOf(pid, out)};
				const peakRss = memoryBytes(pid, 'VmHWM');
				// Of the RSS, the pages backed by files: almost all the `node` executable's, which a Node
				// process that does nothing has too, and which the kernel can drop and read back.
				const fileRss = memoryBytes(pid, 'RssFile');
				// RSS read while fwtop parsed samples 101 to the end, right after each dump was handed over.
				const meanRss = during.reduce((sum, value) => sum + value, 0) / Math.max(1, during.length);
				await handle.close();
				process.stdout.write(JSON.stringify({mode, samples: total, at100, end, peakRss, fileRss, meanRss, msPerSample, cpuMsPerSample}) + '\n');
				return;
			}

			await handle.writeFile(mover.next());
			await handle.close();
			// Until that `cat` has exited, opening the FIFO again would join it rather than wait for the next.
			await gone(pid, standIns, i);
			if (i > 100) during.push(memoryBytes(pid, 'VmRSS'));
		}
	} finally {
		await fwtop.stop();
		rmSync(dir, {recursive: true, force: true});
	}
}

await main();
