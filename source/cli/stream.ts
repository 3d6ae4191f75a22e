import {once} from 'node:events';
import type {Writable} from 'node:stream';
import {CollectError} from '../collect/collect-error.ts';
import {writeSampleJson} from '../core/json-line.ts';
import type {RatedSample} from '../core/model.ts';
import type {ReadGate, SampleSource, SourceEvent} from '../core/sample-source.ts';
import {printable} from '../core/printable.ts';
import {plainTable} from './plain.ts';

// --json (NDJSON, one sample a line) and --once (one sample with rates over one interval).
// A reader slower than the interval (`fwtop --json | slow-consumer`) holds the next read until it
// has taken the last line, as a slow read stretches the interval: without it, every line would
// wait in stdout's buffer in fwtop's heap (30 MB a sample at 50,000 rules, without bound).

export type StreamOptions = {
	format: 'json' | 'plain';
	/** Print only the second sample (its rates span one interval). */
	once: boolean;
	count: number | undefined;
	/** false when the text was queued behind what the reader has not taken (Writable.write). */
	write: (text: string) => boolean;
	/** Settles once what `write` queued has gone to the reader (`drainOf(process.stdout)`). */
	drained: () => Promise<void>;
	warn: (text: string) => void;
	/** Called on SIGINT or SIGTERM, once the run is over (`exitIfStuck`). */
	interrupted?: () => void;
};

/** After SIGINT or SIGTERM, how long a reader gets to take the text fwtop still holds for it. */
export const STOP_GRACE_MS = 1000;

/** Ends the process `graceMs` from now if `output` still holds text then: a reader that stopped
 * reading (a paused pager, a stuck consumer) must not keep fwtop alive after a signal, as the
 * pending write would. The timer keeps nothing alive itself, so an output that drains in time
 * lets the process end as it would have, its last line whole. */
export function exitIfStuck(output: Pick<Writable, 'writableLength'>, graceMs: number, exit: () => void): void {
	if (output.writableLength === 0) return;
	setTimeout(exit, graceMs).unref();
}

/** Settles when `output` has handed its queue to the reader ('drain'), at once if nothing waits. */
export async function drainOf(output: Writable): Promise<void> {
	if (output.writableNeedDrain) await once(output, 'drain');
}

/** The output's backlog: set when a sample's line did not all go to the reader, cleared on drain.
 * The gate holds the next read while it is set, and warns when the reader lags an interval. */
function outputGate(options: Pick<StreamOptions, 'drained' | 'warn'>): ReadGate & {wrote: (queued: boolean) => void} {
	let backlog: Promise<void> | undefined;
	return {
		wrote(queued) {
			if (!queued) return;
			const pending: Promise<void> = options.drained().catch(() => undefined).then(() => {
				if (backlog === pending) backlog = undefined;
			});
			backlog = pending;
		},
		hold: () => backlog,
		late() {
			options.warn('fwtop: the reader of --json is slower than the interval: waiting for it before the next sample\n');
		},
	};
}

/** What stderr says about the interval, and the interval it last said: once when reads start
 * taking longer than the interval, again only when the interval has doubled since (the poller
 * reports every change, a few ms each sample while a 50,000-rule host is read: a line per sample
 * in a log), and once when reads fit in the interval again. */
export function intervalNotice(lastSaidMs: number | null, requestedMs: number, effectiveMs: number): {text: string; saidMs: number | null} | undefined {
	if (effectiveMs <= requestedMs) {
		if (lastSaidMs === null) return undefined;
		return {text: `fwtop: reads fit in the interval again: sampling every ${requestedMs} ms\n`, saidMs: null};
	}

	if (lastSaidMs !== null && effectiveMs < lastSaidMs * 2) return undefined;
	return {text: `fwtop: a read took longer than the interval: sampling every ${effectiveMs} ms\n`, saidMs: effectiveMs};
}

/** Errors on the first read that retrying will not fix end the run at once. */
const retryable = new Set(['timeout', 'lock']);

export async function runStream(source: SampleSource, options: StreamOptions): Promise<number> {
	return new Promise<number>((resolve, reject) => {
		let printed = 0;
		let seen = 0;
		let saidMs: number | null = null;
		const output = outputGate(options);
		const finish = (action: () => void) => {
			unsubscribe();
			source.stop();
			// Removed a tick later: execa's signal-exit handler, running after ours for the same
			// signal, re-raises it when it finds itself the last listener (exit 130 instead of 0).
			setImmediate(() => {
				process.off('SIGINT', onSignal);
				process.off('SIGTERM', onSignal);
			});
			action();
		};

		const onSignal = () => {
			finish(() => resolve(0));
			options.interrupted?.();
		};

		const print = (sample: RatedSample) => {
			let queued = false;
			const write = (text: string) => {
				queued = !options.write(text);
			};

			// A big host's line (30 MB at 50,000 rules) goes out in pieces, never whole (json-line.ts).
			if (options.format === 'json') writeSampleJson(sample, write);
			else write(plainTable(sample));
			printed++;
			output.wrote(queued);
		};

		const onEvent = (event: SourceEvent) => {
			if (event.type === 'sample') {
				seen++;
				if (options.once && seen < 2) return;
				print(event.sample);
				if (options.once || (options.count !== undefined && printed >= options.count)) finish(() => resolve(0));
			} else if (event.type === 'error') {
				if (seen === 0 && !retryable.has(event.kind ?? '')) {
					finish(() => reject(new CollectError({kind: (event.kind ?? 'other') as CollectError['kind'], message: event.message})));
					return;
				}

				options.warn(`fwtop: ${printable(event.message)} (retrying in ${Math.round(event.retryInMs / 1000)} s)\n`);
			} else if (event.type === 'end') {
				// A replay's recording ran out: everything it held has been printed.
				finish(() => resolve(0));
			} else {
				const notice = intervalNotice(saidMs, event.requestedMs, event.effectiveMs);
				if (notice === undefined) return;
				saidMs = notice.saidMs;
				options.warn(notice.text);
			}
		};

		const unsubscribe = source.subscribe(onEvent);
		source.setReadGate?.(output);
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		source.start();
	});
}
