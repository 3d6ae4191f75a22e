import {diagnose} from '../core/diagnose.ts';
import type {Family, Table} from '../core/model.ts';
import {ParseError} from '../core/parse-error.ts';
import {parseNftRuleset, type NftDump} from '../core/parse-nft.ts';
import {CollectError} from './collect-error.ts';
import type {CommandResult, CommandRunner} from './runner.ts';

// Running nft (read-only `list` commands only) and reading its JSON.

export type NftReading = {tables: Table[]; warnings: string[]; version: string; finishedAt: number; durationMs: number};

/** Runs `nft ARGS…`; a failure, or output that is not nft's JSON, throws CollectError. */
export type RunNft = (args: string[], signal?: AbortSignal) => Promise<CommandResult>;

/** `limit` is --timeout, or the adaptive limit (timeout-limit.ts) read at each call: the call gets
 * it, and a timeout's message names it. */
export function nftRunner(runner: CommandRunner, nft: string, limit: number | {readonly ms: number}): RunNft {
	return async (args, signal) => {
		const display = `${nft} ${args.join(' ')}`;
		const timeoutMs = typeof limit === 'number' ? limit : limit.ms;
		const result = await runner(nft, args, {timeoutMs, ...(signal ? {signal} : {})});
		if (result.timedOut) throw new CollectError({kind: 'timeout', message: `${display} gave no answer within ${timeoutMs / 1000} s`});
		if (result.exitCode !== 0 || result.spawnError !== undefined) throw new CollectError(diagnose({...result, command: display}, timeoutMs));
		return result;
	};
}

/** parseNftRuleset, with a parse failure as a CollectError naming the command. */
export function parseNftOutput(text: string, families: Family[], display: string): NftDump {
	try {
		return parseNftRuleset(text, {families});
	} catch (error) {
		if (error instanceof ParseError) throw new CollectError({kind: 'other', message: `${display}: ${error.message}`});
		throw error;
	}
}

/** `nft -j list ruleset`: every table (`--backend nftables`). */
export function createRulesetReader(run: RunNft, families: Family[]): (signal?: AbortSignal) => Promise<NftReading> {
	let last: {text: string; dump: NftDump} | undefined;
	return async signal => {
		const result = await run(['-j', 'list', 'ruleset'], signal);
		// An idle firewall prints the same text again: parse it once.
		const dump = last?.text === result.stdout ? last.dump : parseNftOutput(result.stdout, families, 'nft -j list ruleset');
		last = {text: result.stdout, dump};
		return {tables: dump.tables, warnings: dump.warnings, version: dump.version, finishedAt: result.finishedAt, durationMs: result.durationMs};
	};
}
