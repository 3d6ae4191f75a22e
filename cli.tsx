#!/usr/bin/env node
import meow from 'meow';
import {checkFlags, type Options} from './source/cli/flags.ts';
import {EXIT, reportFailure} from './source/cli/exit.ts';
import {inputSample} from './source/cli/input.ts';
import {plainTable} from './source/cli/plain.ts';
import {runStream} from './source/cli/stream.ts';
import {UsageError} from './source/cli/usage-error.ts';
import {pickExtraMode, runExtraMode, splitCommand} from './source/cli/extra-modes.ts';
import {sampleJson} from './source/core/json.ts';
import {createPoller} from './source/collect/poller.ts';
import {liveCollector} from './source/cli/live.ts';
import type {SampleSource} from './source/core/sample-source.ts';

const flags = {
	json: {type: 'boolean', default: false},
	once: {type: 'boolean', default: false},
	interval: {type: 'number', default: 1},
	count: {type: 'number'},
	table: {type: 'string'},
	ipv4: {type: 'boolean', shortFlag: '4', default: false},
	ipv6: {type: 'boolean', shortFlag: '6', default: false},
	input: {type: 'string'},
	backend: {type: 'string', default: 'auto'},
	strategy: {type: 'string', default: 'save'},
	iptables: {type: 'string'},
	timeout: {type: 'number', default: 5},
	netns: {type: 'string'},
	demo: {type: 'boolean', default: false},
	debug: {type: 'boolean', default: false},
	color: {type: 'boolean', default: true},
	chain: {type: 'string'},
	path: {type: 'boolean', default: false},
	filter: {type: 'string'},
	bits: {type: 'boolean', default: false},
	repeat: {type: 'number'},
	asRoot: {type: 'boolean', default: false},
	until: {type: 'string'},
	untilTimeout: {type: 'number'},
} as const;

// `fwtop probe … -- CMD ARGS…`: the command's own flags never reach meow.
const split = splitCommand(process.argv.slice(2));

const cli = meow(`
	Usage
	  $ sudo fwtop [options]          live dashboard of every iptables rule with packets/s and bytes/s
	  $ sudo fwtop --json             one JSON object per sample per line (NDJSON)
	  $ sudo fwtop --once             one sample, rates over one interval, then exit
	  $ sudo fwtop --demo             a namespace lab with Docker-style rules and traffic (no Docker needed)
	  $ sudo fwtop probe [options] -- CMD ARGS…   run CMD, then list the rules its packets moved, in path order
	  $ sudo fwtop --until PATTERN    wait until a rule matching [TABLE/][CHAIN:]TEXT counts a packet

	Options
	  --interval SECONDS     time between samples (default 1, from 0.1)
	  --count N              with --json: stop after N samples
	  --json                 NDJSON on stdout instead of the dashboard
	  --once                 print one sample whose rates span one --interval, then exit
	  --table T[,T…]         only these tables: filter, nat, mangle, raw, security (default all;
	                         in the dashboard: the table to start in)
	  -4, --ipv4 / -6, --ipv6  only this family (default both, where ip6tables works; dashboard: start there)
	  --input FILE|-         parse a saved \`iptables -v -n -x -L\` or \`iptables-save -c\` dump
	  --backend B            auto (the system's iptables), nft (iptables-nft) or legacy (iptables-legacy)
	  --strategy S           save (one iptables-save -c per family, default) or list (iptables -vnxL per table)
	  --iptables PATH        the iptables binary to run (default: found in /usr/sbin, /sbin, …, never PATH)
	  --timeout SECONDS      give up on an iptables call after this long (default 5)
	  --netns NAME           read the firewall of network namespace NAME (ip netns exec)
	  --demo                 build the lab, watch it, tear it down on exit (needs root)
	  --table nat --chain DOCKER   start the dashboard in that chain
	  --path                 start in the packet-path view
	  --filter TEXT          start with this filter
	  --bits                 show bits/s instead of bytes/s
	  --no-color             no colours (also NO_COLOR=1)
	  --debug                stack traces on errors
	  --repeat N             probe: run the command N times; rules that moved ≥ N packets are marked
	  --as-root              probe: run the command as root under sudo (default: as the user who ran sudo)
	  --until PATTERN        print the first rule matching PATTERN that counts a packet, exit 0
	  --until-timeout SECONDS  with --until: give up after this long (exit 1; default: wait)

	fwtop only reads the firewall: it never changes a rule or a counter.

	Examples
	  $ sudo fwtop --table nat --chain DOCKER
	  $ sudo fwtop --json --interval 0.5 --count 10 | jq -c '.tables[].chains[].rules[] | select(.packetsPerSecond > 0)'
	  $ iptables-save -c | fwtop --input - --json
	  $ sudo fwtop probe -- curl -s -o /dev/null http://203.0.113.7:8080/
	  $ sudo fwtop --until 'nat/DOCKER:to:172.17.0.2:80' --until-timeout 30
`, {
	importMeta: import.meta,
	allowUnknownFlags: true,
	argv: split.argv,
	flags,
});

