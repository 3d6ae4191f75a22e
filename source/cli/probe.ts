import {constants} from 'node:os';
import {execa} from 'execa';
import {probeDiff} from '../core/probe.ts';
import {EXIT} from './exit.ts';
import type {ProbeSettings} from './extra-modes.ts';
import type {Options} from './flags.ts';
import {liveCollector} from './live.ts';
import {probeJson, probeText, shellWords, type ProbeReport} from './probe-output.ts';
import {invokingUser, type RunAs} from './run-as.ts';
import {UsageError} from './usage-error.ts';

// `fwtop probe -- CMD ARGS…`: read the counters, run the command (argument array, no shell), read
// them again, print what moved. The command's stdout and stderr both go to fwtop's stderr, so
// `--json` on stdout stays one clean object.

type Runs = {exitCode: number; failedRuns: number; status: string; interrupted: boolean; done: number};

/** The status a shell would report: the exit code, or 128 + the signal's number. */
function statusOf(result: {exitCode?: number; signal?: string}): {code: number; text: string} {
	if (result.exitCode !== undefined) return {code: result.exitCode, text: `exit status ${result.exitCode}`};
	const signal = result.signal ?? 'SIGKILL';
	const number = constants.signals[signal as keyof typeof constants.signals] ?? 9;
	return {code: 128 + number, text: `killed by ${signal} (status ${128 + number})`};
}

async function runOnce(command: string[], runAs: RunAs | null, onChild: (kill: (signal: NodeJS.Signals) => void) => void) {
	const child = execa(command[0]!, command.slice(1), {
		reject: false,
		stdin: 'inherit',
		stdout: 2,
		stderr: 2,
		...(runAs === null ? {} : {uid: runAs.uid, gid: runAs.gid, env: runAs.env}),
	});
	onChild(signal => child.kill(signal));
	const result = await child;
	const code = (result as {code?: string}).code;
	if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') {
		throw new UsageError(`cannot run ${shellWords(command.slice(0, 1))}: ${code === 'ENOENT' ? 'command not found' : 'permission denied'}${runAs === null ? '' : ` (as uid ${runAs.uid})`}`);
	}

	return statusOf(result);
}

/** Runs the command `repeat` times, or until interrupted: SIGINT or SIGTERM goes on to the
 * command, and fwtop stays to take its second reading and report. */
async function runCommand(settings: ProbeSettings, runAs: RunAs | null): Promise<Runs> {
	const runs: Runs = {exitCode: 0, failedRuns: 0, status: 'exit status 0', interrupted: false, done: 0};
	let kill: ((signal: NodeJS.Signals) => void) | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		runs.interrupted = true;
		// A terminal's Ctrl-C reaches the whole process group, `kill` only us: pass it on either way.
		kill?.(signal);
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	try {
		for (let run = 0; run < settings.repeat && !runs.interrupted; run++) {
			const status = await runOnce(settings.command, runAs, child => {
				kill = child;
			});
			runs.done++;
			if (status.code === 0) continue;
			runs.failedRuns++;
			if (runs.exitCode === 0) {
				runs.exitCode = status.code;
				runs.status = status.text;
			}
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}

	return runs;
}

export type ProbeIo = {write: (text: string) => void};

export async function runProbe(options: Options, settings: ProbeSettings, io: ProbeIo): Promise<number> {
	const collector = liveCollector(options);
	const runAs = await invokingUser(settings.asRoot);
	const before = await collector.collect();
	const runs = await runCommand(settings, runAs);
	const after = await collector.collect();
	const runNotes = [
		...(runAs === null ? [] : [runAs.note]),
		...(runs.interrupted ? [`Interrupted after ${runs.done} of ${settings.repeat} runs: the rest were skipped.`] : []),
	];
	const report: ProbeReport = {
		command: settings.command,
		exitCode: runs.exitCode,
		repeat: settings.repeat,
		runs: runs.done,
		failedRuns: runs.failedRuns,
		diff: probeDiff(before, after, {repeat: Math.max(1, runs.done)}),
		runNotes,
		status: runs.status,
	};
	io.write(options.json ? probeJson(report) + '\n' : probeText(report));
	return runs.exitCode === 0 ? EXIT.ok : EXIT.commandFailed;
}
