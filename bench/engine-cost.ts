// (1) and (2): the iptables children's CPU and wall time per sample (the floor), and fwtop's own
// CPU per sample, measured in the same loop so that the ratio holds on a noisy machine.
//
// fwtop's own CPU is given twice: `engine` is parse + identify + rates (the definition),
// measured on a second pipeline fed the very texts the children printed; `process` is everything
// this process spent around a sample: spawning the child, reading its pipe, decoding, engine. The
// benchmark's process is bigger than fwtop's (tsx, the second pipeline), and Node forks it for
// every child: `process` is an upper bound of fwtop's; (7) measures the real binary.
import {createCollector} from '../source/collect/collector.ts';
import {tierUpFor} from '../source/collect/tier-up.ts';
import {findBinary} from '../source/collect/binaries.ts';
import {inNamespace, spawnRunner, type CommandRunner} from '../source/collect/runner.ts';
import type {RatedSample, Sample, Table} from '../source/core/model.ts';
import {createListingParser} from '../source/core/parse-listing.ts';
import {createSaveParser} from '../source/core/parse-save.ts';
import {rateSample, type RateState} from '../source/core/rates.ts';
import type {Traffic} from './namespace.ts';
import {childrenCpu, median, ownCpu} from './proc.ts';

export type Strategy = 'save' | 'list';

type Call = {args: string[]; stdout: string};

export type EngineCost = {
	strategy: Strategy;
	rules: number;
	/** Rules whose counters moved, per sample (median). */
	moved: number;
	/** Seconds per sample, medians over the rounds. */
	children: number;
	wall: number;
	process: number;
	engine: number;
	/** Median over the rounds of engine / children. */
	ratio: number;
	/** The last samples' save output (save strategy), for the frame and memory measurements. */
	texts: string[];
};

/** Keeps each call's output: a copy of what the runner hands the collector as it arrives
 * (RunOptions.stdout, the save strategy's dump), or of what it returns. */
function recording(runner: CommandRunner, calls: Call[]): CommandRunner {
	return async (file, args, options) => {
		const forward = options.stdout;
		const pieces: string[] = [];
		const result = await runner(file, args, forward === undefined ? options : {
			...options,
			stdout(piece) {
				pieces.push(piece);
				forward(piece);
			},
		});
		calls.push({args, stdout: pieces.join('') + result.stdout});
		return result;
	};
}

/** A pipe's read: the size in which the collector gets a dump. */
const PIPE_PIECE = 64 * 1024;

/** parse + identify + rates of recorded output, exactly as the collector and poller do it (a
 * dump in the pieces a pipe gives). */
function engineReplay(strategy: Strategy): (calls: Call[], monotonicMs: number) => number {
	const save = createSaveParser();
	const listings = new Map<string, ReturnType<typeof createListingParser>>();
	let state: RateState | null = null;
	return (calls, monotonicMs) => {
		const started = ownCpu();
		const tables: Table[] = [];
		for (const {args, stdout} of calls) {
			if (strategy === 'save') {
				const dump = save.stream('ipv4');
				for (let at = 0; at < stdout.length; at += PIPE_PIECE) dump.push(stdout.slice(at, at + PIPE_PIECE));
				tables.push(...dump.end().tables);
				continue;
			}

			const table = args[args.indexOf('-t') + 1]!;
			if (!listings.has(table)) listings.set(table, createListingParser());
			tables.push(...listings.get(table)!(stdout, {family: 'ipv4', table}).tables);
		}

		const sample: Sample = {seq: 0, time: new Date(), monotonicMs, readMs: 0, source: {command: '', version: '', backend: ''}, warnings: [], approximate: false, tables};
		state = rateSample(state, sample).state;
		return ownCpu() - started;
	};
}

const count = (sample: RatedSample, what: (rule: RatedSample['tables'][number]['chains'][number]['rules'][number]) => boolean): number =>
	sample.tables.reduce((sum, table) => sum + table.chains.reduce((n, chain) => n + chain.rules.filter(what).length, 0), 0);

export type EngineOptions = {samples: number; rounds: number; traffic: Traffic; connections: number};

type Round = {children: number; wall: number; process: number; engine: number; moved: number[]};

type Sampler = {step(round: Round): Promise<void>; replay(round: Round): void; rules(): number; texts: string[]};

/** One sample, as the poller takes it, with its costs added to `round`. */
function sampler(namespace: string, strategy: Strategy, options: EngineOptions): Sampler {
	const calls: Call[] = [];
	const collector = createCollector({
		runner: recording(inNamespace(spawnRunner, findBinary('ip')!, namespace), calls), families: ['ipv4'], familiesExplicit: true,
		backend: 'nft', strategy, timeoutMs: 600_000,
	});
	const replay = engineReplay(strategy);
	let state: RateState | null = null;
	let last: RatedSample | undefined;
	const texts: string[] = [];
	const pending: Array<{calls: Call[]; at: number}> = [];
	const step = async (round: Round): Promise<void> => {
		await options.traffic.kick(options.connections);
		const own = ownCpu();
		const started = performance.now();
		const result = rateSample(state, await collector.collect());
		round.process += ownCpu() - own;
		round.wall += (performance.now() - started) / 1000;
		state = result.state;
		last = result.rated;
		round.moved.push(count(last, rule => (rule.deltaPackets ?? 0n) > 0n));
		pending.push({calls: calls.filter(call => call.args[0] !== '-V'), at: last.monotonicMs});
		if (strategy === 'save') texts.push(...calls.map(call => call.stdout).filter(text => text !== ''));
		texts.splice(0, Math.max(0, texts.length - 5));
		calls.length = 0;
	};

	// The engine's own cost, measured after the round on the texts it read, so that its work and
	// garbage stay out of the process's measurement.
	const replayAll = (round: Round): void => {
		for (const {calls: recorded, at} of pending.splice(0)) round.engine += replay(recorded, at);
	};

	return {step, replay: replayAll, rules: () => (last ? count(last, () => true) : 0), texts};
}

const newRound = (): Round => ({children: 0, wall: 0, process: 0, engine: 0, moved: []});

export async function measureEngine(namespace: string, strategy: Strategy, options: EngineOptions): Promise<EngineCost> {
	const {step, replay, rules, texts} = sampler(namespace, strategy, options);
	const warm = newRound();
	// The first parse fills the memories. Then V8's tier-up as fwtop's poller sets it for a host
	// of this size (source/collect/tier-up.ts), and samples enough for it to optimise what runs
	// once a sample or a chain: what is measured is a sampler's steady state, as fwtop runs all day.
	await step(warm);
	tierUpFor(rules());
	for (let i = 0; i < Math.max(1, options.samples); i++) await step(warm);
	replay(warm);
	const rounds: Round[] = [];
	for (let r = 0; r < options.rounds; r++) {
		const round = newRound();
		const children = childrenCpu();
		for (let i = 0; i < options.samples; i++) await step(round);
		round.children = childrenCpu() - children;
		replay(round);
		rounds.push(round);
	}

	const per = (pick: (round: Round) => number): number => median(rounds.map(round => pick(round) / options.samples));
	return {
		strategy,
		rules: rules(),
		moved: median(rounds.flatMap(round => round.moved)),
		children: per(round => round.children),
		wall: per(round => round.wall),
		process: per(round => round.process),
		engine: per(round => round.engine),
		ratio: median(rounds.map(round => round.engine / Math.max(round.children, 1e-9))),
		texts,
	};
}
