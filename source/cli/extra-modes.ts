import {parsePattern, type RulePattern} from '../core/pattern.ts';
import type {Options} from './flags.ts';
import {UsageError} from './usage-error.ts';

// `fwtop probe [flags] -- CMD ARGS…` and `fwtop --until PATTERN`: the modes beside the dashboard
// and the streams. meow has no subcommands, and yargs-parser would merge the words after `--` into
// the positional arguments, so the command is cut off before meow sees the arguments.

/** Splits at the first `--`: fwtop's own arguments, and the command (undefined without `--`). */
export function splitCommand(argv: readonly string[]): {argv: string[]; command: string[] | undefined} {
	const dashes = argv.indexOf('--');
	if (dashes === -1) return {argv: [...argv], command: undefined};
	return {argv: argv.slice(0, dashes), command: argv.slice(dashes + 1)};
}

export type ModeFlags = {
	repeat?: number;
	asRoot: boolean;
	until?: string;
	untilTimeout?: number;
	input?: string;
	once: boolean;
	count?: number;
	demo: boolean;
	record?: string;
	replay?: string;
};

export type ProbeSettings = {command: string[]; repeat: number; asRoot: boolean};
export type UntilSettings = {pattern: RulePattern; timeoutMs: number | undefined};

export type ExtraMode =
	| {mode: 'probe'; probe: ProbeSettings}
	| {mode: 'until'; until: UntilSettings};

const MAX_REPEAT = 10_000;
const MAX_UNTIL_SECONDS = 86_400;

function conflicts(flags: ModeFlags, what: string): void {
	const used = [
		flags.input === undefined ? '' : '--input',
		flags.once ? '--once' : '',
		flags.count === undefined ? '' : '--count',
		flags.demo ? '--demo' : '',
		flags.record === undefined ? '' : '--record',
		flags.replay === undefined ? '' : '--replay',
	].find(name => name !== '');
	if (used !== undefined) throw new UsageError(`${what} cannot be combined with ${used}`);
}

function probeSettings(flags: ModeFlags, input: string[], command: string[] | undefined): ProbeSettings {
	if (input.length > 1) throw new UsageError(`unexpected argument '${input[1]!}': put the command after --, e.g. fwtop probe -- curl -s http://…`);
	if (command === undefined || command.length === 0) throw new UsageError('fwtop probe needs a command after --, e.g. fwtop probe -- curl -s http://…');
	if (flags.until !== undefined) throw new UsageError('fwtop probe cannot be combined with --until');
	conflicts(flags, 'fwtop probe');
	const repeat = flags.repeat ?? 1;
	if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) {
		throw new UsageError(`--repeat must be a whole number from 1 to ${MAX_REPEAT} (got ${String(flags.repeat)})`);
	}

	return {command, repeat, asRoot: flags.asRoot};
}

function untilSettings(flags: ModeFlags): UntilSettings {
	const text = flags.until!;
	if (text.trim() === '') throw new UsageError('--until needs a pattern, e.g. --until \'nat/DOCKER:dpt:80\' (see README "Rule patterns")');
	conflicts(flags, '--until');
	const seconds = flags.untilTimeout;
	if (seconds !== undefined && (!Number.isFinite(seconds) || seconds < 0.1 || seconds > MAX_UNTIL_SECONDS)) {
		throw new UsageError(`--until-timeout must be a number of seconds from 0.1 to ${MAX_UNTIL_SECONDS} (got ${String(seconds)})`);
	}

	return {pattern: parsePattern(text), timeoutMs: seconds === undefined ? undefined : Math.round(seconds * 1000)};
}

/** The probe or --until mode the arguments ask for, or undefined for the other modes (after
 * checking that no probe- or until-only flag was given to them). */
export function pickExtraMode(flags: ModeFlags, input: string[], command: string[] | undefined): ExtraMode | undefined {
	if (input[0] === 'probe') return {mode: 'probe', probe: probeSettings(flags, input, command)};
	if (command !== undefined) throw new UsageError('only fwtop probe takes a command after -- (fwtop probe -- CMD ARGS…)');
	if (flags.repeat !== undefined) throw new UsageError('--repeat is for fwtop probe');
	if (flags.asRoot) throw new UsageError('--as-root is for fwtop probe');
	if (flags.until !== undefined) return {mode: 'until', until: untilSettings(flags)};
	if (flags.untilTimeout !== undefined) throw new UsageError('--until-timeout is for --until');
	return undefined;
}

/** Runs probe or --until (loaded here so that cli.tsx stays a thin entry). */
export async function runExtraMode(extra: ExtraMode, options: Options): Promise<number> {
	const write = (text: string) => process.stdout.write(text);
	if (extra.mode === 'probe') {
		const {runProbe} = await import('./probe.ts');
		return runProbe(options, extra.probe, {write});
	}

	const {runUntil} = await import('./until.ts');
	return runUntil(options, extra.until, {write, warn: text => process.stderr.write(text)});
}
