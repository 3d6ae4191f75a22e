// What a SampleSource emits, as comparable text: the JSON line `--json` prints for each sample,
// `error: MESSAGE` for a failed read, `end` at the end of a replay. The record/replay tests compare
// a live run's list with its replay's.
import type {Collector} from '../../source/collect/collector.ts';
import {createPoller} from '../../source/collect/poller.ts';
import {openRecorder, type RecordSettings} from '../../source/collect/record.ts';
import type {CommandRunner} from '../../source/collect/runner.ts';
import {sampleJson} from '../../source/core/json-line.ts';
import type {SampleSource} from '../../source/core/sample-source.ts';

/** Starts `source` and collects its events until `count` samples (or the end), then stops it. */
export async function sourceEvents(source: SampleSource, count: number): Promise<string[]> {
	const seen: string[] = [];
	let samples = 0;
	return new Promise(resolve => {
		const done = () => {
			source.stop();
			resolve(seen);
		};

		source.subscribe(event => {
			if (event.type === 'sample') {
				seen.push(sampleJson(event.sample));
				if (++samples === count) done();
			} else if (event.type === 'error') {
				seen.push(`error: ${event.message}`);
			} else if (event.type === 'end') {
				seen.push('end');
				done();
			}
		});
		source.start();
	});
}

/** A live run with --record (settings.intervalMs apart): `collector` reads through the recording
 * runner it is given; returns the run's events (sourceEvents) once the file is closed. */
export async function recordRun(settings: RecordSettings, collector: (runner: CommandRunner) => Collector, runner: CommandRunner, count: number): Promise<string[]> {
	const recorder = await openRecorder(settings);
	const live = await sourceEvents(createPoller(recorder.wrapCollector(collector(recorder.wrapRunner(runner))), {intervalMs: settings.intervalMs}), count);
	await recorder.close();
	return live;
}
