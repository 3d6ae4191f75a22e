import {CollectError} from '../collect/collect-error.ts';
import {writeSampleJson} from '../core/json-line.ts';
import type {RatedSample} from '../core/model.ts';
import type {SampleSource, SourceEvent} from '../core/sample-source.ts';
import {printable} from '../core/printable.ts';
import {plainTable} from './plain.ts';

// --json (NDJSON, one sample a line) and --once (one sample with rates over one interval).

export type StreamOptions = {
	format: 'json' | 'plain';
	/** Print only the second sample (its rates span one interval). */
	once: boolean;
	count: number | undefined;
	write: (text: string) => void;
	warn: (text: string) => void;
};

/** Errors on the first read that retrying will not fix end the run at once. */
const retryable = new Set(['timeout', 'lock']);

export async function runStream(source: SampleSource, options: StreamOptions): Promise<number> {
	return new Promise<number>((resolve, reject) => {
		let printed = 0;
		let seen = 0;
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
		};

		const print = (sample: RatedSample) => {
			// A big host's line (30 MB at 50,000 rules) goes out in pieces, never whole (json-line.ts).
			if (options.format === 'json') writeSampleJson(sample, options.write);
			else options.write(plainTable(sample));
			printed++;
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
			} else if (event.effectiveMs > event.requestedMs) {
				options.warn(`fwtop: a read took longer than the interval: sampling every ${event.effectiveMs} ms\n`);
			}
		};

		const unsubscribe = source.subscribe(onEvent);
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		source.start();
	});
}
