import {createCollector, type Collector} from '../collect/collector.ts';
import {findBinary} from '../collect/binaries.ts';
import type {Recorder} from '../collect/record.ts';
import {withNftables} from '../collect/nft-collector.ts';
import {spawnRunner, inNamespace} from '../collect/runner.ts';
import type {TimeoutLimit} from '../collect/timeout-limit.ts';
import type {Options} from './flags.ts';
import {UsageError} from './usage-error.ts';

// The collector for a live read: the system's iptables, or the one of a network namespace with
// --netns; with a recorder (--record), every call and sample stamp goes into the recording too.
// With a limit, the collectors give every call the limit's current value (the poller adapts it),
// and name that value when a call times out.

export function liveCollector(options: Options, recorder?: Pick<Recorder, 'wrapRunner'>, limit?: TimeoutLimit): Collector {
	let runner = spawnRunner;
	if (options.netns !== undefined) {
		const ip = findBinary('ip');
		if (ip === undefined) throw new UsageError('--netns needs the ip command (package iproute2)');
		runner = inNamespace(runner, ip, options.netns);
	}

	// Outside the namespace wrapper: the recording holds what the collector asked for.
	if (recorder !== undefined) runner = recorder.wrapRunner(runner);

	const nftables = options.nftables ?? 'off';
	const iptables = nftables === 'only' ? null : createCollector({
		runner,
		families: options.families,
		familiesExplicit: options.familiesExplicit,
		backend: options.backend,
		strategy: options.strategy,
		...(options.iptables === undefined ? {} : {iptablesPath: options.iptables}),
		...(options.tables === undefined ? {} : {tables: options.tables}),
		timeoutMs: options.timeoutMs,
		...(limit === undefined ? {} : {limit}),
	});
	if (nftables === 'off') return iptables!;
	return withNftables(iptables, {
		runner,
		mode: nftables,
		families: options.families,
		...(options.tables === undefined ? {} : {tables: options.tables}),
		timeoutMs: options.timeoutMs,
		...(limit === undefined ? {} : {limit}),
	});
}
