import {createCollector, type Collector} from '../collect/collector.ts';
import {findBinary} from '../collect/binaries.ts';
import {execaRunner, inNamespace} from '../collect/runner.ts';
import type {Options} from './flags.ts';
import {UsageError} from './usage-error.ts';

// The collector for a live read (probe, --until): the system's iptables, or the one of a network
// namespace with --netns. (cli.tsx builds the same for the dashboard and --json.)

export function liveCollector(options: Options): Collector {
	let runner = execaRunner;
	if (options.netns !== undefined) {
		const ip = findBinary('ip');
		if (ip === undefined) throw new UsageError('--netns needs the ip command (package iproute2)');
		runner = inNamespace(execaRunner, ip, options.netns);
	}

	return createCollector({
		runner,
		families: options.families,
		familiesExplicit: options.familiesExplicit,
		backend: options.backend,
		strategy: options.strategy,
		...(options.iptables === undefined ? {} : {iptablesPath: options.iptables}),
		...(options.tables === undefined ? {} : {tables: options.tables}),
		timeoutMs: options.timeoutMs,
	});
}
