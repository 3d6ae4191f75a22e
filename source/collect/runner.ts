import {execa} from 'execa';

// The only place that starts processes. Everything above takes a CommandRunner, so tests and
// replays can feed recorded output instead.

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

export type RunOptions = {timeoutMs: number; signal?: AbortSignal};

export type CommandRunner = (file: string, args: string[], options: RunOptions) => Promise<CommandResult>;

export const execaRunner: CommandRunner = async (file, args, options) => {
	const started = performance.now();
	const result = await execa(file, args, {
		reject: false,
		timeout: options.timeoutMs,
		cancelSignal: options.signal,
		stripFinalNewline: false,
		maxBuffer: 1024 * 1024 * 1024,
		stdin: 'ignore',
		env: {LC_ALL: 'C'},
		extendEnv: true,
	});
	const finishedAt = performance.now();
	const code = (result as {code?: string}).code;
	const spawnError = code === 'ENOENT' || code === 'EACCES' ? code : undefined;
	return {
		stdout: typeof result.stdout === 'string' ? result.stdout : '',
		stderr: typeof result.stderr === 'string' ? result.stderr : '',
		exitCode: result.exitCode,
		timedOut: result.timedOut,
		...(spawnError ? {spawnError} : {}),
		finishedAt,
		durationMs: finishedAt - started,
	};
};

/** Runs every command inside a network namespace: `ip netns exec NAME file args…`. */
export function inNamespace(runner: CommandRunner, ip: string, namespace: string): CommandRunner {
	return async (file, args, options) => runner(ip, ['netns', 'exec', namespace, file, ...args], options);
}
