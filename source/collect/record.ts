import {open} from 'node:fs/promises';
import os from 'node:os';
import {finished} from 'node:stream/promises';
import {constants, createGzip} from 'node:zlib';
import type {Family} from '../core/model.ts';
import {
	RECORDING_FORMAT, RECORDING_VERSION, recordingLine, type RecordedRead, type RecordingEntry, type RecordingHeader,
} from '../core/recording.ts';
import type {Collector, Detected} from './collector.ts';
import type {CommandResult, CommandRunner} from './runner.ts';

// --record FILE: a CommandRunner wrapper that keeps every iptables/nft call's raw output, and a
// Collector wrapper that closes one entry per read (the sample's stamps, or the error). The file is
// gzip with a sync flush after each line, so a recording cut short by a crash still replays up to
// its last complete sample; close() ends the gzip stream properly (on q, Ctrl-C, --count, errors).

export type RecordSettings = {
	file: string;
	/** The fwtop version written into the header. */
	fwtop: string;
	/** Host named in the header; default this machine's name. */
	host?: string;
	strategy: 'save' | 'list';
	nftables: 'off' | 'also' | 'only';
	nft: string | null;
	tables: string[] | undefined;
	familiesExplicit: boolean;
	intervalMs: number;
	timeoutMs: number;
	netns: string | undefined;
};

export type Recorder = {
	/** Wraps the runner the collector calls (outside `ip netns exec`: what the collector asked for). */
	wrapRunner(inner: CommandRunner): CommandRunner;
	/** Wraps the collector: writes the header after detection and one entry per read. */
	wrapCollector(inner: Collector): Collector;
	/** Ends the gzip stream and closes the file; safe to call twice. */
	close(): Promise<void>;
};

export class RecordFileError extends Error {
	override name = 'RecordFileError';
}

type Pending = Omit<RecordedRead, 'family'>;

function headerOf(settings: RecordSettings, created: string, detected: Detected | undefined): RecordingHeader {
	return {
		format: RECORDING_FORMAT,
		version: RECORDING_VERSION,
		created,
		host: settings.host ?? os.hostname(),
		source: {command: detected?.command ?? '', version: detected?.version ?? '', backend: detected?.backend ?? ''},
		families: detected?.families ?? [],
		commands: detected?.commands?.plan ?? [],
		notes: detected?.commands?.notes ?? [],
		strategy: settings.strategy,
		nftables: settings.nftables,
		nft: settings.nft,
		tables: settings.tables ?? null,
		familiesExplicit: settings.familiesExplicit,
		intervalMs: settings.intervalMs,
		timeoutMs: settings.timeoutMs,
		netns: settings.netns ?? null,
		fwtop: settings.fwtop,
	};
}

async function openGzipFile(file: string) {
	let handle;
	try {
		handle = await open(file, 'w');
	} catch (error) {
		throw new RecordFileError(`--record ${file}: cannot write it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}

	const out = handle.createWriteStream();
	const gzip = createGzip();
	gzip.pipe(out);
	return {
		write(text: string) {
			gzip.write(text);
			// Each line is decompressible as soon as it is on disk, even if the process dies.
			gzip.flush(constants.Z_SYNC_FLUSH);
		},
		async end() {
			gzip.end();
			await finished(out);
		},
	};
}

function toRead(command: string, args: string[], result: CommandResult): Pending {
	return {
		command,
		args: [...args],
		stdout: result.stdout,
		stderr: result.stderr,
		exitCode: result.exitCode ?? null,
		...(result.timedOut ? {timedOut: true} : {}),
		...(result.spawnError === undefined ? {} : {spawnError: result.spawnError}),
		ms: result.durationMs,
	};
}

type GzipFile = Awaited<ReturnType<typeof openGzipFile>>;

/** The file's lines: the header once detection succeeded (entries before it wait), then one entry
 * per read with the calls made since the previous one. */
function createJournal(settings: RecordSettings, file: GzipFile) {
	const created = new Date().toISOString();
	let detected: Detected | undefined;
	let headerWritten = false;
	const held: RecordingEntry[] = [];
	let pending: Pending[] = [];
	let closing: Promise<void> | undefined;
	const familyOf = (command: string): Family | null =>
		detected?.commands?.plan.find(item => item.iptables === command || item.save === command)?.family ?? null;
	const writeHeader = () => {
		if (headerWritten) return;
		headerWritten = true;
		file.write(recordingLine(headerOf(settings, created, detected)));
		for (const entry of held.splice(0)) file.write(recordingLine(entry));
	};

	return {
		add: (read: Pending) => pending.push(read),
		/** Stopped in the middle of a read: the live run never showed it, so neither will a replay. */
		discard: () => {
			pending = [];
		},
		detected(value: Detected) {
			detected = value;
			writeHeader();
		},
		entry(fields: Omit<RecordingEntry, 'reads'>) {
			const entry: RecordingEntry = {...fields, reads: pending.map(read => ({family: familyOf(read.command), ...read}))};
			pending = [];
			if (closing !== undefined) return;
			if (headerWritten) file.write(recordingLine(entry));
			else held.push(entry);
		},
		async close() {
			closing ??= (async () => {
				// Nothing was ever detected (e.g. not root): still a valid file, with the failures.
				writeHeader();
				await file.end();
			})();
			return closing;
		},
	};
}

type Journal = ReturnType<typeof createJournal>;

function journaled(inner: Collector, journal: Journal): Collector {
	const failed = (error: unknown, signal: AbortSignal | undefined) => {
		if (signal?.aborted) journal.discard();
		else journal.entry({t: performance.now(), readMs: 0, wall: new Date().toISOString(), error: error instanceof Error ? error.message : String(error)});
		return error;
	};

	return {
		async detect(signal) {
			const detected = await inner.detect(signal).catch((error: unknown) => Promise.reject(failed(error, signal)));
			journal.detected(detected);
			return detected;
		},
		// Every family, whatever the dashboard shows (no `only`): a replay gives back whole samples.
		async collect(signal) {
			const sample = await inner.collect(signal).catch((error: unknown) => Promise.reject(failed(error, signal)));
			if (signal?.aborted) journal.discard();
			else journal.entry({t: sample.monotonicMs, readMs: sample.readMs, wall: sample.time.toISOString()});
			return sample;
		},
	};
}

export async function openRecorder(settings: RecordSettings): Promise<Recorder> {
	const journal = createJournal(settings, await openGzipFile(settings.file));
	return {
		// The journal needs each output whole: a recording run takes it as the runner's result, and
		// the collector parses it after the read instead of while it arrives.
		wrapRunner: inner => async (command, args, {stdout: _streamed, ...options}) => {
			const result = await inner(command, args, options);
			journal.add(toRead(command, args, result));
			return result;
		},
		wrapCollector: inner => journaled(inner, journal),
		close: async () => journal.close(),
	};
}
