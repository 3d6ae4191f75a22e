#!/usr/bin/env node
import meow from 'meow';
import {checkFlags, type Options} from './source/cli/flags.ts';
import {EXIT, reportFailure} from './source/cli/exit.ts';
import {inputSample} from './source/cli/input.ts';
import {plainTable} from './source/cli/plain.ts';
import {drainOf, exitIfStuck, runStream, STOP_GRACE_MS} from './source/cli/stream.ts';
import {UsageError} from './source/cli/usage-error.ts';
import {pickExtraMode, runExtraMode, splitCommand} from './source/cli/extra-modes.ts';
import {writeSampleJson} from './source/core/json-line.ts';
import {applyConfig, givenFlags, loadConfig} from './source/cli/config.ts';
import {FLAGS} from './source/cli/flag-spec.ts';
import {helpText} from './source/cli/help-text.ts';
import {openSource} from './source/cli/sources.ts';
import {runUnderSudo} from './source/cli/sudo.ts';
import {VERSION} from './source/cli/version.ts';
import type {SampleSource} from './source/core/sample-source.ts';

const flags = FLAGS;

// `fwtop probe … -- CMD ARGS…`: the command's own flags never reach meow.
const split = splitCommand(process.argv.slice(2));

const cli = meow(helpText(), {
	description: false,
	importMeta: import.meta,
	// Baked in by the build: the standalone executable has no package.json to read it from.
	version: VERSION,
	// Given, so that meow needs no package.json (the build cuts out the code that reads one:
	// scripts/meow-lean.mjs); meow names the process after it.
	pkg: {name: 'fwtop'},
	allowUnknownFlags: true,
	argv: split.argv,
	flags,
});

async function runInput(options: Options): Promise<number> {
	const family = options.familiesExplicit && options.families.length === 1 ? options.families[0] : undefined;
	const sample = await inputSample(options.input!, {
		...(family ? {family} : {}),
		...(options.tables?.length === 1 ? {table: options.tables[0]!} : {}),
		...(options.tables ? {tables: options.tables} : {}),
	});
	if (options.json) writeSampleJson(sample, text => process.stdout.write(text));
	else process.stdout.write(plainTable(sample));
	return EXIT.ok;
}

/** In the dashboard --table, --chain, -4 and -6 say where to start: every table and family is
 * still read, so Tab, 4 and 6 can go anywhere. In --json and --once they restrict the read. */
function collected(options: Options): Options {
	if (options.mode !== 'dashboard') return options;
	return {...options, tables: undefined, families: ['ipv4', 'ipv6'], familiesExplicit: false};
}

async function runLive(options: Options, source: SampleSource): Promise<number> {
	if (options.mode === 'dashboard') {
		// Loaded only here: --json and --once never load Ink or React. It starts the first read
		// itself, right after drawing the waiting frame, and the read then runs while Ink loads.
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
		drained: () => drainOf(process.stdout),
		warn: text => process.stderr.write(text),
		// The exit code is set by then (0): what the reader has not taken is dropped.
		interrupted: () => exitIfStuck(process.stdout, STOP_GRACE_MS, () => process.exit()),
	});
}

async function main(options: Options): Promise<number> {
	if (options.mode === 'input') return runInput(options);
	if (options.mode === 'dashboard' && !process.stdout.isTTY) {
		throw new UsageError('stdout is not a terminal: use --json for a stream of samples, or --once for one plain table');
	}

	// Ink and the UI load while fwtop looks for iptables and starts the first read (the main
	// thread would only wait for those children); --json and --once never load them.
	if (options.mode === 'dashboard') {
		void import('./source/ui/run.tsx').then(ui => {
			void ui.preloadDashboard();
		}, () => undefined);
	}

	// The firewall (--record writes it down too), a recording (--replay), or the demo.
	const opened = await openSource(collected(options), {warn: text => process.stderr.write(text)});
	try {
		return await runLive(options, opened.source);
	} finally {
		await opened.close();
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
	if (cli.flags.completion !== undefined) {
		const {printCompletion} = await import('./source/cli/print-completion.ts');
		process.exit(printCompletion(cli.flags.completion));
	}

	const extra = pickExtraMode(cli.flags, cli.input, split.command);
	checkKnownFlags();
	// Defaults from /etc/fwtop.json and the user's config.json; flags on the command line win.
	const config = await loadConfig();
	const configured = applyConfig(cli.flags, config, givenFlags(split.argv));
	const options = {...checkFlags(configured, extra?.mode === 'probe' ? [] : cli.input), hiddenChains: config.hiddenChains ?? []};
	debug = options.debug;
	if (cli.flags.sudo && process.getuid?.() !== 0) {
		// Checked first, so a usage error never asks for a password; then fwtop runs again as root.
		process.exitCode = await runUnderSudo();
	} else {
		process.exitCode = extra === undefined ? await main(options) : await runExtraMode(extra, options);
	}
} catch (error) {
	process.exitCode = reportFailure(error, debug);
}
