import {diagnose, parseVersion} from '../core/diagnose.ts';
import {TABLE_NAMES, type Family, type ParsedDump, type Sample, type SourceInfo, type Table} from '../core/model.ts';
import {createListingParser} from '../core/parse-listing.ts';
import {createSaveParser} from '../core/parse-save.ts';
import {resolveCommands, type Backend, type FamilyCommands, type ResolvedCommands, type Strategy} from './commands.ts';
import {CollectError} from './collect-error.ts';
import type {CommandResult, CommandRunner} from './runner.ts';

export {CollectError} from './collect-error.ts';

export type CollectorOptions = {
	runner: CommandRunner;
	families: Family[];
	/** True when the user asked for these families (-4/-6): a missing one is then an error. */
	familiesExplicit: boolean;
	backend: Backend;
	strategy: Strategy;
	iptablesPath?: string;
	tables?: string[];
	timeoutMs: number;
	/** When set, the limit per call instead of timeoutMs: the poller raises it after a timeout (timeout-limit.ts). */
	limit?: {readonly ms: number};
	/** The binaries to run instead of searching the system for them (a replay runs what was recorded). */
	commands?: ResolvedCommands;
};

export type Detected = SourceInfo & {families: Family[]; commands?: ResolvedCommands};

export type Collector = {
	/** Finds the binaries and the backend (`iptables -V`), once. */
	detect(signal?: AbortSignal): Promise<Detected>;
	/** One reading of every table of every family; with `only`, of those families' tables, the
	 * others' repeated from their last reading (the sample's `carried` names them). */
	collect(signal?: AbortSignal, only?: readonly Family[]): Promise<Sample>;
};

type FamilyReading = {tables: Table[]; warnings: string[]; approximate: boolean; finishedAt: number};

