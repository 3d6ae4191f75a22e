// The nft collector with a recorded runner. Outputs and exit codes are real: fwtop's own captures
// in test/fixtures/nft/ (the `managed` namespace holds iptables-nft's filter and nat tables next
// to a native `inet native` table; see its .cmd files).
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {checkFlags, type RawFlags} from '../../source/cli/flags.ts';
import {CollectError} from '../../source/collect/collect-error.ts';
import {createCollector} from '../../source/collect/collector.ts';
import {createNativeReader, REDISCOVER_COST_FACTOR, REDISCOVER_MS} from '../../source/collect/nft-native.ts';
import {withNftables, type NftOptions} from '../../source/collect/nft-collector.ts';
import {nftRunner} from '../../source/collect/nft-read.ts';
import type {CommandResult, CommandRunner} from '../../source/collect/runner.ts';
import {ownNft} from '../helpers/nft.ts';

type Reply = Partial<CommandResult>;

function recordedRunner(replies: (command: string) => Reply): {runner: CommandRunner; calls: string[]} {
	const calls: string[] = [];
	let clock = 0;
	const runner: CommandRunner = async (file, args) => {
		const command = [file, ...args].join(' ');
		calls.push(command);
		clock += 10;
		return {stdout: '', stderr: '', exitCode: 0, timedOut: false, finishedAt: clock, durationMs: 10, ...replies(command)};
	};
	return {runner, calls};
}

const NFT = '/usr/sbin/nft';
const fixture = (name: string): Reply => ({stdout: ownNft(name)});
const failure = (name: string): Reply => ({exitCode: 1, stderr: ownNft(name)});

/** The managed namespace as iptables (`-V` says `backend`) and nft see it. */
function managedHost(backend = 'nf_tables', save = ownNft('iptables-nft_managed_save-c.txt')) {
	return (command: string): Reply => {
		if (command.endsWith(' -V')) return {stdout: `iptables v1.8.9 (${backend})\n`};
		if (command.includes('-save -c')) return {stdout: save};
		if (command === `${NFT} -j list tables`) return fixture('nft_managed_list-tables.json');
		if (command === `${NFT} -j list table inet native`) return fixture('nft_managed_list-table-inet-native.json');
		if (command === `${NFT} -j list table ip filter`) return fixture('nft_managed_list-table-ip-filter.json');
		return failure('nft_managed_list-table-ip-gone.stderr.txt');
	};
}

function auto(runner: CommandRunner, extra: Partial<NftOptions> = {}) {
	const inner = createCollector({runner, families: ['ipv4'], familiesExplicit: false, backend: 'nft', strategy: 'save', timeoutMs: 5000});
	return withNftables(inner, {runner, mode: 'also', families: ['ipv4'], timeoutMs: 5000, nftPath: NFT, ...extra});
}

const names = (tables: Array<{name: string; nftFamily?: string}>): string[] => tables.map(table => `${table.nftFamily ?? 'iptables'} ${table.name}`);

describe('nft collector, --backend nftables', () => {
	it('reads `nft -j list ruleset` from a secure path and stamps the sample with nft\'s version', async () => {
		const {runner, calls} = recordedRunner(() => fixture('nft_mixed_json_t0.json'));
		const collector = withNftables(null, {runner, mode: 'only', families: ['ipv4', 'ipv6'], timeoutMs: 5000, nftPath: NFT});
		assert.deepEqual(await collector.detect(), {command: `${NFT} -j list ruleset`, version: '', backend: 'nftables', families: ['ipv4', 'ipv6']});
		const sample = await collector.collect();
		assert.deepEqual(calls, [`${NFT} -j list ruleset`]);
		assert.deepEqual([sample.seq, sample.source.backend, sample.source.version, sample.monotonicMs], [1, 'nftables', '1.0.6', 10]);
		assert.deepEqual(names(sample.tables), ['inet fwtest', 'ip fwnat', 'ip6 fw6', 'bridge fwbridge', 'arp fwarp']);
	});

	it('keeps only the tables of --table', async () => {
		const {runner} = recordedRunner(() => fixture('nft_mixed_json_t0.json'));
		const sample = await withNftables(null, {runner, mode: 'only', families: ['ipv4'], tables: ['fwnat'], timeoutMs: 5000, nftPath: NFT}).collect();
		assert.deepEqual(names(sample.tables), ['ip fwnat']);
	});

	it('fails with the package name when nft is missing, and as not-root for nft\'s own message', async () => {
		const {runner} = recordedRunner(() => failure('nft_err_nonroot.stderr.txt'));
		const missing = withNftables(null, {runner, mode: 'only', families: ['ipv4'], timeoutMs: 5000, nftPath: null});
		await assert.rejects(missing.collect(), (error: unknown) => error instanceof CollectError && error.kind === 'not-installed' && /nftables package/.test(error.message));
		const nonRoot = withNftables(null, {runner, mode: 'only', families: ['ipv4'], timeoutMs: 5000, nftPath: NFT});
		await assert.rejects(nonRoot.collect(), (error: unknown) => error instanceof CollectError && error.kind === 'not-root');
	});
});

