import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {findBinary} from '../collect/binaries.ts';
import {createPoller} from '../collect/poller.ts';
import {createTimeoutLimit} from '../collect/timeout-limit.ts';
import {openRecorder, RecordFileError, type Recorder} from '../collect/record.ts';
import {createReplay, readRecording, ReplayError} from '../collect/replay.ts';
import {hideChains} from '../core/hide-chains.ts';
import type {SampleSource} from '../core/sample-source.ts';
import {sudoCommand} from './exit.ts';
import type {Options} from './flags.ts';
import {liveCollector} from './live.ts';
import {UsageError} from './usage-error.ts';
import {VERSION} from './version.ts';

// Where the dashboard, --json and --once get their samples: the firewall (optionally recorded with
// --record), a recording (--replay), or the demo: the namespace lab when it can run, else the
// recording of it that ships with fwtop.

export type OpenedSource = {
	source: SampleSource;
	/** Ends what the source started: the recording file, the demo lab. */
	close(): Promise<void>;
};

export type SourceIo = {warn: (text: string) => void};

export const DEMO_RECORDING = 'demo-recording.ndjson.gz';

/** Where the shipped demo recording is: beside the bundle (dist/), or in assets/ from source.
 * FWTOP_DEMO_RECORDING overrides (the standalone executable sets it to its extracted copy). */
export function findDemoRecording(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const candidates = [
		env['FWTOP_DEMO_RECORDING'],
		fileURLToPath(new URL(DEMO_RECORDING, import.meta.url)),
		fileURLToPath(new URL(`../${DEMO_RECORDING}`, import.meta.url)),
		fileURLToPath(new URL(`../../assets/${DEMO_RECORDING}`, import.meta.url)),
	];
	return candidates.find(file => file !== undefined && file !== '' && existsSync(file));
}

async function liveSource(options: Options, netns: string | undefined): Promise<OpenedSource> {
	let recorder: Recorder | undefined;
	if (options.record !== undefined) {
		try {
			recorder = await openRecorder({
				file: options.record,
				fwtop: VERSION,
				strategy: options.strategy,
				nftables: options.nftables ?? 'off',
				nft: (options.nftables ?? 'off') === 'off' ? null : findBinary('nft') ?? null,
				tables: options.tables,
				familiesExplicit: options.familiesExplicit,
				intervalMs: options.intervalMs,
				timeoutMs: options.timeoutMs,
				netns,
			});
		} catch (error) {
			throw error instanceof RecordFileError ? new UsageError(error.message) : error;
		}
	}

	const timeout = createTimeoutLimit(options.timeoutMs);
	const collector = liveCollector({...options, netns}, recorder, timeout);
	const source = createPoller(recorder?.wrapCollector(collector) ?? collector, {intervalMs: options.intervalMs, timeout});
	return {source, close: async () => recorder?.close()};
}

async function replaySource(options: Options, file: string, settings: {loop: boolean; flag: string; host?: string}, io: SourceIo): Promise<OpenedSource> {
	try {
		const recording = await readRecording(file);
		if (recording.truncated) io.warn(`fwtop: ${settings.flag} ${file}: the recording was cut short; replaying its ${recording.entries.length} complete reads\n`);
		const source = createReplay(recording, {
			speed: options.speed,
			loop: settings.loop,
			...(options.familiesExplicit ? {families: options.families} : {}),
			...(options.tables === undefined ? {} : {tables: options.tables}),
			...(settings.host === undefined ? {} : {host: settings.host}),
		});
		return {source, close: async () => undefined};
	} catch (error) {
		throw error instanceof ReplayError ? new UsageError(`${settings.flag} ${file}: ${error.message}`) : error;
	}
}

/** --demo where the lab cannot run (not root, no iptables, no namespaces): the shipped recording
 * of the lab, looped, and a line on stderr that says so and why. */
async function demoReplay(options: Options, reason: string, io: SourceIo): Promise<OpenedSource> {
	const file = findDemoRecording();
	if (file === undefined) throw new UsageError(`--demo cannot run the lab (${reason}), and this installation has no ${DEMO_RECORDING} to replay`);
	if (options.record !== undefined) throw new UsageError(`--record needs the live lab, which cannot run here (${reason})`);
	const hint = process.getuid?.() === 0 ? '' : `; for the live lab run: ${sudoCommand()}`;
	io.warn(`fwtop demo: replaying a recording of the lab (looped), not a live firewall: ${reason}${hint}\n`);
	return replaySource({...options, speed: 1}, file, {loop: true, flag: '--demo', host: 'demo lab (recording)'}, io);
}

async function demoSource(options: Options, io: SourceIo): Promise<OpenedSource> {
	const {labAvailable} = await import('../lab/lab.ts');
	const available = await labAvailable();
	if (!available.ok) return demoReplay(options, available.reason, io);
	const {startDemo} = await import('../lab/demo.ts');
	const demo = await startDemo({});
	try {
		const live = await liveSource(options, demo.hostNamespace);
		return {
			source: live.source,
			async close() {
				await live.close();
				await demo.stop();
			},
		};
	} catch (error) {
		await demo.stop();
		throw error;
	}
}

/** The source's samples without the chains the config hides. */
export function withHiddenChains(source: SampleSource, patterns: readonly string[]): SampleSource {
	if (patterns.length === 0) return source;
	return {
		...source,
		subscribe: listener => source.subscribe(event => listener(event.type === 'sample' ? {...event, sample: hideChains(event.sample, patterns)} : event)),
	};
}

async function openRawSource(options: Options, io: SourceIo): Promise<OpenedSource> {
	if (options.replay !== undefined) return replaySource(options, options.replay, {loop: false, flag: '--replay'}, io);
	if (options.demo) return demoSource(options, io);
	return liveSource(options, options.netns);
}

export async function openSource(options: Options, io: SourceIo): Promise<OpenedSource> {
	const opened = await openRawSource(options, io);
	return {...opened, source: withHiddenChains(opened.source, options.hiddenChains ?? [])};
}
