import path from 'node:path';
import {findBinary} from '../collect/binaries.ts';
import {UsageError} from './usage-error.ts';

// `fwtop --sudo`: run fwtop again through sudo. sudo's secure_path does not hold a node installed
// with nvm or volta, so the command names node and the script by absolute path (what fwtop prints
// when it is not root, exit.ts), with the same arguments minus --sudo.

export type Invocation = {
	/** process.execPath: node, or the standalone executable itself. */
	execPath: string;
	/** The script (process.argv[1]); undefined for the standalone executable. */
	script: string | undefined;
	/** The arguments after the script. */
	args: string[];
};

/** The words after `sudo`: absolute node and script, then the arguments without --sudo (a probe's
 * command after `--` is left alone). */
export function sudoArgs(invocation: Invocation): string[] {
	const dashes = invocation.args.indexOf('--');
	const own = dashes === -1 ? invocation.args : invocation.args.slice(0, dashes);
	const command = dashes === -1 ? [] : invocation.args.slice(dashes);
	return [
		invocation.execPath,
		...(invocation.script === undefined ? [] : [path.resolve(invocation.script)]),
		...own.filter(arg => arg !== '--sudo'),
		...command,
	];
}

/** Set by the standalone executable's entry (scripts/sea-entry.cjs). */
const isStandalone = (): boolean => (globalThis as {fwtopStandalone?: boolean}).fwtopStandalone === true;

/** How this process was started: under node (`node cli.js …`), or as the standalone executable,
 * whose argv[1] is the executable again as it was typed (Node's single executable applications). */
export function currentInvocation(argv: string[] = process.argv, execPath: string = process.execPath, standalone = isStandalone()): Invocation {
	return {execPath, script: standalone ? undefined : argv[1], args: argv.slice(2)};
}

export type Exec = (file: string, args: string[]) => Promise<{exitCode?: number; signal?: string}>;

const execInherit: Exec = async (file, args) => {
	// Loaded here: execa is a quarter of a megabyte that every other start-up would parse for nothing.
	const {execa} = await import('execa');
	const result = await execa(file, args, {stdio: 'inherit', reject: false});
	return {...(result.exitCode === undefined ? {} : {exitCode: result.exitCode}), ...(result.signal === undefined ? {} : {signal: result.signal})};
};

const signalNumbers: Record<string, number> = {SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15};

/** Runs fwtop under sudo with the terminal shared, and returns its exit code. Ctrl-C reaches sudo
 * (and so fwtop) from the terminal; this process only waits for it. */
export async function runUnderSudo(invocation: Invocation = currentInvocation(), exec: Exec = execInherit, sudo = findBinary('sudo')): Promise<number> {
	if (sudo === undefined) throw new UsageError('--sudo needs sudo, which is not installed: run fwtop as root');
	const ignore = () => undefined;
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, ignore);
	try {
		const result = await exec(sudo, sudoArgs(invocation));
		if (result.exitCode !== undefined) return result.exitCode;
		return 128 + (signalNumbers[result.signal ?? ''] ?? 1);
	} finally {
		for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(signal, ignore);
	}
}