describe('nft collector, --backend auto', () => {
	it('adds the native tables and leaves iptables-nft\'s own to the iptables reader', async () => {
		const {runner, calls} = recordedRunner(managedHost());
		const sample = await auto(runner).collect();
		assert.deepEqual(names(sample.tables), ['iptables filter', 'iptables nat', 'inet native']);
		assert.ok(!calls.some(command => command.includes('list ruleset') || command.includes('list table ip')), calls.join('\n'));
		assert.match(sample.source.command, /iptables-nft-save -c \+ \/usr\/sbin\/nft -j list table …$/);
		assert.equal(sample.source.nftVersion, '1.0.6');
	});

	it('shows iptables-nft\'s tables through nft when iptables itself runs legacy', async () => {
		const {runner} = recordedRunner(managedHost('legacy'));
		const sample = await auto(runner).collect();
		assert.deepEqual(names(sample.tables), ['iptables filter', 'iptables nat', 'ip filter', 'inet native']);
	});

	it('reads a table iptables-nft calls incompatible through nft from the next sample on', async () => {
		const save = ownNft('iptables-nft_managed_save-c.txt').replace(/\*filter[\s\S]*?COMMIT\n/, '# Table `filter\' is incompatible, use \'nft\' tool.\n');
		const {runner} = recordedRunner(managedHost('nf_tables', save));
		const collector = auto(runner);
		assert.deepEqual(names((await collector.collect()).tables), ['iptables nat', 'inet native']);
		assert.deepEqual(names((await collector.collect()).tables), ['iptables nat', 'ip filter', 'inet native']);
	});

	it('says once that nft is missing, and otherwise reads iptables as before', async () => {
		const {runner} = recordedRunner(managedHost());
		const collector = auto(runner, {nftPath: null});
		const first = await collector.collect();
		const second = await collector.collect();
		assert.deepEqual(names(first.tables), ['iptables filter', 'iptables nat']);
		assert.ok(first.warnings.some(warning => /nft not found/.test(warning)));
		assert.ok(!second.warnings.some(warning => /nft not found/.test(warning)));
	});

	it('stops asking an nft that the kernel does not support, after one warning', async () => {
		const {runner, calls} = recordedRunner(command => (command.startsWith(NFT)
			? {exitCode: 1, stderr: 'Error: cache initialization failed: Protocol not supported\n'}
			: managedHost()(command)));
		const collector = auto(runner);
		const first = await collector.collect();
		await collector.collect();
		assert.ok(first.warnings.some(warning => /Protocol not supported.*native nftables tables not shown/.test(warning)), first.warnings.join('\n'));
		assert.equal(calls.filter(command => command.startsWith(NFT)).length, 1);
	});
});

describe('nft native-table reader', () => {
	it('lists the tables again after REDISCOVER_MS, and at once when a table has gone', async () => {
		let now = 0;
		const tables = 'nft_managed_list-tables.json';
		const {runner, calls} = recordedRunner(command => (command.endsWith('list tables') ? fixture(tables) : managedHost()(command)));
		const read = createNativeReader(nftRunner(runner, NFT, 5000), ['ipv4'], () => now);
		const view = {backend: 'nf_tables', incompatible: new Set<string>()};
		await read(view);
		now = REDISCOVER_MS - 1;
		await read(view);
		assert.equal(calls.filter(command => command.endsWith('list tables')).length, 1);
		now = REDISCOVER_MS;
		await read(view);
		assert.equal(calls.filter(command => command.endsWith('list tables')).length, 2);
		const gone = ownNft('nft_managed_list-tables.json').replace('"name": "native"', '"name": "gone"').replace('"inet"', '"ip"');
		const {runner: goneRunner, calls: goneCalls} = recordedRunner(command => (command.endsWith('list tables') ? {stdout: gone} : managedHost()(command)));
		const readGone = createNativeReader(nftRunner(goneRunner, NFT, 5000), ['ipv4'], () => 0);
		assert.deepEqual((await readGone(view)).tables, []);
		await readGone(view);
		assert.equal(goneCalls.filter(command => command.endsWith('list tables')).length, 2);
	});
});

describe('nft native-table reader on a big host', () => {
	it('waits longer before listing the tables again when a listing takes long (it reads every rule)', async () => {
		let now = 0;
		const tookMs = 340;
		const {runner, calls} = recordedRunner(command => (command.endsWith('list tables') ? {...fixture('nft_managed_list-tables.json'), durationMs: tookMs} : managedHost()(command)));
		const read = createNativeReader(nftRunner(runner, NFT, 5000), ['ipv4'], () => now);
		const view = {backend: 'nf_tables', incompatible: new Set<string>()};
		const listings = () => calls.filter(command => command.endsWith('list tables')).length;
		await read(view);
		now = REDISCOVER_MS;
		await read(view);
		assert.equal(listings(), 1, 'not after REDISCOVER_MS');
		now = (REDISCOVER_COST_FACTOR * tookMs) - 1;
		await read(view);
		assert.equal(listings(), 1);
		now = REDISCOVER_COST_FACTOR * tookMs;
		await read(view);
		assert.equal(listings(), 2, `after ${REDISCOVER_COST_FACTOR} × the listing's time`);
	});
});

describe('--backend', () => {
	const flags = (backend: string): RawFlags => ({
		json: true, once: false, interval: 1, ipv4: false, ipv6: false, backend, strategy: 'save', timeout: 5, demo: false, debug: false, color: false, path: false, bits: false,
	});

	it('auto reads nft beside iptables, nftables reads nft alone, nft and legacy name an iptables', () => {
		assert.deepEqual(['auto', 'nftables', 'nft', 'legacy'].map(backend => {
			const options = checkFlags(flags(backend), []);
			return [options.backend, options.nftables];
		}), [['auto', 'also'], ['auto', 'only'], ['nft', 'off'], ['legacy', 'off']]);
		assert.throws(() => checkFlags(flags('nf_tables'), []), /--backend must be one of auto, nft, legacy, nftables/);
	});
});
