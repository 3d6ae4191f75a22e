import os from 'node:os';
import type {Family, Sample} from '../core/model.ts';
import type {RateState} from '../core/rates.ts';
import {rateSample} from '../core/rates.ts';
import type {ReadGate, SampleSource, SourceDescription, SourceEvent} from '../core/sample-source.ts';
import {CollectError} from './collect-error.ts';
import type {Collector} from './collector.ts';
import {createHeapTrim, type HeapTrim} from './heap-trim.ts';
import {ruleCount, tierUpFor} from './tier-up.ts';
import type {TimeoutLimit} from './timeout-limit.ts';

// Polls by chaining, never overlapping: the next read is scheduled when the previous one has
// settled. A read slower than the interval stretches the interval (and says so) instead of
// piling up; failures back off; stop() aborts the running child. A read that timed out gets a
// longer limit next time (timeout-limit.ts), and the error says so. A read gate (setReadGate)
// holds a due read until the reader of --json has taken the last sample's line, and hears when
// that reader has taken longer than the interval (a slow read waits only the drain of the line).

export type Timers = {
	setTimeout: (callback: () => void, ms: number) => unknown;
	clearTimeout: (handle: unknown) => void;
	now: () => number;
};

const realTimers: Timers = {
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: handle => clearTimeout(handle as NodeJS.Timeout),
	now: () => performance.now(),
};

export const MAX_BACKOFF_MS = 30_000;

/** With a focus (SampleSource.focus), every this many reads is of every family: the hidden one
 * stays fresh enough that switching to it shows rates over at most this many intervals at once. */
export const FULL_READ_EVERY = 10;

export function backoffMs(intervalMs: number, failures: number): number {
	return Math.min(MAX_BACKOFF_MS, Math.max(1000, intervalMs) * 2 ** Math.max(0, failures - 1));
}

export type PollerOptions = {
	intervalMs: number;
	timers?: Timers;
	/** The host named in the header; default this machine's (a replay names the recorded one). */
	host?: string;
	/** The per-call limit the collector's runner uses: raised after a timeout, lowered after reads. */
	timeout?: Pick<TimeoutLimit, 'ms' | 'grow' | 'settle'>;
	/** Asked before each read, when the last sample's garbage (its dump, frame or JSON line) is
	 * dead: a full GC if the heap grew well past what is live (heap-trim.ts). Default V8's. */
	heapTrim?: HeapTrim;
};

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The error's text, and for a timeout the longer limit the next attempt gets. */
function failureMessage(error: unknown, timeout: PollerOptions['timeout']): string {
	const message = error instanceof Error ? error.message : String(error);
	if (timeout === undefined || !(error instanceof CollectError) || error.kind !== 'timeout') return message;
	const before = timeout.ms;
	const after = timeout.grow();
	return after > before ? `${message}; the next try waits up to ${seconds(after)}` : message;
}

