import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {CollectError} from '../../source/collect/collect-error.ts';
import {createCollector} from '../../source/collect/collector.ts';
import type {CommandRunner} from '../../source/collect/runner.ts';
import {nftRunner} from '../../source/collect/nft-read.ts';
import {createTimeoutLimit} from '../../source/collect/timeout-limit.ts';
import {dockerNat} from '../helpers/samples.ts';

// The adaptive per-call limit as the collector and the runner see it (the poller's side, growth,
// cap and recovery, is in poller.test.ts).

/** A runner whose iptables-save answers only when given at least `needsMs`; it records each limit. */
function slowSave(needsMs: number): {runner: CommandRunner; limits: number[]} {
	const limits: number[] = [];
	const runner: CommandRunner = async (_file, args, options) => {
		if (args[0] === '-V') return {stdout: 'iptables v1.8.9 (nf_tables)\n', stderr: '', exitCode: 0, timedOut: false, finishedAt: 1, durationMs: 1};
		limits.push(options.timeoutMs);
		const timedOut = options.timeoutMs < needsMs;
		return {stdout: timedOut ? '' : dockerNat(3), stderr: '', exitCode: timedOut ? undefined : 0, timedOut, finishedAt: 2, durationMs: 1};
	};
	return {runner, limits};
}

describe('adaptive timeout', () => {
	it('each call gets the limit as it is when the call starts, and the error names that limit', async () => {
		const limit = createTimeoutLimit(5000);
		const {runner, limits} = slowSave(7000);
		const collector = createCollector({runner, families: ['ipv4'], familiesExplicit: false, backend: 'auto', strategy: 'save', timeoutMs: 5000, limit});
		await assert.rejects(collector.collect(), (error: unknown) => error instanceof CollectError && error.kind === 'timeout' && / within 5 s /.test(error.message));
		limit.grow();
		const sample = await collector.collect();
		assert.deepEqual(limits, [5000, 10_000]);
		assert.equal(sample.tables[0]!.name, 'nat');
	});

	it('an nft call gets the limit as it is when the call starts, and its timeout names that limit', async () => {
		const limit = createTimeoutLimit(5000);
		const limits: number[] = [];
		const runner: CommandRunner = async (_file, _args, options) => {
			limits.push(options.timeoutMs);
			return {stdout: '', stderr: '', exitCode: undefined, timedOut: true, finishedAt: 1, durationMs: 1};
		};
		const run = nftRunner(runner, '/usr/sbin/nft', limit);
		limit.grow();
		await assert.rejects(run(['-j', 'list', 'tables']), (error: unknown) => error instanceof CollectError && error.kind === 'timeout' && / within 10 s$/.test(error.message));
		assert.deepEqual(limits, [10_000]);
	});
});
