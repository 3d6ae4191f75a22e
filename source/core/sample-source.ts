import type {Family, RatedSample} from './model.ts';

// What the UI (and JSON mode) subscribe to. The live poller, a replay and a test fake all
// implement it, so views never know where samples come from.

export type SourceEvent =
	| {type: 'sample'; sample: RatedSample}
	/** A read failed; the poller retries after `retryInMs` (backoff). The last sample stays valid. */
	| {type: 'error'; message: string; retryInMs: number; kind?: string}
	/** The effective interval changed: by request, or stretched because reads are slower than it. */
	| {type: 'interval'; requestedMs: number; effectiveMs: number}
	/** There will be no more samples (a replay reached the end of its recording). */
	| {type: 'end'};

/** What --json puts before each read so that a slow reader of its output holds the sampling. */
export type ReadGate = {
	/** Asked when a read is due: a promise holds that read (and so every later one) until it
	 * settles; undefined lets it start now. */
	hold(): Promise<void> | undefined;
	/** A held read is still waiting an interval after the last sample: once per stretch of such reads. */
	late(): void;
};

export type SampleSource = {
	subscribe(listener: (event: SourceEvent) => void): () => void;
	/** Begin sampling: the first sample is taken at once. */
	start(): void;
	/** Stop sampling and abort any running child process. */
	stop(): void;
	setIntervalMs(ms: number): void;
	/** Read only these families' iptables tables (the dashboard's shown family), the others now
	 * and then; undefined reads every family. A live source may ignore it (a replay does). */
	focus?(families: readonly Family[] | undefined): void;
	/** Host, backend and version for the header; filled once the backend is detected. */
	describe(): SourceDescription;
	/** What a source started early (startEarly) has emitted and no subscriber has seen yet, handed
	 * over once: the dashboard folds it into its first state, so its first frame has the sample. */
	takeEarly?(): SourceEvent[];
	/** Consult `gate` before each read from now on: --json waits there for a slow reader of its
	 * output instead of queueing its lines (cli/stream.ts). */
	setReadGate?(gate: ReadGate): void;
};

export type SourceDescription = {
	host: string;
	command: string;
	version: string;
	backend: string;
	families: Family[];
};

/** Events held for a subscriber that has not come yet: enough for a slow UI load at the shortest interval. */
const EARLY_EVENTS = 64;

/** Starts `source` now and keeps what it emits until the first subscriber, which gets it all, in
 * order, when it subscribes. The dashboard reads the firewall while Ink loads (about 300 ms on a
 * small VM) instead of after its first frame; start() of the result does nothing more. */
export function startEarly(source: SampleSource): SampleSource {
	let held: SourceEvent[] | undefined = [];
	const listeners = new Set<(event: SourceEvent) => void>();
	source.subscribe(event => {
		if (held === undefined) {
			for (const listener of listeners) listener(event);
			return;
		}

		held.push(event);
		if (held.length > EARLY_EVENTS) held.shift();
	});
	source.start();
	// Delegated by name, not spread: a source that is a class instance keeps its methods on the prototype.
	return {
		setIntervalMs: ms => {
			source.setIntervalMs(ms);
		},
		describe: () => source.describe(),
		setReadGate: gate => {
			source.setReadGate?.(gate);
		},
		focus: families => {
			source.focus?.(families);
		},
		subscribe(listener) {
			listeners.add(listener);
			const replay = held ?? [];
			held = undefined;
			for (const event of replay) listener(event);
			return () => listeners.delete(listener);
		},
		takeEarly() {
			if (held === undefined) return [];
			const taken = held;
			held = [];
			return taken;
		},
		start() {
			// Started already.
		},
		stop: () => {
			source.stop();
		},
	};
}
