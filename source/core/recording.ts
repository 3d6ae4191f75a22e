import type {Family, SourceInfo} from './model.ts';

// The recording format (README "Record and replay"): gzip-compressed NDJSON, one header line, then
// one line per read of the firewall with the raw iptables/nft output, so a replay re-parses exactly
// what the live run saw, and the sample's stamps (monotonic time, wall time, read time), so its
// rates come out exactly as the live run's did.

export const RECORDING_FORMAT = 'fwtop-recording';
export const RECORDING_VERSION = 1;

/** The binaries the recording run chose for a family (collect/commands.ts FamilyCommands). */
export type RecordedCommands = {family: Family; iptables: string; save?: string; display: string};

export type RecordingHeader = {
	format: typeof RECORDING_FORMAT;
	version: number;
	/** ISO time the recording started. */
	created: string;
	host: string;
	source: SourceInfo;
	families: Family[];
	/** What the run read, so a replay asks for the same commands in the same order. */
	commands: RecordedCommands[];
	/** Notes from choosing the binaries (e.g. `ip6tables not found`), shown as warnings. */
	notes: string[];
	strategy: 'save' | 'list';
	/** Native nftables tables: read beside iptables (`also`), alone (`only`) or not (`off`). */
	nftables: 'off' | 'also' | 'only';
	/** The nft binary the run used; null when none. */
	nft: string | null;
	tables: string[] | null;
	familiesExplicit: boolean;
	intervalMs: number;
	timeoutMs: number;
	netns: string | null;
	/** The fwtop version that recorded it. */
	fwtop: string;
};

/** One iptables call: what ran and what it printed, byte for byte. */
export type RecordedRead = {
	family: Family | null;
	command: string;
	args: string[];
	stdout: string;
	stderr: string;
	/** null when the process ended by a signal or never started. */
	exitCode: number | null;
	timedOut?: boolean;
	spawnError?: string;
	/** How long it took, milliseconds. */
	ms?: number;
};

/** One read of the firewall: a sample, or a failed attempt (`error`). */
export type RecordingEntry = {
	/** Monotonic milliseconds (performance.now() of the recording process, i.e. since it started)
	 * when the read's output was complete: the sample's stamp, the only clock rates use. */
	t: number;
	/** How long the read took, milliseconds (the sample's `readMs`). */
	readMs: number;
	/** Wall-clock time the read started (ISO 8601): the sample's `time`. */
	wall: string;
	reads: RecordedRead[];
	/** Set when this read failed; the message fwtop showed. */
	error?: string;
};

export type Recording = {
	header: RecordingHeader;
	entries: RecordingEntry[];
	/** True when the file ended in the middle of a line (a recording cut short by a crash). */
	truncated: boolean;
};

export class RecordingError extends Error {
	override name = 'RecordingError';
}

export function recordingLine(value: RecordingHeader | RecordingEntry): string {
	return JSON.stringify(value) + '\n';
}

type Shape = Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object' | 'string|null' | 'number|null' | 'array|null'>;

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	return Array.isArray(value) ? 'array' : typeof value;
}

/** Checks the fields a line must have; extra fields (from a later minor addition) are allowed. */
function check(value: unknown, shape: Shape, where: string): Record<string, unknown> {
	if (kindOf(value) !== 'object') throw new RecordingError(`${where}: not a JSON object`);
	const object = value as Record<string, unknown>;
	for (const [key, kinds] of Object.entries(shape)) {
		if (!kinds.split('|').includes(kindOf(object[key]))) {
			throw new RecordingError(`${where}: "${key}" must be ${kinds.replace('|', ' or ')} (got ${kindOf(object[key])})`);
		}
	}

	return object;
}

const headerShape: Shape = {
	format: 'string', version: 'number', created: 'string', host: 'string', source: 'object', families: 'array',
	commands: 'array', notes: 'array', strategy: 'string', nftables: 'string', nft: 'string|null', tables: 'array|null', familiesExplicit: 'boolean',
	intervalMs: 'number', timeoutMs: 'number',
};
const entryShape: Shape = {t: 'number', readMs: 'number', wall: 'string', reads: 'array'};
const readShape: Shape = {command: 'string', args: 'array', stdout: 'string', stderr: 'string', exitCode: 'number|null'};
const commandShape: Shape = {family: 'string', iptables: 'string', display: 'string'};

export function parseHeader(line: string): RecordingHeader {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		throw new RecordingError('not an fwtop recording (the first line is not JSON)');
	}

	if ((value as {format?: unknown} | null)?.format !== RECORDING_FORMAT) throw new RecordingError(`not an fwtop recording (no "format":"${RECORDING_FORMAT}" header)`);
	const header = check(value, headerShape, 'line 1');
	if ((header['version'] as number) > RECORDING_VERSION) {
		throw new RecordingError(`recorded in format version ${String(header['version'])}; this fwtop reads version ${RECORDING_VERSION}: upgrade fwtop`);
	}

	check(header['source'], {command: 'string', version: 'string', backend: 'string'}, 'line 1 source');
	(header['commands'] as unknown[]).forEach((item, i) => check(item, commandShape, `line 1 commands[${i}]`));
	return header as RecordingHeader;
}

export function parseEntry(line: string, number: number): RecordingEntry {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		throw new RecordingError(`line ${number}: not JSON`);
	}

	const entry = check(value, entryShape, `line ${number}`);
	(entry['reads'] as unknown[]).forEach((read, i) => check(read, readShape, `line ${number} reads[${i}]`));
	return entry as RecordingEntry;
}

/** The decompressed text of a recording. A last line without its newline is a recording cut
 * short (the process was killed): it is dropped, and `truncated` says so. */
export function parseRecording(text: string): Recording {
	const lines = text.split('\n');
	// After the last newline: '' in a complete file, the start of a line in a truncated one.
	const truncated = lines.pop() !== '';
	if (lines.length === 0) throw new RecordingError(truncated ? 'the recording was cut off before its header' : 'the file is empty');
	const header = parseHeader(lines[0]!);
	const entries = lines.slice(1).map((line, i) => parseEntry(line, i + 2));
	return {header, entries, truncated};
}
