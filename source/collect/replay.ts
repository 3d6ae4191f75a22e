import {readFile} from 'node:fs/promises';
import {constants, gunzipSync} from 'node:zlib';
import type {Family} from '../core/model.ts';
import {parseRecording, type RecordedRead, type Recording, type RecordingEntry} from '../core/recording.ts';
import type {SampleSource, SourceEvent} from '../core/sample-source.ts';
import {createCollector, type Collector} from './collector.ts';
import {withNftables} from './nft-collector.ts';
import {REDISCOVER_MS} from './nft-native.ts';
import {createPoller, type Timers} from './poller.ts';
import type {CommandResult, CommandRunner} from './runner.ts';

// --replay FILE: the recorded iptables/nft output fed through the same collectors and poller as a
// live run. The runner answers each call with the recorded output, each sample gets the recorded
// stamps (monotonic time, wall time, read time), so the poller computes exactly the rates the live
// run computed; its timers wait as the recording did (÷ speed).

export class ReplayError extends Error {
	override name = 'ReplayError';
}

/** A recording from its bytes: gzip (possibly cut short: it replays up to the last whole line) or
 * plain NDJSON. */
export function decodeRecording(data: Uint8Array): Recording {
	const gzipped = data[0] === 0x1F && data[1] === 0x8B;
	let text: string;
	try {
		text = gzipped ? gunzipSync(data, {finishFlush: constants.Z_SYNC_FLUSH}).toString('utf8') : Buffer.from(data).toString('utf8');
	} catch (error) {
		throw new ReplayError(`not a readable gzip file (${(error as Error).message})`);
	}

	try {
		return parseRecording(text);
	} catch (error) {
		throw new ReplayError((error as Error).message);
	}
}

export async function readRecording(file: string): Promise<Recording> {
	let data: Uint8Array;
	try {
		data = await readFile(file);
	} catch (error) {
		throw new ReplayError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}

	return decodeRecording(data);
}

export type ReplayOptions = {
	/** 2 plays twice as fast; the recorded times (and so the rates) do not change. */
	speed: number;
	/** Start again from the beginning at the end (the demo); otherwise the source ends. */
	loop: boolean;
	/** Only these of the recorded families (-4/-6). */
	families?: Family[];
	/** Only these tables (--table). */
	tables?: string[];
	/** Shown as the host; default `<recorded host> (replay)`. */
	host?: string;
	/** The real clock and timers; tests pass fake ones. */
	timers?: Timers;
};

type Cursor = {entry: RecordingEntry; number: number; offset: number; playedAt: number; served: Set<RecordedRead>};

const listsTables = (entry: RecordingEntry) => entry.reads.some(read => sameArgs(read.args, ['-j', 'list', 'tables']));

/** Which entry plays now and when the next one is due. Each pass of a loop is shifted by the
 * recording's length, so monotonic time keeps going forward. */
function createPlayback(recording: Recording, options: ReplayOptions) {
	const {entries} = recording;
	const span = entries.at(-1)!.t - entries[0]!.t + recording.header.intervalMs;
	let index = 0;
	let pass = 0;
	let listings = 0;
	let current: Cursor | undefined;
	let last: Cursor | undefined;
	return {
		begin(now: number): Cursor {
			if (current === undefined && listsTables(entries[index]!)) listings++;
			current ??= {entry: entries[index]!, number: index, offset: pass * span, playedAt: now, served: new Set()};
			return current;
		},
		current: () => current,
		/** The native nft reader's clock: REDISCOVER_MS on at each entry where the live run listed
		 * the tables (`nft -j list tables`, every 10 s of its own clock), standing still between, so
		 * the replay lists them exactly there at any --speed and sees a table appear when it did. */
		listingClock: () => listings * REDISCOVER_MS,
		finish() {
			if (current === undefined) return;
			last = current;
			current = undefined;
			index++;
			if (index >= entries.length && options.loop) {
				index = 0;
				pass++;
			}
		},
		/** Real milliseconds until the next entry is due; undefined at the end of the recording. */
		delay(now: number): number | undefined {
			const next = entries[index];
			if (next === undefined) return undefined;
			if (last === undefined) return 0;
			const recorded = next.t + pass * span - (last.entry.t + last.offset);
			return Math.max(0, recorded / options.speed - (now - last.playedAt));
		},
	};
}

type Playback = ReturnType<typeof createPlayback>;

function sameArgs(a: string[], b: string[]): boolean {
	return a.length === b.length && a.every((arg, i) => arg === b[i]);
}

function answer(cursor: Cursor, read: RecordedRead): CommandResult {
	cursor.served.add(read);
	return {
		stdout: read.stdout,
		stderr: read.stderr,
		exitCode: read.exitCode ?? undefined,
		timedOut: read.timedOut === true,
		...(read.spawnError === undefined ? {} : {spawnError: read.spawnError}),
		finishedAt: cursor.entry.t + cursor.offset,
		durationMs: read.ms ?? 0,
	};
}

/** The read that answers a call: the first unanswered one of the same command and arguments in the
 * entry that is playing, else the latest such read before it (the live run's nft reader lists the
 * tables again every 10 s of its own clock, which a faster replay reaches at other entries). `-V`
 * may come from another binary: with -6 a replay detects with ip6tables where the recording ran
 * iptables, and both print the same version. */