export function createPoller(collector: Collector, options: PollerOptions): SampleSource {
	const timers = options.timers ?? realTimers;
	const heapTrim = options.heapTrim ?? createHeapTrim();
	const listeners = new Set<(event: SourceEvent) => void>();
	let requestedMs = options.intervalMs;
	let effectiveMs = requestedMs;
	let state: RateState | null = null;
	let failures = 0;
	let running = false;
	let timer: unknown;
	let controller: AbortController | undefined;
	let carried: string[] = [];
	let inFlight = false;
	let lastStarted = 0;
	let gate: ReadGate | undefined;
	let stops = 0;
	let lastSampleAt = 0;
	let lagging = false;
	let lateTimer: unknown;
	let focus: readonly Family[] | undefined;
	/** Focused reads since the last read of every family; the families the last sample carried. */
	let focusedReads = 0;
	let carriedLast: readonly Family[] = [];
	let readSoon = false;
	let description: SourceDescription = {host: options.host ?? os.hostname(), command: '', version: '', backend: '', families: []};

	const emit = (event: SourceEvent) => {
		for (const listener of listeners) listener(event);
	};

	const schedule = (ms: number) => {
		if (running) timer = timers.setTimeout(() => void tick(), ms);
	};

	const setEffective = (ms: number) => {
		if (ms === effectiveMs) return;
		effectiveMs = ms;
		emit({type: 'interval', requestedMs, effectiveMs});
	};

	function succeeded(sample: Sample, started: number): void {
		const withCarried = carried.length > 0 ? {...sample, warnings: [...carried, ...sample.warnings]} : sample;
		carried = [];
		const {rated, state: next} = rateSample(state, withCarried);
		state = next;
		// A sampler runs the same code once an interval, all day: on a small host only what runs
		// hot is worth TurboFan (tier-up.ts). Each sample says how big the host is.
		tierUpFor(ruleCount(sample));
		failures = 0;
		// Settled first, so that listeners see the limit the next read gets.
		options.timeout?.settle(timers.now() - started);
		emit({type: 'sample', sample: rated});
		lastSampleAt = timers.now();
		const took = timers.now() - started;
		setEffective(took > requestedMs ? Math.ceil(took) : requestedMs);
		inFlight = false;
		carriedLast = sample.carried ?? [];
		focusedReads = carriedLast.length === 0 ? 0 : focusedReads + 1;
		schedule(readSoon ? 0 : Math.max(0, effectiveMs - took));
		readSoon = false;
	}

	/** The next read at once, or as soon as the one in flight has settled. */
	function readNow(): void {
		if (!running) return;
		if (inFlight) {
			readSoon = true;
			return;
		}

		timers.clearTimeout(timer);
		schedule(0);
	}

	/** The families this read is for: the focus, but every family once in FULL_READ_EVERY reads. */
	const familiesToRead = (): readonly Family[] | undefined => (focusedReads + 1 >= FULL_READ_EVERY ? undefined : focus);

	/** Waits while the gate holds the due read; false when the poller was stopped meanwhile. The
	 * gate hears `late()` when the hold outlasts an interval from the last sample, once a stretch. */
	async function passGate(): Promise<boolean> {
		const current = gate;
		const held = current?.hold();
		if (current === undefined || held === undefined) {
			lagging = false;
			return true;
		}

		const generation = stops;
		let late = false;
		const onLate = () => {
			late = true;
			if (!lagging && running) current.late();
			lagging = true;
		};

		const remaining = lastSampleAt + requestedMs - timers.now();
		if (remaining <= 0) onLate();
		else lateTimer = timers.setTimeout(onLate, remaining);
		await held.catch(() => undefined);
		timers.clearTimeout(lateTimer);
		if (!late) lagging = false;
		return running && generation === stops;
	}

	async function tick(): Promise<void> {
		// In flight while held too: a new interval must not schedule a second read beside this one.
		inFlight = true;
		if (!(await passGate())) return;
		heapTrim.maybeCollect();
		controller = new AbortController();
		const started = timers.now();
		lastStarted = started;
		try {
			if (description.families.length === 0) {
				const detected = await collector.detect(controller.signal);
				description = {...description, command: detected.command, version: detected.version, backend: detected.backend, families: detected.families};
			}

			const sample = await collector.collect(controller.signal, familiesToRead());
			if (!running) return;
			succeeded(sample, started);
		} catch (error) {
			if (!running) return;
			failures++;
			const retryInMs = backoffMs(requestedMs, failures);
			const message = failureMessage(error, options.timeout);
			carried.push(`previous read failed: ${message}`);
			emit({type: 'error', message, retryInMs, ...(error instanceof CollectError ? {kind: error.kind} : {})});
			schedule(retryInMs);
		} finally {
			inFlight = false;
		}
	}

	return {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		start() {
			if (running) return;
			running = true;
			void tick();
		},
		stop() {
			running = false;
			stops++;
			timers.clearTimeout(timer);
			timers.clearTimeout(lateTimer);
			controller?.abort();
		},
		setIntervalMs(ms) {
			requestedMs = ms;
			setEffective(ms);
			if (running && !inFlight) {
				// A shorter interval takes effect now, not after the old, longer wait.
				timers.clearTimeout(timer);
				schedule(Math.max(0, ms - (timers.now() - lastStarted)));
			}
		},
		describe: () => description,
		focus(families) {
			focus = families;
			// A family the screen now needs and the last sample only carried is read at once.
			if (carriedLast.some(family => families === undefined || families.includes(family))) readNow();
		},
		setReadGate(next) {
			gate = next;
		},
	};
}