export function createCollector(options: CollectorOptions): Collector {
	// Caching parsers, one per dump they see again each sample (a family's save; a table's listing).
	const parsers = new Map(options.families.map(family => [family, createSaveParser()]));
	const listingParsers = new Map<string, ReturnType<typeof createListingParser>>();
	const listingParser = (family: Family, table: string) => {
		const key = `${family} ${table}`;
		let parser = listingParsers.get(key);
		if (!parser) {
			parser = createListingParser();
			listingParsers.set(key, parser);
		}

		return parser;
	};
	let plan: FamilyCommands[] = [];
	let source: SourceInfo = {command: '', version: '', backend: ''};
	const notes: string[] = [];
	/** Each family's last reading, repeated for a family a focused read leaves out: kept from the
	 * first focused read on (--json never asks for one, and keeps nothing). */
	const last = new Map<Family, FamilyReading>();
	let seq = 0;
	const timeoutMs = (): number => options.limit?.ms ?? options.timeoutMs;

	async function run(file: string, args: string[], signal?: AbortSignal, stdout?: (piece: string) => void): Promise<CommandResult> {
		return options.runner(file, args, {timeoutMs: timeoutMs(), ...(signal ? {signal} : {}), ...(stdout ? {stdout} : {})});
	}

	function check(result: CommandResult, command: string): void {
		if (result.exitCode === 0 && !result.timedOut && result.spawnError === undefined) return;
		throw new CollectError(diagnose({...result, command}, timeoutMs()));
	}

	async function detect(signal?: AbortSignal) {
		const resolved = options.commands ?? resolveCommands(options);
		plan = [...resolved.plan];
		notes.push(...resolved.notes);
		const first = plan[0]!;
		const result = await run(first.iptables, ['-V'], signal);
		check(result, `${first.iptables} -V`);
		const version = parseVersion(result.stdout + result.stderr) ?? {version: '', backend: 'unknown'};
		source = {command: plan.map(commands => commands.display).join(' + '), ...version};
		return {...source, families: plan.map(commands => commands.family), commands: resolved};
	}

	/** The dump is parsed as it arrives (parse-save.ts `SaveStream`); what a runner returns
	 * instead (a replay, a test's) is parsed after. A parse error waits for the exit status: a
	 * failed command explains cut or strange output better. */
	async function readSave(commands: FamilyCommands, signal?: AbortSignal): Promise<FamilyReading> {
		const dump = parsers.get(commands.family)!.stream(commands.family);
		let parseError: unknown;
		let failed = false;
		const result = await run(commands.save!, ['-c'], signal, piece => {
			if (failed) return;
			try {
				dump.push(piece);
			} catch (error) {
				failed = true;
				parseError = error;
			}
		});
		check(result, `${commands.save} -c`);
		if (failed) throw parseError;
		if (result.stdout !== '') dump.push(result.stdout);
		return reading(dump.end(), result.stderr, result.finishedAt);
	}

	async function readList(commands: FamilyCommands, signal?: AbortSignal): Promise<FamilyReading> {
		const tables: Table[] = [];
		const warnings: string[] = [];
		let approximate = false;
		let finishedAt = 0;
		for (const table of options.tables ?? TABLE_NAMES) {
			// Plain `-w`: waits for a held xtables lock (legacy) instead of failing; our own timeout bounds it.
			const result = await run(commands.iptables, ['-w', '-t', table, '-v', '-n', '-x', '-L'], signal);
			finishedAt = result.finishedAt;
			const diagnosis = result.exitCode === 0 ? undefined : diagnose({...result, command: commands.iptables}, timeoutMs());
			if (diagnosis?.kind === 'unsupported') continue;
			check(result, `${commands.iptables} -t ${table} -L`);
			const part = reading(listingParser(commands.family, table)(result.stdout, {family: commands.family, table}), result.stderr, finishedAt);
			tables.push(...part.tables);
			warnings.push(...part.warnings);
			approximate ||= part.approximate;
		}

		return {tables, warnings, approximate, finishedAt};
	}

	async function readFamily(commands: FamilyCommands, signal?: AbortSignal): Promise<FamilyReading> {
		try {
			return commands.save !== undefined && options.strategy === 'save' ? await readSave(commands, signal) : await readList(commands, signal);
		} catch (error) {
			// A kernel without IPv6 (ipv6.disable=1): drop the family, unless the user asked for it.
			if (!(error instanceof CollectError) || commands.family !== 'ipv6' || options.familiesExplicit || error.kind !== 'unsupported') throw error;
			plan = plan.filter(item => item !== commands);
			notes.push(`IPv6 is not available (${error.message}): showing IPv4 only`);
			return {tables: [], warnings: [], approximate: false, finishedAt: performance.now()};
		}
	}

	/** The families to read now: `only`'s, when it names one the host has and the others have been
	 * read before; every family otherwise. */
	function freshFamilies(only: readonly Family[] | undefined): Set<Family> {
		const all = new Set(plan.map(commands => commands.family));
		if (only === undefined || !plan.some(commands => only.includes(commands.family))) return all;
		return new Set(plan.filter(commands => only.includes(commands.family) || !last.has(commands.family)).map(commands => commands.family));
	}

	async function collect(signal?: AbortSignal, only?: readonly Family[]): Promise<Sample> {
		if (plan.length === 0) await detect(signal);
		const started = performance.now();
		const time = new Date();
		const fresh = freshFamilies(only);
		// Families are read concurrently so that both arrive at nearly the same instant: one
		// timestamp per sample keeps packetsPerSecond = deltaPackets / elapsed exact for scripts.
		const read = await Promise.all(plan.map(async commands => {
			if (!fresh.has(commands.family)) return {reading: last.get(commands.family)!, fresh: false};
			const reading = await readFamily(commands, signal);
			if (only !== undefined || last.size > 0) last.set(commands.family, reading);
			return {reading, fresh: true};
		}));
		const readings = read.map(item => item.reading);
		const finishedAt = Math.max(...read.filter(item => item.fresh).map(item => item.reading.finishedAt));
		const carried = plan.map(commands => commands.family).filter(family => !fresh.has(family));
		const warnings = [...new Set([...notes, ...readings.flatMap(item => item.warnings)])];
		const wanted = options.tables;
		return {
			seq: ++seq,
			time,
			monotonicMs: finishedAt,
			readMs: finishedAt - started,
			source,
			warnings,
			approximate: readings.some(item => item.approximate),
			tables: readings.flatMap(item => item.tables).filter(table => wanted === undefined || wanted.includes(table.name)),
			...(carried.length > 0 ? {carried} : {}),
		};
	}

	return {detect, collect};
}

function reading(dump: ParsedDump, stderr: string, finishedAt: number): FamilyReading {
	// `# Warning: iptables-legacy tables present, use iptables-legacy to see them` arrives on stderr
	// with exit 0 (iptables-nft ≥1.8.0): keep it visible, with the flag that shows those tables.
	const stderrWarnings = stderr.split('\n').map(line => line.trim().replace(/^#\s*/, '')).filter(line => line !== '')
		.map(line => /legacy tables present/i.test(line) ? `${line} (or run fwtop --backend legacy)` : line);
	return {tables: dump.tables, warnings: [...dump.warnings, ...stderrWarnings], approximate: dump.approximate, finishedAt};
}
