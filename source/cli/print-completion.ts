import {completionScript, SHELLS, type Shell} from './completion.ts';
import {EXIT} from './exit.ts';
import {UsageError} from './usage-error.ts';

/** `fwtop --completion SHELL`: the script on stdout; returns the exit code. */
export function printCompletion(shell: string): number {
	if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`--completion takes ${SHELLS.join(', ')} (got '${shell}')`);
	process.stdout.write(completionScript(shell as Shell));
	return EXIT.ok;
}
