import os from 'node:os';
import type {RateState} from '../core/rates.ts';
import {rateSample} from '../core/rates.ts';
import type {SampleSource, SourceDescription, SourceEvent} from '../core/sample-source.ts';
import {CollectError} from './collect-error.ts';
import type {Collector} from './collector.ts';

// Polls by chaining, never overlapping: the next read is scheduled when the previous one has
// settled. A read slower than the interval stretches the interval (and says so) instead of
// piling up; failures back off; stop() aborts the running child.

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

export function backoffMs(intervalMs: number, failures: number): number {
	return Math.min(MAX_BACKOFF_MS, Math.max(1000, intervalMs) * 2 ** Math.max(0, failures - 1));
}

export type PollerOptions = {
	intervalMs: number;
	timers?: Timers;
	/** The host named in the header; default this machine's (a replay names the recorded one). */
	host?: string;
};

export function createPoller(collector: Collector, options: PollerOptions): SampleSource {
	const timers = options.timers ?? realTimers;
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

	async function tick(): Promise<void> {
		controller = new AbortController();
		const started = timers.now();
		lastStarted = started;
		inFlight = true;
		try {
			if (description.families.length === 0) {
				const detected = await collector.detect(controller.signal);
				description = {...description, command: detected.command, version: detected.version, backend: detected.backend, families: detected.families};
			}

			const sample = await collector.collect(controller.signal);
			if (!running) return;
			const withCarried = carried.length > 0 ? {...sample, warnings: [...carried, ...sample.warnings]} : sample;
			carried = [];
			const {rated, state: next} = rateSample(state, withCarried);
			state = next;
			failures = 0;
			emit({type: 'sample', sample: rated});
			const took = timers.now() - started;
			setEffective(took > requestedMs ? Math.ceil(took) : requestedMs);
			inFlight = false;
			schedule(Math.max(0, effectiveMs - took));
		} catch (error) {
			if (!running) return;
			failures++;
			const retryInMs = backoffMs(requestedMs, failures);
			const message = error instanceof Error ? error.message : String(error);
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
			timers.clearTimeout(timer);
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
	};
}
