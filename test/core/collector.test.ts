import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {CollectError} from '../../source/collect/collect-error.ts';
import {createCollector, type CollectorOptions} from '../../source/collect/collector.ts';
import type {CommandResult, CommandRunner} from '../../source/collect/runner.ts';
import {ParseError} from '../../source/core/parse-error.ts';
import {dockerNat, plainData as plain} from '../helpers/samples.ts';
import {streamedResult} from '../helpers/streamed-result.ts';

// The collector with a recorded runner: the outputs and exit codes are the real ones recorded in
// ../shared/fixtures/iptables-1.8.9 (*_err_*.stderr.txt, *_legacy-tables-present.stderr.txt).

type Reply = Partial<CommandResult>;

function recordedRunner(replies: (file: string, args: string[]) => Reply): {runner: CommandRunner; calls: string[]} {
	const calls: string[] = [];
	let clock = 0;
	const runner: CommandRunner = async (file, args) => {
		calls.push([file, ...args].join(' '));
		clock += 10;
		return {stdout: '', stderr: '', exitCode: 0, timedOut: false, finishedAt: clock, durationMs: 10, ...replies(file, args)};
	};
	return {runner, calls};
}

const version = {stdout: 'iptables v1.8.9 (nf_tables)\n'};

function options(runner: CommandRunner, extra: Partial<CollectorOptions> = {}): CollectorOptions {
	return {runner, families: ['ipv4'], familiesExplicit: false, backend: 'auto', strategy: 'save', timeoutMs: 5000, ...extra};
}

