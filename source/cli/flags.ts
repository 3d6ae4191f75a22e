import {TABLE_NAMES, type Family} from '../core/model.ts';
import type {Backend, Strategy} from '../collect/commands.ts';
import {UsageError} from './usage-error.ts';

// Flag values as meow hands them over, checked and turned into the options the modes use.

export type RawFlags = {
	json: boolean;
	once: boolean;
	interval: number;
	count?: number;
	table?: string;
	ipv4: boolean;
	ipv6: boolean;
	input?: string;
	backend: string;
	strategy: string;
	iptables?: string;
	timeout: number;
	netns?: string;
	demo: boolean;
	debug: boolean;
	color: boolean;
	chain?: string;
	path: boolean;
	filter?: string;
	bits: boolean;
	record?: string;
	replay?: string;
	speed?: number;
};

export type Options = {
	mode: 'dashboard' | 'json' | 'once' | 'input';
	json: boolean;
	intervalMs: number;
	count: number | undefined;
	tables: string[] | undefined;
	families: Family[];
	familiesExplicit: boolean;
	input: string | undefined;
	backend: Backend;
	/** Native nftables tables (`nft -j list ruleset`): beside iptables' (auto), alone
	 * (`--backend nftables`), or not read (`--backend nft`/`legacy` name an iptables variant). */
	nftables?: 'off' | 'also' | 'only';
	strategy: Strategy;
	iptables: string | undefined;
	timeoutMs: number;
	netns: string | undefined;
	demo: boolean;
	debug: boolean;
	color: boolean;
	chain: string | undefined;
	path: boolean;
	filter: string | undefined;
	bits: boolean;
	/** --record FILE: write the raw reads to FILE. */
	record: string | undefined;
	/** --replay FILE: play a recording instead of reading the firewall. */
	replay: string | undefined;
	speed: number;
	/** Chains left out of every view (config `hiddenChains`). */
	hiddenChains?: string[];
};

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
	if ((allowed as readonly string[]).includes(value)) return value as T;
	throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function seconds(flag: string, value: number, min: number, max: number): number {
	if (!Number.isFinite(value) || value < min || value > max) {
		throw new UsageError(`--${flag} must be a number of seconds from ${min} to ${max} (got ${String(value)})`);
	}

	return Math.round(value * 1000);
}

/** With nftables read (auto, nftables), any nft table name is allowed too (`docker-bridges`). */
function parseTables(value: string | undefined, nftables: boolean): string[] | undefined {
	if (value === undefined || value === 'all') return undefined;
	const tables = value.split(',').map(name => name.trim()).filter(name => name !== '');
	for (const name of tables) {
		if (!nftables || !/^[A-Za-z][\w.-]*$/.test(name)) oneOf('table', name, TABLE_NAMES);
	}

	return tables;
}

function parseCount(value: number | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isInteger(value) || value < 1) throw new UsageError(`--count must be a whole number ≥ 1 (got ${String(value)})`);
	return value;
}

function pickMode(flags: RawFlags, input: string | undefined): Options['mode'] {
	if (input !== undefined) return 'input';
	if (flags.once) return 'once';
	if (flags.json) return 'json';
	return 'dashboard';
}

/** `--input -` reaches us as an empty --input and a lone `-` argument (yargs-parser). */
function takeInput(flags: RawFlags, extra: string[]): string | undefined {
	if (flags.input !== '') return flags.input;
	if (extra[0] === '-') {
		extra.shift();
		return '-';
	}

	throw new UsageError('--input needs a file name, or - for standard input');
}

function fileFlag(flag: string, value: string | undefined): string | undefined {
	if (value === '') throw new UsageError(`--${flag} needs a file name`);
	return value;
}

/** --record and --replay: what they cannot be combined with, and --speed's range. */
function checkRecording(flags: RawFlags, input: string | undefined): {record: string | undefined; replay: string | undefined; speed: number} {
	const record = fileFlag('record', flags.record);
	const replay = fileFlag('replay', flags.replay);
	const speed = flags.speed ?? 1;
	if (flags.speed !== undefined && replay === undefined) throw new UsageError('--speed is for --replay');
	if (!Number.isFinite(speed) || speed < 0.01 || speed > 1000) throw new UsageError(`--speed must be a number from 0.01 to 1000 (got ${String(flags.speed)})`);
	const clash = (flag: string, others: Array<[string, boolean]>) => {
		const other = others.find(([, used]) => used);
		if (other !== undefined) throw new UsageError(`--${flag} cannot be combined with ${other[0]}`);
	};

	if (record !== undefined) clash('record', [['--input', input !== undefined], ['--replay', replay !== undefined]]);
	if (replay !== undefined) {
		clash('replay', [['--input', input !== undefined], ['--demo', flags.demo], ['--netns', flags.netns !== undefined], ['--iptables', flags.iptables !== undefined]]);
	}

	return {record, replay, speed};
}

/** `--backend nftables` reads nft alone; `auto` reads the system's iptables and nft's own tables. */
function backendOptions(value: string): Pick<Options, 'backend' | 'nftables'> {
	const backend = oneOf('backend', value, ['auto', 'nft', 'legacy', 'nftables'] as const);
	if (backend === 'nftables') return {backend: 'auto', nftables: 'only'};
	return {backend, nftables: backend === 'auto' ? 'also' : 'off'};
}

export function checkFlags(flags: RawFlags, rawExtra: string[]): Options {
	const extra = [...rawExtra];
	const input = takeInput(flags, extra);
	if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}' (fwtop takes only flags; see fwtop --help)`);
	if (flags.netns !== undefined && !/^[\w.-]{1,64}$/.test(flags.netns)) throw new UsageError('--netns takes a namespace name as `ip netns list` shows it');
	if (flags.demo && (flags.netns !== undefined || input !== undefined)) throw new UsageError('--demo cannot be combined with --netns or --input');
	const recording = checkRecording(flags, input);
	const explicit = flags.ipv4 || flags.ipv6;
	const families: Family[] = explicit ? [...(flags.ipv4 ? ['ipv4' as const] : []), ...(flags.ipv6 ? ['ipv6' as const] : [])] : ['ipv4', 'ipv6'];
	return {
		mode: pickMode(flags, input),
		json: flags.json,
		intervalMs: seconds('interval', flags.interval, 0.1, 3600),
		count: parseCount(flags.count),
		tables: parseTables(flags.table, backendOptions(flags.backend).nftables !== 'off'),
		families,
		familiesExplicit: explicit,
		input,
		...backendOptions(flags.backend),
		strategy: oneOf('strategy', flags.strategy, ['save', 'list'] as const),
		iptables: flags.iptables,
		timeoutMs: seconds('timeout', flags.timeout, 0.1, 600),
		netns: flags.netns,
		demo: flags.demo,
		debug: flags.debug,
		color: flags.color && process.env['NO_COLOR'] === undefined,
		chain: flags.chain,
		path: flags.path,
		filter: flags.filter,
		bits: flags.bits,
		...recording,
	};
}