function findRead(recording: Recording, cursor: Cursor, command: string, args: string[]): RecordedRead | undefined {
	const same = (item: RecordedRead) => item.command === command && sameArgs(item.args, args);
	const here = cursor.entry.reads.find(item => !cursor.served.has(item) && same(item));
	if (here !== undefined) return here;
	const before = recording.entries.slice(0, cursor.number).reverse().flatMap(entry => entry.reads);
	return before.find(item => same(item))
		?? (sameArgs(args, ['-V']) ? recording.entries.flatMap(entry => entry.reads).find(item => sameArgs(item.args, ['-V'])) : undefined);
}

function replayRunner(playback: Playback, recording: Recording): CommandRunner {
	return async (command, args) => {
		const cursor = playback.current();
		if (cursor === undefined) throw new ReplayError('a command ran outside a read');
		const read = findRead(recording, cursor, command, args);
		if (read === undefined) {
			throw new ReplayError(`the recording has no \`${[command, ...args].join(' ')}\` in read ${cursor.number + 1} (recorded with other --table or -4/-6 flags?)`);
		}

		return answer(cursor, read);
	};
}

/** The collectors a live run with the recorded settings builds (collect/live.ts), with the
 * recorded binaries instead of a search of this machine's. */
function innerCollector(recording: Recording, options: ReplayOptions, runner: CommandRunner, clock: () => number): Collector {
	const {header} = recording;
	const families = header.families.filter(family => options.families?.includes(family) ?? true);
	const plan = header.commands.filter(commands => families.includes(commands.family));
	const tables = options.tables ?? header.tables ?? undefined;
	const nftables = header.nftables ?? 'off';
	if (plan.length === 0 && nftables !== 'only') {
		throw new ReplayError(header.commands.length === 0 ? 'the recording holds no successful read of the firewall'
			: `the recording has only ${header.families.join(' and ')}`);
	}

	const iptables = nftables === 'only' ? null : createCollector({
		runner,
		families,
		familiesExplicit: header.familiesExplicit,
		backend: 'auto',
		strategy: header.strategy,
		...(tables === undefined ? {} : {tables}),
		timeoutMs: header.timeoutMs,
		commands: {plan, notes: header.notes},
	});
	if (nftables === 'off') return iptables!;
	return withNftables(iptables, {runner, mode: nftables, families, ...(tables === undefined ? {} : {tables}), timeoutMs: header.timeoutMs, nftPath: header.nft, clock});
}

/** One entry per read, as recorded: a detection that failed consumes its entry, as does a
 * collection; a sample gets the entry's stamps. */
function replayCollector(playback: Playback, recording: Recording, options: ReplayOptions, now: () => number): Collector {
	const inner = innerCollector(recording, options, replayRunner(playback, recording), playback.listingClock);
	return {
		async detect(signal) {
			playback.begin(now());
			try {
				return await inner.detect(signal);
			} catch (error) {
				playback.finish();
				throw error;
			}
		},
		async collect(signal) {
			const {entry, offset} = playback.begin(now());
			try {
				const sample = await inner.collect(signal);
				return {...sample, monotonicMs: entry.t + offset, readMs: entry.readMs, time: new Date(Date.parse(entry.wall) + offset)};
			} finally {
				playback.finish();
			}
		},
	};
}

const realTimers: Timers = {
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout),
	now: () => performance.now(),
};

/** The poller asks to wait its interval (or backoff); the recording decides instead. At the end
 * of a recording that does not loop, `onEnd` runs in place of the next read. */
function recordedTimers(playback: Playback, real: Timers, onEnd: () => void): Timers {
	return {
		setTimeout(callback, _ms) {
			const wait = playback.delay(real.now());
			return wait === undefined ? real.setTimeout(onEnd, 0) : real.setTimeout(callback, wait);
		},
		clearTimeout: handle => real.clearTimeout(handle),
		now: () => real.now(),
	};
}

/** A SampleSource that plays a recording; it emits `end` after the last entry unless it loops. */
export function createReplay(recording: Recording, options: ReplayOptions): SampleSource {
	if (recording.entries.length === 0) throw new ReplayError('the recording holds no reads of the firewall');
	const real = options.timers ?? realTimers;
	const playback = createPlayback(recording, options);
	const listeners = new Set<(event: SourceEvent) => void>();
	const emit = (event: SourceEvent) => {
		for (const listener of listeners) listener(event);
	};

	const timers = recordedTimers(playback, real, () => {
		poller.stop();
		emit({type: 'end'});
	});
	const collector = replayCollector(playback, recording, options, real.now);
	const poller = createPoller(collector, {intervalMs: recording.header.intervalMs, timers, host: options.host ?? `${recording.header.host} (replay)`});
	poller.subscribe(emit);
	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		start() {
			// The recording's interval, not the --interval default, is what the header should say.
			const {intervalMs} = recording.header;
			emit({type: 'interval', requestedMs: intervalMs, effectiveMs: intervalMs});
			poller.start();
		},
		stop: () => poller.stop(),
		setIntervalMs: ms => poller.setIntervalMs(ms),
		describe: () => poller.describe(),
		setReadGate: gate => poller.setReadGate?.(gate),
	};
}
