import {CollectError} from '../collect/collect-error.ts';
import {ParseError} from '../core/parse-error.ts';
import {printable} from '../core/printable.ts';
import {currentInvocation, sudoArgs} from './sudo.ts';
import {UsageError} from './usage-error.ts';

// Exit codes (README "Exit codes"): 0 ok, 1 reading the firewall failed (and --until: no match in
// time), 2 bad usage or unparseable input (and --until: a pattern that matches no rule), 3 iptables
// not installed, 4 not permitted (not root), 5 probe: the probed command failed.
export const EXIT = {ok: 0, failed: 1, usage: 2, notInstalled: 3, notPermitted: 4, commandFailed: 5} as const;

function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The command that works under sudo even when node comes from nvm or volta (which sudo's
 * secure_path does not see): absolute node, absolute script, the same arguments (what --sudo runs). */
export function sudoCommand(argv: string[] = process.argv, execPath: string = process.execPath, standalone?: boolean): string {
	return ['sudo', ...sudoArgs(currentInvocation(argv, execPath, standalone))].map(word => shellQuote(word)).join(' ');
}

export function describeFailure(error: unknown): {message: string; code: number} {
	if (error instanceof UsageError) return {message: error.message, code: EXIT.usage};
	if (error instanceof ParseError) return {message: `cannot parse the input: ${error.message}`, code: EXIT.usage};
	if (error instanceof CollectError) {
		switch (error.kind) {
			case 'not-root': {
				return {message: `reading the firewall needs root (${error.message}). Run: ${sudoCommand()} (or add --sudo)`, code: EXIT.notPermitted};
			}

			case 'not-installed': {
				return {message: error.message, code: EXIT.notInstalled};
			}

			default: {
				return {message: error.message, code: EXIT.failed};
			}
		}
	}

	return {message: error instanceof Error ? error.message : String(error), code: EXIT.failed};
}

/** Prints `fwtop: <one line>` (the stack only with --debug) and returns the exit code. */
export function reportFailure(error: unknown, debug: boolean): number {
	const {message, code} = describeFailure(error);
	process.stderr.write(`fwtop: ${printable(message)}\n`);
	if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
	return code;
}
