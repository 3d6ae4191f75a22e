// Synthetic samples from one recorded `iptables-save -c` dump: the same rules, with the counters of
// a rotating 2 % of the rule lines going up each sample (never down, so no rate turns `reset`), as
// on a host where a few services carry traffic at any time.
import {createSaveParser} from '../source/core/parse-save.ts';
import type {RatedSample} from '../source/core/model.ts';
import {rateSample, type RateState} from '../source/core/rates.ts';

const counterLine = /^\[(\d+):(\d+)\] (.*)$/s;

export type CounterMover = {next(): string; rules: number};

export function moveCounters(text: string, everyNth = 50): CounterMover {
	const lines = text.split('\n');
	const rules: Array<{line: number; packets: bigint; bytes: bigint; rest: string}> = [];
	lines.forEach((line, index) => {
		const match = counterLine.exec(line);
		if (match) rules.push({line: index, packets: BigInt(match[1]!), bytes: BigInt(match[2]!), rest: match[3]!});
	});
	let step = 0;
	return {
		rules: rules.length,
		next() {
			step++;
			for (let i = step % everyNth; i < rules.length; i += everyNth) {
				const rule = rules[i]!;
				rule.packets += BigInt(1 + (i % 7));
				rule.bytes += BigInt(60 * (1 + (i % 7)));
				lines[rule.line] = `[${rule.packets}:${rule.bytes}] ${rule.rest}`;
			}

			return lines.join('\n');
		},
	};
}

/** Rated samples as the poller makes them, one second apart. */
export function ratedSamples(mover: CounterMover): {next(): RatedSample} {
	const parse = createSaveParser();
	let state: RateState | null = null;
	let seq = 0;
	return {
		next() {
			seq++;
			const dump = parse(mover.next(), {family: 'ipv4'});
			const result = rateSample(state, {
				seq, time: new Date(), monotonicMs: seq * 1000, readMs: 100, source: {command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables'},
				warnings: dump.warnings, approximate: dump.approximate, tables: dump.tables,
			});
			state = result.state;
			return result.rated;
		},
	};
}