function liveSource(options: Options, namespace: string | undefined): SampleSource {
	return createPoller(liveCollector({...options, netns: namespace}), {intervalMs: options.intervalMs});
}

async function runInput(options: Options): Promise<number> {
	const family = options.familiesExplicit && options.families.length === 1 ? options.families[0] : undefined;
	const sample = await inputSample(options.input!, {
		...(family ? {family} : {}),
		...(options.tables?.length === 1 ? {table: options.tables[0]!} : {}),
		...(options.tables ? {tables: options.tables} : {}),
	});
	process.stdout.write(options.json ? sampleJson(sample) + '\n' : plainTable(sample));
	return EXIT.ok;
}

/** In the dashboard --table, --chain, -4 and -6 say where to start: every table and family is
 * still read, so Tab, 4 and 6 can go anywhere. In --json and --once they restrict the read. */
function collected(options: Options): Options {
	if (options.mode !== 'dashboard') return options;
	return {...options, tables: undefined, families: ['ipv4', 'ipv6'], familiesExplicit: false};
}

async function runLive(options: Options, namespace: string | undefined): Promise<number> {
	const source = liveSource(collected(options), namespace);
	if (options.mode === 'dashboard') {
		if (!process.stdout.isTTY) {
			throw new UsageError('stdout is not a terminal: use --json for a stream of samples, or --once for one plain table');
		}

		// Loaded only here: --json and --once never load Ink or React.
		const {runDashboard} = await import('./source/ui/run.tsx');
		return runDashboard({
			source,
			initial: {
				intervalMs: options.intervalMs,
				...(options.tables?.length === 1 ? {table: options.tables[0]!} : {}),
				...(options.chain === undefined ? {} : {chain: options.chain}),
				...(options.filter === undefined ? {} : {filter: options.filter}),
				...(options.familiesExplicit && options.families.length === 1 ? {family: options.families[0]!} : {}),
				path: options.path,
				bits: options.bits,
			},
			color: options.color,
		});
	}

	return runStream(source, {
		format: options.json ? 'json' : 'plain',
		once: options.mode === 'once',
		count: options.count,
		write: text => process.stdout.write(text),
		warn: text => process.stderr.write(text),
	});
}

async function main(options: Options): Promise<number> {
	if (options.mode === 'input') return runInput(options);
	if (!options.demo) return runLive(options, options.netns);
	const {startDemo} = await import('./source/lab/demo.ts');
	const demo = await startDemo({});
	try {
		return await runLive(options, demo.hostNamespace);
	} finally {
		await demo.stop();
	}
}

// A reader that goes away (`fwtop --json | head -1`) is a normal end, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(EXIT.ok);
	throw error;
});

/** meow's own unknown-flag message spans two lines; ours is one, with the fix. */
function checkKnownFlags(): void {
	const known = new Set(['help', 'version', '4', '6', ...Object.keys(flags)]);
	const unknown = Object.keys(cli.unnormalizedFlags).find(name => !known.has(name));
	if (unknown !== undefined) throw new UsageError(`unknown option ${unknown.length === 1 ? '-' : '--'}${unknown} (see fwtop --help)`);
}

let debug = cli.flags.debug;
// Last resort: an unexpected error is still one line (the dashboard restores the terminal in its
// own handler, which runs in the same tick before the process exits).
process.on('uncaughtException', error => {
	process.exitCode = reportFailure(error, debug);
	setImmediate(() => process.exit());
});
process.on('unhandledRejection', error => {
	process.exitCode = reportFailure(error, debug);
	setImmediate(() => process.exit());
});

try {
	const extra = pickExtraMode(cli.flags, cli.input, split.command);
	checkKnownFlags();
	const options = checkFlags(cli.flags, extra?.mode === 'probe' ? [] : cli.input);
	debug = options.debug;
	process.exitCode = extra === undefined ? await main(options) : await runExtraMode(extra, options);
} catch (error) {
	process.exitCode = reportFailure(error, debug);
}
