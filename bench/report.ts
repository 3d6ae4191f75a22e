// What bench/run.ts prints: one block per size as it is measured, each line with its target and
// PASS/FAIL (or "info" where the issue sets no target), then a summary.
import type {EngineCost} from './engine-cost.ts';
import type {HostCpu} from './idle-host.ts';
import type {Startup} from './startup.ts';

export type Frames = Record<'chain' | 'path', {
	key: number; keyCpu: number; floorCpu: number; sample: number; sampleCpu: number; incremental: number; full: number; frames: number; busyIncremental: number; busyFull: number;
}>;
/** bench/memory.ts: fwtop's own process (dist/cli.js) fed SAMPLES dumps. */
export type Memory = {
	mode: string; samples: number; at100: {rss: number; heap: number}; end: {rss: number; heap: number; heapTotal: number};
	peakRss: number; fileRss: number; meanRss: number; msPerSample: number; cpuMsPerSample: number;
};

export type SizeResult = {size: number; costs: EngineCost[]; frames?: Frames; memory?: Memory; startup?: Startup};

export const verdicts: string[] = [];

function verdict(ok: boolean, what: string): string {
	const word = ok ? 'PASS' : 'FAIL';
	verdicts.push(`${word}  ${what}`);
	return word;
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export function printEngine(size: number, costs: EngineCost[]): void {
	const fastest = [...costs].sort((a, b) => (a.children + a.process) - (b.children + b.process))[0]!;
	for (const cost of costs) {
		const label = `${size} rules, ${cost.strategy}${cost.strategy === 'save' ? ' (default)' : ''}`;
		console.log(`  (1) ${cost.strategy.padEnd(4)} iptables children ${ms(cost.children)} CPU, ${ms(cost.wall)} wall per sample (${cost.rules} rules, ${cost.moved} moved)`);
		const target = size >= 10_000 ? `≤ 0.10 → ${verdict(cost.ratio <= 0.1, `(2) fwtop engine CPU ≤ 0.10 × children, ${label}: ${cost.ratio.toFixed(3)}`)}` : 'info';
		console.log(`  (2) ${cost.strategy.padEnd(4)} fwtop engine ${ms(cost.engine)} (ratio ${cost.ratio.toFixed(3)}, ${target}); whole process ${ms(cost.process)} (ratio ${(cost.process / cost.children).toFixed(3)}, spawn + pipe + engine)`);
	}

	console.log(`      faster in total (children + fwtop): ${fastest.strategy}${fastest.strategy === 'save' ? ', the default' : ' — NOT the default'}`);
}

export function printFrames(size: number, frames: Frames, baseline: Frames | undefined): void {
	for (const view of ['chain', 'path'] as const) {
		const {key, keyCpu, floorCpu, sample, sampleCpu, incremental, full, busyIncremental, busyFull} = frames[view];
		const growth = baseline ? ` (${(keyCpu / baseline[view].keyCpu).toFixed(1)}× the smallest size)` : '';
		console.log(`  (3) ${view} view: key → frame ${keyCpu.toFixed(1)} ms CPU (${key.toFixed(1)} ms wall) median${growth}, ${verdict(keyCpu <= 8, `(3) ${view} view frame ≤ 8 ms at ${size} rules: ${keyCpu.toFixed(1)} ms CPU`)} (Ink alone drawing the same screen: ${floorCpu.toFixed(1)} ms); new sample → frame ${sampleCpu.toFixed(1)} ms CPU (${sample.toFixed(1)} wall, info)`);
		const busy = `busy (10 % moving): ${(100 * busyIncremental / busyFull).toFixed(1)} % (info)`;
		if (frames[view].frames === 0) {
			console.log(`  (4) ${view} view: nothing on screen changed in the steady samples (2 % of rules moving): 0 bytes; ${busy}`);
			continue;
		}

		const share = incremental / full;
		console.log(`  (4) ${view} view: ${incremental.toFixed(0)} bytes per steady frame (2 % of rules moving) vs ${full.toFixed(0)} full redraw = ${(100 * share).toFixed(1)} %, ${verdict(share <= 0.25, `(4) ${view} view bytes ≤ 25 % of a redraw at ${size} rules: ${(100 * share).toFixed(1)} %`)}; ${busy}`);
	}
}

export function printMemory(size: number, memory: Memory): void {
	const growth = (memory.end.rss - memory.at100.rss) / memory.at100.rss;
	const heapGrowth = (memory.end.heap - memory.at100.heap) / memory.at100.heap;
	const checked = size >= 50_000;
	const cap = checked ? `, ${verdict(memory.end.rss <= 120 * 1024 * 1024, `(5) ${memory.mode} RSS ≤ 120 MB at ${size} rules: ${mb(memory.end.rss)}`)} (≤ 120 MB)` : '';
	console.log(`  (5) ${memory.mode.padEnd(9)} fwtop after ${memory.samples} samples: RSS ${mb(memory.end.rss)}${cap}; ${mb(memory.fileRss)} of it file-backed (the node executable); peak ${mb(memory.peakRss)}, mean ${mb(memory.meanRss)}; heap ${mb(memory.end.heap)} used of ${mb(memory.end.heapTotal)} after GC; ${memory.cpuMsPerSample.toFixed(0)} ms of fwtop's CPU per sample`);
	// What is retained is the heap after a full GC; RSS also holds what V8 and malloc keep free.
	const label = `(5) ${memory.mode} retained memory growth 100 → ${memory.samples} ≤ 5 % at ${size} rules: ${(100 * heapGrowth).toFixed(1)} %`;
	console.log(`      growth sample 100 → ${memory.samples}: heap after GC ${(100 * heapGrowth).toFixed(1)} %, ${verdict(heapGrowth <= 0.05, label)}; RSS ${(100 * growth).toFixed(1)} % (info)`);
}

export function printStartup(size: number, startup: Startup, readSeconds: number): void {
	// Frames are timed from spawning the pseudo-terminal; less its own start, from fwtop's.
	const first = startup.firstFrame - startup.terminalMs;
	const complete = startup.completeFrame - startup.terminalMs;
	const own = complete - startup.firstJson;
	console.log(`  (6) first frame ${first.toFixed(0)} ms after fwtop's start, ${verdict(first <= 500, `(6) first frame ≤ 500 ms at ${size} rules: ${first.toFixed(0)} ms`)} (${startup.firstFrame.toFixed(0)} ms from spawning the pseudo-terminal, which takes ${startup.terminalMs.toFixed(0)} ms to start a program); first complete frame ${complete.toFixed(0)} ms vs first --json line ${startup.firstJson.toFixed(0)} ms (the dashboard adds ${own.toFixed(0)} ms; one read takes ${ms(readSeconds)})`);
	const lessRead = complete - (readSeconds * 1000);
	console.log(`      first complete frame minus one read: ${lessRead.toFixed(0)} ms, ${verdict(lessRead <= 500, `(6) first complete frame ≤ 500 ms + one read at ${size} rules: ${lessRead.toFixed(0)} ms`)}; dashboard RSS after a few samples ${startup.rss === undefined ? '?' : mb(startup.rss)}`);
	if (startup.stretched !== undefined) {
		const shown = !Number.isNaN(startup.stretched);
		const when = shown ? `${startup.stretched.toFixed(0)} ms after start` : 'never';
		console.log(`      reads slower than the 1 s interval: the header says \`every 1s → …s (slow reads)\`: ${when}, ${verdict(shown, `(6) a stretched interval shown in the header at ${size} rules`)}`);
	}
}

export function printHost(host: HostCpu): void {
	for (const mode of ['json', 'dashboard'] as const) {
		const {percent, own, children, withStartup} = host[mode];
		const split = `fwtop ${own.toFixed(2)} % + iptables children ${children.toFixed(2)} %`;
		console.log(`  (7) ${mode.padEnd(9)} ${percent.toFixed(2)} % of one core over ${host.seconds} s (${split}; ${withStartup.toFixed(2)} % counting start-up), ${verdict(percent <= 1.5, `(7) ${mode} at 1 Hz on a ${host.rules}-rule Docker host ≤ 1.5 %: ${percent.toFixed(2)} %`)}`);
	}

	// The floor: what the two -save calls cost from a bash loop, with no fwtop at all.
	console.log(`  (7) floor     ${host.floor.percent.toFixed(2)} % of one core: bash ${host.floor.own.toFixed(2)} % + iptables-save/ip6tables-save ${host.floor.children.toFixed(2)} %`);
	// And what Node adds to each of those children before fwtop does any work of its own.
	console.log(`  (7) spawn     ${host.spawnMs.toFixed(2)} ms of a Node process's CPU to start one child and reap it: two a second = ${(host.spawnMs * 2 / 10).toFixed(2)} % of one core`);
}

const share = (view: Frames['chain']): string => (view.frames === 0 ? '0 B' : `${(100 * view.incremental / view.full).toFixed(0)} %`);

export function printSummary(results: SizeResult[]): void {
	console.log('\nsize    rules  strategy  children CPU  wall      engine CPU  ratio  process CPU  chain frame  path frame  bytes chain/path  RSS@600  growth');
	for (const result of results) {
		for (const cost of result.costs) {
			const frames = result.frames;
			const memory = result.memory;
			const row = [
				String(result.size).padEnd(7), String(cost.rules).padStart(6), ` ${cost.strategy.padEnd(8)}`, ms(cost.children).padStart(12), ms(cost.wall).padStart(10),
				ms(cost.engine).padStart(11), cost.ratio.toFixed(3).padStart(6), ms(cost.process).padStart(12),
				frames ? `${frames.chain.keyCpu.toFixed(1)} ms`.padStart(12) : '', frames ? `${frames.path.keyCpu.toFixed(1)} ms`.padStart(11) : '',
				frames ? `${share(frames.chain)} / ${share(frames.path)}`.padStart(17) : '',
				memory ? mb(memory.end.rss).padStart(8) : '', memory ? `${(100 * (memory.end.rss - memory.at100.rss) / memory.at100.rss).toFixed(1)} %`.padStart(7) : '',
			];
			console.log(row.join(' '));
		}
	}

	console.log('');
	for (const line of verdicts) console.log(line);
}
