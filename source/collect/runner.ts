import {type ChildProcess, spawn} from 'node:child_process';

// The only place that starts processes. Everything above takes a CommandRunner, so tests and
// replays can feed recorded output instead.
//
// Plain child_process, not execa: fwtop runs iptables once or twice a second for as long as it
// runs, and execa's per-call machinery cost 4–7 ms of CPU more than spawn per call on the 2-core
// benchmark machine (bench/run.ts; 1 Hz × 2 families ≈ 1 % of a core on its own).

export type CommandResult = {
	stdout: string;
	stderr: string;
	exitCode: number | undefined;
	timedOut: boolean;
	/** Set when the process could not be started (ENOENT, EACCES). */
	spawnError?: string;
	/** Monotonic milliseconds when the output was complete. */
	finishedAt: number;
	durationMs: number;
};

export type RunOptions = {
	timeoutMs: number;
	signal?: AbortSignal;
	/** When given, the output is handed to it as it arrives, in pieces, instead of being returned
	 * (the result's `stdout` is then ''): the collector parses a dump while the child prints it. */
	stdout?: (piece: string) => void;
};

export type CommandRunner = (file: string, args: string[], options: RunOptions) => Promise<CommandResult>;

/** After SIGTERM (timeout, abort), the time a child gets before SIGKILL. */
const KILL_AFTER_MS = 2000;

type Limits = {timedOut: () => boolean; clear: () => void};

/** SIGTERM on timeout or abort, SIGKILL if that is not enough. */
function limit(child: ChildProcess, options: RunOptions): Limits {
	let timedOut = false;
	let killer: NodeJS.Timeout | undefined;
	const stop = (): void => {
		child.kill('SIGTERM');
		killer ??= setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
	};

	const timer = setTimeout(() => {
		timedOut = true;
		stop();
	}, options.timeoutMs);
	options.signal?.addEventListener('abort', stop, {once: true});
	if (options.signal?.aborted === true) stop();
	return {
		timedOut: () => timedOut,
		clear() {
			clearTimeout(timer);
			clearTimeout(killer);
			options.signal?.removeEventListener('abort', stop);
		},
	};
}

type Output = {stdout: string[]; stderr: string[]; failure?: NodeJS.ErrnoException};

function resultOf(output: Output, code: number | null, timedOut: boolean, started: number): CommandResult {
	const finishedAt = performance.now();
	const stderr = output.stderr.join('');
	const {failure} = output;
	const spawnError = failure?.code === 'ENOENT' || failure?.code === 'EACCES' ? failure.code : undefined;
	return {
		stdout: output.stdout.join(''),
		stderr: failure !== undefined && stderr === '' ? failure.message : stderr,
		// A child that never ran has no exit code (Node reports the errno as one).
		exitCode: failure === undefined ? code ?? undefined : undefined,
		timedOut,
		...(spawnError ? {spawnError} : {}),
		finishedAt,
		durationMs: finishedAt - started,
	};
}

export const spawnRunner: CommandRunner = async (file, args, options) => new Promise(resolve => {
	const started = performance.now();
	const child = spawn(file, args, {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, LC_ALL: 'C'}});
	const output: Output = {stdout: [], stderr: []};
	const limits = limit(child, options);
	// Decoded as it arrives (a character split between two reads waits for its rest): each 64 kB
	// Buffer dies young, and no concatenated copy is made beside the text. At 50,000 rules these
	// were 7 + 7 MB of malloc'd memory per read, freed only with their Buffer objects, and glibc
	// keeps what it gets back: resident 143 → 120 MB for `--json` at 10,000 rules, 295 → 257 MB
	// for the dashboard at 50,000 (bench/memory.ts, with heap-trim.ts; CPU within noise). With a
	// `stdout` callback (the collector's save parser) each decoded piece goes straight on.
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', options.stdout ?? ((chunk: string) => output.stdout.push(chunk)));
	child.stderr.on('data', (chunk: string) => output.stderr.push(chunk));
	child.once('error', (error: NodeJS.ErrnoException) => {
		output.failure = error;
	});
	// 'close' comes after 'error' too (a child that never started), once both pipes are drained.
	child.once('close', (code: number | null) => {
		limits.clear();
		resolve(resultOf(output, code, limits.timedOut(), started));
	});
});

/** Runs every command inside a network namespace: `ip netns exec NAME file args…`. */
export function inNamespace(runner: CommandRunner, ip: string, namespace: string): CommandRunner {
	return async (file, args, options) => runner(ip, ['netns', 'exec', namespace, file, ...args], options);
}
