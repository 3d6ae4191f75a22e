// Every measurement of issue 4 in one run, so that the ratios hold on a noisy machine:
//   sudo node --import tsx bench/run.ts [--sizes 100,1000,10000,50000] [--quick] [--skip frames,startup,memory,host]
//   (npm run bench)
// Per size, in a network namespace of its own holding a kube-proxy + Docker ruleset (rulesets.ts),
// with connections crossing the kube-proxy DNAT between samples so that counters move:
//   (1) the iptables children's CPU and wall per sample, (2) fwtop's own CPU per sample and the
//   ratio, both strategies (engine-cost.ts), (3) frame render time and (4) bytes per steady frame
//   of the real dashboard (frames.ts), (6) time to the first frame (startup.ts); then (5) memory
//   after 600 samples (memory.ts) and (7) CPU at 1 Hz on the lab's small Docker host (idle-host.ts).
// Needs root (namespaces) and a built dist/cli.js (built here when missing). Nothing outside the
// namespaces it creates is touched; they are deleted by name, also on failure and Ctrl-C.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
// @ts-expect-error -- a plain .mjs build script without types
import {measuredWidthPlugin} from '../scripts/esbuild-options.mjs';
import {measureEngine, type EngineCost} from './engine-cost.ts';
import {measureHostCpu} from './idle-host.ts';
import {benchNamespace, dropNamespace, startTraffic} from './namespace.ts';
import {
	type Frames, type Memory, type SizeResult, printEngine, printFrames, printHost, printMemory, printStartup, printSummary, verdicts,
} from './report.ts';
import {benchRuleset} from './rulesets.ts';
import {measureStartup} from './startup.ts';
import {cliPath} from './terminal.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const argument = (name: string): string | undefined => {
	const index = process.argv.indexOf(name);
	return index >= 0 ? process.argv[index + 1] : undefined;
};

const quick = process.argv.includes('--quick');
/** `--skip frames,startup,memory,host` leaves those measurements out (the engine's always runs). */
const skip = new Set((argument('--skip') ?? '').split(','));
const sizes = (argument('--sizes') ?? (quick ? '100,1000,10000' : '100,1000,10000,50000')).split(',').map(Number);
const plan = {
	rounds: quick ? 2 : 3,
	// At least 6 a round: with 2–4, one major collection landing in them moved the 10,000-rule
	// ratio from 0.020 to 0.043 between two full runs.
	samples: (size: number): number => Math.max(quick ? 3 : 6, Math.round((quick ? 2000 : 4000) / Math.max(size, 100) ** 0.75)),
	frames: quick ? 15 : 30,
	memorySamples: quick ? 150 : 600,
	hostSeconds: quick ? 10 : 30,
};

/** Runs a bundled measurement and returns its JSON line; its stderr is shown only if it fails
 * (Ink's cursor escape on exit would land in the report otherwise). */
async function runChild(args: string[]): Promise<string> {
	const child = spawn(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let errors = '';
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => {
		out += chunk;
	});
	child.stderr.on('data', (chunk: string) => {
		errors += chunk;
	});
	const code = await new Promise<number | null>(resolve => child.once('exit', resolve));
	const line = out.split('\n').find(candidate => candidate.startsWith('{'));
	if (code !== 0 || line === undefined) throw new Error(`${args.join(' ')} exited ${String(code)}: ${(out + errors).slice(-800)}`);
	return line;
}

/** The children run as bundles, as dist/cli.js does: tsx's loader would add its own memory. */
async function bundle(work: string, name: string): Promise<string> {
	const outdir = path.join(work, name);
	await build({
		entryPoints: [path.join(root, 'bench', `${name}.ts`)], outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
		jsx: 'automatic', packages: 'bundle', external: ['react-devtools-core'], logLevel: 'warning', outExtension: {'.js': '.mjs'},
		// As dist/cli.js is built: Ink measures lines through the memoised string-width.
		plugins: [measuredWidthPlugin],
		banner: {js: 'import {createRequire as __benchRequire} from \'node:module\'; const require = __benchRequire(import.meta.url);'},
	});
	return path.join(outdir, `${name}.mjs`);
}