describe('collector', () => {
	it('runs iptables-save -c from a secure path and detects the backend once', async () => {
		const {runner, calls} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {stdout: dockerNat(5)}));
		const collector = createCollector(options(runner));
		const first = await collector.collect();
		const second = await collector.collect();
		assert.deepEqual(calls, ['/usr/sbin/iptables -V', '/usr/sbin/iptables-save -c', '/usr/sbin/iptables-save -c']);
		assert.deepEqual([first.source.backend, first.source.version, first.seq, second.seq], ['nf_tables', '1.8.9', 1, 2]);
		assert.equal(first.tables[0]!.name, 'nat');
	});

	it('with --strategy list reads each table with -w -v -n -x -L and skips missing tables', async () => {
		const listing = 'Chain INPUT (policy ACCEPT 3 packets, 180 bytes)\n    pkts      bytes target     prot opt in     out     source               destination         \n       3      180 ACCEPT     0    --  lo     *       0.0.0.0/0            0.0.0.0/0           \n';
		const {runner, calls} = recordedRunner((_file, args) => {
			if (args[0] === '-V') return {stdout: 'iptables v1.8.9 (legacy)\n'};
			if (args[2] === 'filter') return {stdout: listing};
			return {exitCode: 3, stderr: "iptables v1.8.9 (legacy): can't initialize iptables table `nat': Table does not exist (do you need to insmod?)\n"};
		});
		const sample = await createCollector(options(runner, {strategy: 'list', backend: 'legacy'})).collect();
		assert.ok(calls.includes('/usr/sbin/iptables-legacy -w -t filter -v -n -x -L'));
		assert.deepEqual(sample.tables.map(table => table.name), ['filter']);
		assert.equal(sample.tables[0]!.chains[0]!.rules[0]!.protocol, 'all');
	});

	it('turns "Permission denied (you must be root)" into a not-root error', async () => {
		const {runner} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {
			exitCode: 4,
			stderr: 'iptables-nft-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n',
		}));
		await assert.rejects(createCollector(options(runner)).collect(), (error: unknown) => {
			assert.ok(error instanceof CollectError);
			assert.equal(error.kind, 'not-root');
			return true;
		});
	});

	it('reports a timeout as such, naming the lock', async () => {
		const {runner} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {exitCode: undefined, timedOut: true}));
		await assert.rejects(createCollector(options(runner)).collect(), /gave no answer within 5 s .*xtables lock/);
	});

	it('keeps the legacy-tables-present warning visible and says how to see them', async () => {
		const {runner} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {
			stdout: dockerNat(1),
			stderr: '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n',
		}));
		const sample = await createCollector(options(runner)).collect();
		assert.deepEqual(sample.warnings, ['Warning: iptables-legacy tables present, use iptables-legacy-save to see them (or run fwtop --backend legacy)']);
	});

	it('drops IPv6 quietly when the kernel has none, unless -6 was asked for', async () => {
		const replies = (file: string, args: string[]): Reply => {
			if (args[0] === '-V') return version;
			if (file.includes('ip6tables')) return {exitCode: 1, stderr: 'ip6tables-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Address family not supported by protocol\n'};
			return {stdout: dockerNat(1)};
		};

		const quiet = recordedRunner(replies);
		const sample = await createCollector(options(quiet.runner, {families: ['ipv4', 'ipv6']})).collect();
		assert.deepEqual(sample.tables.map(table => table.family), ['ipv4']);
		assert.match(sample.warnings.join('\n'), /IPv6 is not available/);
		const explicit = recordedRunner(replies);
		await assert.rejects(createCollector(options(explicit.runner, {families: ['ipv6'], familiesExplicit: true})).collect(), /Address family not supported/);
	});

	it('with a focus reads only those families and carries the others, once they have been read', async () => {
		const {runner, calls} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {stdout: dockerNat(calls.length)}));
		const collector = createCollector(options(runner, {families: ['ipv4', 'ipv6']}));
		const saves = () => calls.filter(call => call.includes('-save'));
		const first = await collector.collect(undefined, ['ipv4']);
		assert.deepEqual(saves(), ['/usr/sbin/iptables-save -c', '/usr/sbin/ip6tables-save -c'], 'a family never read is read');
		assert.equal(first.carried, undefined);
		calls.length = 0;
		const focused = await collector.collect(undefined, ['ipv4']);
		assert.deepEqual(calls, ['/usr/sbin/iptables-save -c']);
		assert.deepEqual(focused.carried, ['ipv6']);
		const tablesOf = (sample: typeof first, family: string) => sample.tables.filter(table => table.family === family);
		assert.deepEqual(tablesOf(focused, 'ipv6'), tablesOf(first, 'ipv6'));
		assert.ok(tablesOf(focused, 'ipv6').every((table, i) => table === tablesOf(first, 'ipv6')[i]), 'the same Table objects');
		assert.notEqual(tablesOf(focused, 'ipv4')[0], tablesOf(first, 'ipv4')[0], 'the focused family is read again');
		calls.length = 0;
		const all = await collector.collect();
		assert.deepEqual(calls.length, 2);
		assert.equal(all.carried, undefined);
		calls.length = 0;
		const elsewhere = await collector.collect(undefined, ['ipv6']);
		assert.deepEqual([calls, elsewhere.carried], [['/usr/sbin/ip6tables-save -c'], ['ipv4']]);
	});

	it('says which package to install when the binary is missing', async () => {
		const {runner} = recordedRunner(() => ({}));
		await assert.rejects(
			createCollector(options(runner, {iptablesPath: '/nonexistent/iptables'})).collect(),
			/--iptables \/nonexistent\/iptables: not an executable iptables binary/,
		);
	});

	it('only keeps the tables asked for', async () => {
		const both = dockerNat(1) + '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n';
		const {runner} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {stdout: both}));
		const sample = await createCollector(options(runner, {tables: ['filter']})).collect();
		assert.deepEqual(sample.tables.map(table => table.name), ['filter']);
	});

	describe('parses iptables-save\'s output as it arrives', () => {
		/** A runner that hands the output over in pieces of `size` characters, as spawnRunner does
		 * when asked (RunOptions.stdout), and returns no stdout of its own. */
		function streamingRunner(reply: (args: string[]) => Reply, size: number): {runner: CommandRunner; pieces: number[]} {
			const pieces: number[] = [];
			const runner: CommandRunner = async (_file, args, {stdout}) => {
				const result = {stdout: '', stderr: '', exitCode: 0, timedOut: false, finishedAt: 1, durationMs: 1, ...reply(args)};
				if (stdout === undefined || args[0] === '-V') return result;
				return streamedResult(result, piece => {
					pieces.push(piece.length);
					stdout(piece);
				}, size);
			};
			return {runner, pieces};
		}

		it('in pieces, to the same sample as the whole text', async () => {
			const {runner, pieces} = streamingRunner(args => (args[0] === '-V' ? version : {stdout: dockerNat(5)}), 13);
			const streamed = await createCollector(options(runner)).collect();
			const {runner: whole} = recordedRunner((_file, args) => (args[0] === '-V' ? version : {stdout: dockerNat(5)}));
			const expected = await createCollector(options(whole)).collect();
			assert.ok(pieces.length > 20, `${pieces.length} pieces`);
			assert.deepEqual(plain(streamed.tables), plain(expected.tables));
		});

		it('a failed command\'s diagnosis wins over a parse error of what it printed', async () => {
			const denied = {stdout: 'garbage\n', exitCode: 4, stderr: 'iptables-nft-save v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n'};
			const {runner} = streamingRunner(args => (args[0] === '-V' ? version : denied), 3);
			await assert.rejects(createCollector(options(runner)).collect(), (error: unknown) => error instanceof CollectError && error.kind === 'not-root');
			const {runner: exitZero} = streamingRunner(args => (args[0] === '-V' ? version : {stdout: 'garbage\n'}), 3);
			await assert.rejects(createCollector(options(exitZero)).collect(), (error: unknown) => error instanceof ParseError && /line 1: not iptables-save output/.test(error.message));
		});
	});
});
