import type {Family, Sample} from '../core/model.ts';
import {findBinary, SECURE_DIRECTORIES} from './binaries.ts';
import {CollectError} from './collect-error.ts';
import type {Collector} from './collector.ts';
import {createNativeReader, managedByIptables, type IptablesView} from './nft-native.ts';
import {createRulesetReader, nftRunner, type NftReading} from './nft-read.ts';
import type {CommandRunner} from './runner.ts';

// Native nftables next to iptables (`--backend auto`: the tables iptables-nft does not show,
// nft-native.ts) or alone (`--backend nftables`: `nft -j list ruleset`). nft only ever lists.

/** `also`: iptables plus the native nft tables; `only`: nft alone. */
export type NftMode = 'also' | 'only';

export type NftOptions = {
	runner: CommandRunner;
	mode: NftMode;
	families: Family[];
	tables?: string[];
	timeoutMs: number;
	/** When set, the limit per call instead of timeoutMs (the poller's adaptive limit, timeout-limit.ts). */
	limit?: {readonly ms: number};
	/** The nft binary; default: `nft` from the secure directories (never PATH); null: none. */
	nftPath?: string | null;
	/** The clock that decides when auto lists the tables again (REDISCOVER_MS); default
	 * performance.now(). A replay passes one that re-lists where the recording did. */
	clock?: () => number;
};

const notInstalled = `nft is not installed (looked in ${SECURE_DIRECTORIES.join(', ')}): install the nftables package (apt-get install nftables, dnf install nftables)`;

function failing(error: CollectError): Collector {
	return {detect: async () => Promise.reject(error), collect: async () => Promise.reject(error)};
}

/** The collector for `--backend nftables` (inner null, mode only) or auto (inner: the iptables
 * collector, mode also). In auto a missing nft, or an nft that fails, leaves the iptables
 * reading on its own with a warning; asked for explicitly, it is an error. */
export function withNftables(inner: Collector | null, options: NftOptions): Collector {
	const nft = options.nftPath === undefined ? findBinary('nft') : options.nftPath ?? undefined;
	if (nft === undefined && (inner === null || options.mode === 'only')) return failing(new CollectError({kind: 'not-installed', message: notInstalled}));
	if (nft === undefined) return withNote(inner!, 'nft not found: native nftables tables are not shown (install the nftables package to see them)');
	const run = nftRunner(options.runner, nft, options.limit ?? options.timeoutMs);
	const keep = (reading: NftReading): NftReading =>
		(options.tables === undefined ? reading : {...reading, tables: reading.tables.filter(table => options.tables!.includes(table.name))});
	if (inner === null) {
		const read = createRulesetReader(run, options.families);
		return nftOnly(async signal => keep(await read(signal)), `${nft} -j list ruleset`, options.families);
	}

	const read = createNativeReader(run, options.families, options.clock);
	return alongside(inner, async (view, signal) => keep(await read(view, signal)), `${nft} -j list table …`);
}

type NativeRead = (view: IptablesView, signal?: AbortSignal) => Promise<NftReading>;

function alongside(inner: Collector, read: NativeRead, display: string): Collector {
	const view: {backend: string | undefined; incompatible: Set<string>} = {backend: undefined, incompatible: new Set()};
	// A kernel without nf_tables (a legacy-only host) answers `Protocol not supported`: stop asking.
	let disabled = false;
	const attempt = async (signal?: AbortSignal): Promise<NftReading | CollectError | null> =>
		disabled ? null : read({backend: view.backend ?? '', incompatible: view.incompatible}, signal).catch((error: unknown) => {
			if (!(error instanceof CollectError)) throw error;
			disabled = error.kind === 'unsupported' || error.kind === 'not-installed';
			return error;
		});
	const detect: Collector['detect'] = async signal => {
		const detected = await inner.detect(signal);
		view.backend = detected.backend;
		return {...detected, command: `${detected.command} + ${display}`};
	};

	return {
		detect,
		async collect(signal, only) {
			if (view.backend === undefined) await detect(signal);
			const [sample, reading] = await Promise.all([inner.collect(signal, only), attempt(signal)]);
			view.incompatible = incompatibleTables(sample);
			if (reading === null) return sample;
			if (reading instanceof CollectError) return {...sample, warnings: [...sample.warnings, `${reading.message} (native nftables tables not shown)`]};
			return merge(sample, reading, display);
		},
	};
}

/** Tables iptables-nft says it cannot show (`# Table \`filter' is incompatible, use 'nft' tool.`,
 * `… contains incompatible base-chains …`, iptables-nft ≥1.8.8): the nft reader shows them. */
function incompatibleTables(sample: Sample): Set<string> {
	const names = sample.warnings.map(warning => /Table `([^']+)' (?:is|contains) incompatible/.exec(warning)?.[1]);
	return new Set(names.filter(name => name !== undefined));
}

function merge(sample: Sample, nft: NftReading, display: string): Sample {
	const view = {backend: sample.source.backend, incompatible: incompatibleTables(sample)};
	return {
		...sample,
		monotonicMs: Math.max(sample.monotonicMs, nft.finishedAt),
		readMs: Math.max(sample.readMs, nft.durationMs),
		source: {...sample.source, command: `${sample.source.command} + ${display}`, ...(nft.version === '' ? {} : {nftVersion: nft.version})},
		warnings: [...new Set([...sample.warnings, ...nft.warnings])],
		// The listing may be a few seconds old: drop what this very sample shows through iptables.
		tables: [...sample.tables, ...nft.tables.filter(table => !managedByIptables(table, view))],
	};
}

function nftOnly(read: (signal?: AbortSignal) => Promise<NftReading>, display: string, families: Family[]): Collector {
	let seq = 0;
	return {
		detect: async () => ({command: display, version: '', backend: 'nftables', families}),
		async collect(signal) {
			const time = new Date();
			const reading = await read(signal);
			return {
				seq: ++seq,
				time,
				monotonicMs: reading.finishedAt,
				readMs: reading.durationMs,
				source: {command: display, version: reading.version, backend: 'nftables', nftVersion: reading.version},
				warnings: reading.warnings,
				approximate: false,
				tables: reading.tables,
			};
		},
	};
}

/** The iptables collector with a one-time note on its first sample. */
function withNote(inner: Collector, note: string): Collector {
	let noted = false;
	return {
		detect: async signal => inner.detect(signal),
		async collect(signal, only) {
			const sample = await inner.collect(signal, only);
			if (noted) return sample;
			noted = true;
			return {...sample, warnings: [...sample.warnings, note]};
		},
	};
}
