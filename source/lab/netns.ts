// Commands for the lab: binaries from the system paths, namespaces named so that a crashed run's
// leftovers can be recognised (and only those), and a runner that never goes through a shell.
import {accessSync, constants} from 'node:fs';
import {execa, execaSync} from 'execa';

const systemDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of an executable in the system directories, or undefined. */
export function findBinary(name: string): string | undefined {
	for (const dir of systemDirs) {
		const path = `${dir}/${name}`;
		try {
			accessSync(path, constants.X_OK);
			return path;
		} catch {
			// Not here; try the next directory.
		}
	}

	return undefined;
}

export function binary(name: string): string {
	const path = findBinary(name);
	if (!path) {
		throw new Error(`${name} not found in ${systemDirs.join(', ')}`);
	}

	return path;
}

export const commandTimeoutMs = 15_000;

/** Runs a command (argument array, no shell) and returns stdout; throws with stderr on failure. */
export async function run(file: string, args: string[], options: {input?: string; timeoutMs?: number} = {}): Promise<string> {
	const result = await execa(file, args, {
		input: options.input ?? '',
		timeout: options.timeoutMs ?? commandTimeoutMs,
		reject: false,
		stripFinalNewline: false,
	});
	if (result.failed) {
		const detail = result.timedOut ? 'timed out' : String(result.stderr).trim() || `exit ${String(result.exitCode)}`;
		throw new Error(`${[file, ...args].join(' ')}: ${detail}`);
	}

	return String(result.stdout);
}

/** `ip netns exec NS FILE ARGS…`; bare names are resolved on the system paths first. */
export async function runIn(ns: string, file: string, args: string[], options: {input?: string; timeoutMs?: number} = {}): Promise<string> {
	return run(binary('ip'), ['netns', 'exec', ns, findBinary(file) ?? file, ...args], options);
}

// Namespace names: fwtop-<pid>-<4 hex>-<role>. The pid lets a later run tell a crashed run's
// namespaces (owner dead) from a live one's; nothing that does not match exactly is ever touched.
export const namespacePattern = /^fwtop-(\d+)-[0-9a-f]{4}-(host|ctra|ctrb|ext|probe)$/;

export function newRunId(): string {
	const hex = Math.floor(Math.random() * 0x10000).toString(16).padStart(4, '0');
	return `${process.pid}-${hex}`;
}

export async function listNamespaces(): Promise<string[]> {
	const output = await run(binary('ip'), ['netns', 'list']);
	// Lines look like `fwtop-123-ab12-host (id: 4)`.
	return output.split('\n').map(line => line.trim().split(/\s+/)[0] ?? '').filter(name => name !== '');
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error: unknown) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Deletes namespaces left by a lab whose process is gone; returns their names. */
export async function sweepStaleNamespaces(): Promise<string[]> {
	const stale = (await listNamespaces()).filter(name => {
		const match = namespacePattern.exec(name);
		return match !== null && !processAlive(Number(match[1]));
	});
	for (const name of stale) {
		await deleteNamespace(name);
	}

	return stale;
}

export async function deleteNamespace(name: string): Promise<void> {
	const result = await execa(binary('ip'), ['netns', 'delete', name], {reject: false, timeout: commandTimeoutMs});
	if (result.failed && !/No such file|does not exist/i.test(String(result.stderr))) {
		throw new Error(`ip netns delete ${name}: ${String(result.stderr).trim()}`);
	}
}

/** For process `exit` handlers, where nothing asynchronous runs any more. */
export function deleteNamespaceSync(name: string): void {
	execaSync(binary('ip'), ['netns', 'delete', name], {reject: false, timeout: commandTimeoutMs});
}

/** Pids of processes inside a namespace (`ip netns pids`). */
export async function namespacePids(name: string): Promise<number[]> {
	const result = await execa(binary('ip'), ['netns', 'pids', name], {reject: false, timeout: commandTimeoutMs});
	return String(result.stdout).split('\n').map(Number).filter(pid => Number.isInteger(pid) && pid > 0);
}
