import {createPoller} from '../collect/poller.ts';
import {CollectError} from '../collect/collect-error.ts';
import {ruleJson, writeJson} from '../core/json.ts';
import type {RatedRule, RatedSample} from '../core/model.ts';
import {describeScope, matchingRules, resolvePattern, type PatternMatch} from '../core/pattern.ts';
import {printable} from '../core/printable.ts';
import type {SourceEvent} from '../core/sample-source.ts';
import {EXIT} from './exit.ts';
import type {UntilSettings} from './extra-modes.ts';
import type {Options} from './flags.ts';
import {liveCollector} from './live.ts';
import {shellWords} from './probe-output.ts';

// `fwtop --until PATTERN`: poll until a rule the pattern selects counts a packet, print it, exit 0.
// Exit 1 when --until-timeout passes first (or on Ctrl-C/SIGTERM: not seen), 2 when the pattern
// selects no rule in the first sample.

export type UntilIo = {write: (text: string) => void; warn: (text: string) => void};

/** A rule that counted packets since the previous sample; one that appeared after the first
 * sample counts from when it was added. A reset (counter went down) is not evidence. */
function gained(rule: RatedRule, first: boolean): bigint | null {
	if (rule.status === 'new') return !first && rule.packets > 0n ? rule.packets : null;
	return rule.deltaPackets !== null && rule.deltaPackets > 0n ? rule.deltaPackets : null;
}

export function untilLine(match: PatternMatch<RatedRule>, packets: bigint, json: boolean): string {
	const {rule} = match;
	if (json) return writeJson({family: match.family, table: match.table, chain: match.chain, ...ruleJson(rule)});
	const text = rule.spec === '' ? `-j ${rule.target}` : rule.spec;
	return `${match.family} ${match.table} ${printable(match.chain)} #${rule.index}  ${printable(text, 300)}  (+${packets} packets, ${rule.packets} in all)`;
}

type Outcome = {code: number; line?: string; message?: string};

/** What one sample means for the wait: a match, a pattern that selects nothing, or go on. */
export function judge(settings: UntilSettings, sample: RatedSample, first: boolean, json: boolean): Outcome | undefined {
	const matches = matchingRules(settings.pattern, sample.tables);
	if (first && matches.length === 0) {
		const scope = describeScope(resolvePattern(settings.pattern, sample.tables));
		return {code: EXIT.usage, message: `--until ${shellWords([settings.pattern.source])}: no rule matches (looked for ${scope})`};
	}

	for (const match of matches) {
		const packets = gained(match.rule, first);
		if (packets !== null) return {code: EXIT.ok, line: untilLine(match, packets, json)};
	}

	return undefined;
}

/** A failed read: ends the wait when it is the first and retrying will not fix it (not root, not
 * installed), like --json; otherwise a warning, and the poller retries. */
function readFailure(event: Extract<SourceEvent, {type: 'error'}>, seen: number, io: UntilIo): Error | undefined {
	if (seen === 0 && event.kind !== 'timeout' && event.kind !== 'lock') {
		return new CollectError({kind: (event.kind ?? 'other') as CollectError['kind'], message: event.message});
	}

	io.warn(`fwtop: ${printable(event.message)} (retrying in ${Math.round(event.retryInMs / 1000)} s)\n`);
	return undefined;
}

export async function runUntil(options: Options, settings: UntilSettings, io: UntilIo): Promise<number> {
	const source = createPoller(liveCollector(options), {intervalMs: options.intervalMs});
	const pattern = shellWords([settings.pattern.source]);
	return new Promise<number>((resolve, reject) => {
		let seen = 0;
		const finish = (outcome: Outcome | Error) => {
			unsubscribe();
			source.stop();
			clearTimeout(timer);
			// A tick later, as in stream.ts: execa's signal-exit handler, running after ours for the
			// same signal, re-raises it when it finds itself the last listener.
			setImmediate(() => {
				process.off('SIGINT', onSignal);
				process.off('SIGTERM', onSignal);
			});
			if (outcome instanceof Error) return reject(outcome);
			if (outcome.line !== undefined) io.write(outcome.line + '\n');
			if (outcome.message !== undefined) io.warn(`fwtop: ${printable(outcome.message)}\n`);
			resolve(outcome.code);
		};

		const onSignal = () => finish({code: EXIT.failed, message: `interrupted before a packet matched ${pattern}`});
		const unsubscribe = source.subscribe(event => {
			const outcome = event.type === 'sample' ? judge(settings, event.sample, ++seen === 1, options.json)
				: event.type === 'error' ? readFailure(event, seen, io) : undefined;
			if (outcome !== undefined) finish(outcome);
		});
		const {timeoutMs} = settings;
		const timer = timeoutMs === undefined ? undefined
			: setTimeout(() => finish({code: EXIT.failed, message: `no packet matched ${pattern} within ${timeoutMs / 1000} s`}), timeoutMs);
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		source.start();
	});
}
