import {TABLE_NAMES, type Family, type Table} from '../core/model.ts';
import {CollectError} from './collect-error.ts';
import {parseNftOutput, type NftReading, type RunNft} from './nft-read.ts';

// `--backend auto` reads the native nftables tables beside iptables, and only those. Reading the
// whole ruleset would also dump iptables-nft's own tables, which the iptables reader already
// shows: measured with nft 1.0.6 and 10,000 iptables-nft rules in a namespace, `nft -j list
// ruleset` takes 0.7–1 s and `nft -j list tables` 0.2 s, against 0.01 s for `nft -j list table ip
// docker-bridges` and 0.08 s for `iptables-nft-save -c`. So the tables are listed once and again
// every REDISCOVER_MS (Docker may create its table later), and each sample reads each native
// table on its own. Listing the tables still makes nft read every rule (iptables-nft's too), so
// its time grows with them: with bench/run.ts's kube-proxy rules, 9 ms at 100 rules, 38 ms at
// 1,000 and 340 ms at 10,000. A listing that takes long waits longer for the next: never more
// than about 1 % of the time.

export const REDISCOVER_MS = 10_000;

/** The tables are listed again after at least this many times what the last listing took. */
export const REDISCOVER_COST_FACTOR = 100;

/** What the iptables side tells the reader: its backend, and tables iptables-nft cannot show. */
export type IptablesView = {backend: string; incompatible: ReadonlySet<string>};

const managedNames = new Set<string>(TABLE_NAMES);

/** A table iptables-nft made and shows itself (when iptables runs on nf_tables). */
export function managedByIptables(table: Pick<Table, 'nftFamily' | 'name'>, view: IptablesView): boolean {
	return view.backend === 'nf_tables'
		&& (table.nftFamily === 'ip' || table.nftFamily === 'ip6')
		&& managedNames.has(table.name)
		&& !view.incompatible.has(table.name);
}

/** The tables last listed, when, and how long that took (ms). */
type Known = {tables: Array<Pick<Table, 'nftFamily' | 'name'>>; at: number; tookMs: number};

const listAgain = (known: Known, now: number): boolean => now - known.at >= Math.max(REDISCOVER_MS, REDISCOVER_COST_FACTOR * known.tookMs);

export function createNativeReader(run: RunNft, families: Family[], now: () => number = () => performance.now()) {
	let known: Known | undefined;
	async function discover(signal?: AbortSignal): Promise<Known> {
		const result = await run(['-j', 'list', 'tables'], signal);
		const tables = parseNftOutput(result.stdout, families, 'nft -j list tables').tables.map(table => ({nftFamily: table.nftFamily, name: table.name}));
		return {tables, at: now(), tookMs: result.durationMs};
	}

	return async (view: IptablesView, signal?: AbortSignal): Promise<NftReading> => {
		if (known === undefined || listAgain(known, now())) known = await discover(signal);
		const wanted = known.tables.filter(table => !managedByIptables(table, view));
		const readings = await Promise.all(wanted.map(async table => readTable(run, table, families, signal)));
		// A table deleted since the listing: forget the listing, the next sample lists again.
		if (readings.some(reading => reading === null)) known = undefined;
		const found = readings.filter(reading => reading !== null);
		return {
			tables: found.flatMap(reading => reading.tables),
			warnings: found.flatMap(reading => reading.warnings),
			version: found[0]?.version ?? '',
			finishedAt: Math.max(now(), ...found.map(reading => reading.finishedAt)),
			durationMs: Math.max(0, ...found.map(reading => reading.durationMs)),
		};
	};
}

async function readTable(run: RunNft, table: Pick<Table, 'nftFamily' | 'name'>, families: Family[], signal?: AbortSignal): Promise<NftReading | null> {
	try {
		const result = await run(['-j', 'list', 'table', table.nftFamily!, table.name], signal);
		const dump = parseNftOutput(result.stdout, families, `nft -j list table ${table.nftFamily!} ${table.name}`);
		return {tables: dump.tables, warnings: dump.warnings, version: dump.version, finishedAt: result.finishedAt, durationMs: result.durationMs};
	} catch (error) {
		if (error instanceof CollectError && /No such file or directory/i.test(error.message)) return null;
		throw error;
	}
}
