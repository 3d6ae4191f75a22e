import {printable} from './printable.ts';

// Turns a failed iptables run into one line a user can act on. Messages and exit codes are the
// ones recorded in ../shared/reference/iptables-formats.md §9 (iptables 1.4.21–1.8.13).

export type FailureKind = 'not-root' | 'not-installed' | 'timeout' | 'lock' | 'unsupported' | 'other';

export type CommandOutcome = {
	command: string;
	exitCode: number | undefined;
	stderr: string;
	timedOut: boolean;
	/** Set when the binary could not be started at all (ENOENT, EACCES). */
	spawnError?: string;
};

export type Diagnosis = {kind: FailureKind; message: string};

const notRoot = /Permission denied|you must be root|Operation not permitted/i;
const lockHeld = /holding the xtables lock|Can't lock/i;
const unsupported = /Address family not supported|Protocol not supported|can't initialize ip6?tables table|does not exist/i;

export function diagnose(outcome: CommandOutcome, timeoutMs: number): Diagnosis {
	if (outcome.spawnError !== undefined) {
		return {kind: 'not-installed', message: `cannot run ${outcome.command}: ${outcome.spawnError}`};
	}

	if (outcome.timedOut) {
		return {
			kind: 'timeout',
			message: `${outcome.command} gave no answer within ${timeoutMs / 1000} s (is another program holding the xtables lock?)`,
		};
	}

	const firstLine = printable(outcome.stderr.trim().split('\n')[0] ?? '', 200);
	if (notRoot.test(outcome.stderr)) return {kind: 'not-root', message: firstLine};
	if (lockHeld.test(outcome.stderr)) return {kind: 'lock', message: firstLine};
	if (unsupported.test(outcome.stderr)) return {kind: 'unsupported', message: firstLine};
	const detail = firstLine === '' ? '' : `: ${firstLine}`;
	return {kind: 'other', message: `${outcome.command} failed (exit ${outcome.exitCode ?? 'signal'})${detail}`};
}

/** `iptables v1.8.9 (nf_tables)` → version and backend; `iptables v1.6.1` → pre-1.8 (legacy only). */
export function parseVersion(text: string): {version: string; backend: string} | undefined {
	const match = /v(\d+(?:\.\d+)+)(?:\s+\(([\w-]+)\))?/.exec(text);
	if (!match) return undefined;
	return {version: match[1]!, backend: match[2] ?? 'pre-1.8'};
}