/** A measurement that failed is reported and the run goes on with the others. */
async function attempt<T>(what: string, measure: () => Promise<T>): Promise<T | undefined> {
	try {
		return await measure();
	} catch (error) {
		verdicts.push(`FAIL  ${what}: ${error instanceof Error ? error.message.split('\n')[0]! : String(error)}`);
		console.log(`  ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
		return undefined;
	}
}

async function measureSize(size: number, work: string, framesScript: string, smallest: Frames | undefined): Promise<SizeResult> {
	const ruleset = benchRuleset(size);
	console.log(`\n== ${size} rules: ${ruleset.services} kube-proxy services, ${ruleset.bridges} Docker bridges × ${ruleset.containers} containers ==`);
	const namespace = await benchNamespace(ruleset.text);
	try {
		const traffic = startTraffic(namespace, ruleset.services);
		const connections = Math.max(2, Math.round(ruleset.services * 0.02));
		const costs: EngineCost[] = [];
		try {
			for (const strategy of ['save', 'list'] as const) {
				costs.push(await measureEngine(namespace, strategy, {samples: plan.samples(size), rounds: plan.rounds, traffic, connections}));
			}
		} finally {
			await traffic.stop();
		}

		printEngine(size, costs);
		const file = path.join(work, `save-${size}.txt`);
		writeFileSync(file, costs[0]!.texts.at(-1) ?? '');
		const frames = skip.has('frames') ? undefined : await attempt('(3)/(4) frames', async () => JSON.parse(await runChild([framesScript, file, String(plan.frames)])) as Frames);
		if (frames) printFrames(size, frames, smallest);
		const startup = skip.has('startup') ? undefined : await attempt('(6) start-up', async () => measureStartup(namespace, {timeoutMs: 180_000, settleMs: 3000, tries: quick ? 1 : 3, slow: costs[0]!.wall > 1.2}));
		if (startup) printStartup(size, startup, costs[0]!.wall);
		return {size, costs, ...(frames ? {frames} : {}), ...(startup ? {startup} : {})};
	} finally {
		await dropNamespace(namespace);
	}
}

async function main(): Promise<void> {
	if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (network namespaces): sudo node --import tsx bench/run.ts');
	if (!existsSync(cliPath)) await runChild([path.join(root, 'scripts', 'build.mjs')]).catch(() => undefined);
	if (!existsSync(cliPath)) throw new Error('dist/cli.js is missing: npm run build');
	const work = mkdtempSync(path.join(tmpdir(), 'fwtop-bench-'));
	// (5) runs the real fwtop: this checkout's, wherever the benchmark is started from.
	process.env.FWTOP_CLI = cliPath;
	try {
		const [frames, memory] = await Promise.all(['frames', 'memory'].map(async name => bundle(work, name)));
		console.log(`fwtop benchmark${quick ? ' (--quick)' : ''}: sizes ${sizes.join(', ')}; ${plan.rounds} rounds, medians`);
		const results: SizeResult[] = [];
		for (const size of sizes) results.push(await measureSize(size, work, frames!, results[0]?.frames));
		if (!skip.has('memory')) console.log(`\n== memory: ${plan.memorySamples} samples of each recorded dump, 2 % of counters moving ==`);
		for (const result of skip.has('memory') ? [] : results) {
			console.log(`${result.size} rules:`);
			for (const mode of ['json', 'dashboard']) {
				const line = await runChild([memory!, path.join(work, `save-${result.size}.txt`), String(plan.memorySamples), mode]);
				result.memory = JSON.parse(line) as Memory;
				printMemory(result.size, result.memory);
			}
		}

		if (!skip.has('host')) {
			console.log(`\n== 1 Hz on the lab's Docker host, ${plan.hostSeconds} s ==`);
			const host = await attempt('(7) 1 Hz on the lab', async () => measureHostCpu(plan.hostSeconds));
			if (host) printHost(host);
		}
		printSummary(results);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

try {
	await main();
} catch (error) {
	console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
}
