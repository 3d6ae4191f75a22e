import type {CommandResult} from '../../source/collect/runner.ts';

/** What spawnRunner does when asked for the output as it arrives (RunOptions.stdout): hands
 * `result.stdout` to `stdout` in pieces of `size` characters and returns the result without it.
 * Without a `stdout` callback the result is returned whole. */
export function streamedResult(result: CommandResult, stdout: ((piece: string) => void) | undefined, size: number): CommandResult {
	if (stdout === undefined) return result;
	for (let at = 0; at < result.stdout.length; at += size) stdout(result.stdout.slice(at, at + size));
	return {...result, stdout: ''};
}
