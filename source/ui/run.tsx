import type * as Ink from 'ink';
import type {SampleSource} from '../core/sample-source.ts';
import type * as AppModule from './app.tsx';
import {startEarly} from '../core/sample-source.ts';
import {sanitize} from './sanitize.ts';
import {createScreenWriter} from './screen-writer.ts';
import type {InitialOptions} from './state.ts';
import {terminalSizeOf, waitingFrame} from './waiting-frame.ts';

// The dashboard's entry: alternate screen in, Ink on, and the terminal given back whatever way the
// dashboard ends: q or Ctrl-C (the keymap), SIGTERM, SIGHUP (the SSH session dropped), SIGINT from
// `kill`, an error in a render, or an uncaught error anywhere.

export type DashboardOptions = {
	/** Not started yet: the dashboard starts it once its waiting frame is on the screen. */
	source: SampleSource;
	initial: InitialOptions;
	color: boolean;
};

export type DashboardStreams = {
	stdin?: NodeJS.ReadStream;
	stdout?: NodeJS.WriteStream;
	stderr?: NodeJS.WriteStream;
};

const ALTERNATE_SCREEN_ON = '\u001B[?1049h\u001B[H';
const ALTERNATE_SCREEN_OFF = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

/** Screen updates per second at most: enough for a 250 ms interval and key repeat, little over SSH. */
export const MAX_FPS = 12;

const SIGNALS = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;

/** Ink, and the UI that imports it, loaded with CI=true hidden: Ink decides once, when it is first
 * imported (is-in-ci), to draw nothing until exit "because CIs don't handle erasing". The
 * dashboard only runs on a terminal (cli.tsx checks), so a CI variable left in an operator's
 * shell, or a tmux test run from CI, must not turn it blank.
 * And with no global fetch: yoga-layout 3.2's wasm loader (binaries/yoga-wasm-base64-esm.js, `ya`)
 * fetches its `data:` URL when fetch is a function, which makes Node load undici first; without,
 * it decodes the base64 itself. Measured: 220–230 ms of CPU to load the UI instead of 320–360. */
async function loadInk(): Promise<[typeof Ink, typeof AppModule]> {
	const saved = {CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION};
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true});
	try {
		return await Promise.all([import('ink'), import('./app.tsx')]);
	} finally {
		for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
		if (fetch === undefined) delete (globalThis as {fetch?: unknown}).fetch;
		else Object.defineProperty(globalThis, 'fetch', fetch);
	}
}

let loading: Promise<[typeof Ink, typeof AppModule]> | undefined;

/** Starts loading Ink and the UI, once: cli.tsx asks before it looks for iptables, so that the
 * load fills the time the main thread would wait for `iptables -V`. A failure is reported by
 * runDashboard, which waits for the same load. */
export function preloadDashboard(): Promise<[typeof Ink, typeof AppModule]> {
	if (loading === undefined) {
		loading = loadInk();
		loading.catch(() => undefined);
	}

	return loading;
}

function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return sanitize(text.split('\n')[0] ?? '');
}

type Outcome = {code: number; crash?: string};

type Terminal = {
	/** What Ink draws into. */
	stream: NodeJS.WriteStream;
	/** Draws a frame of lines before Ink does (the screen writer's `draw`). */
	draw: (lines: readonly string[]) => void;
	/** Gives the terminal back, once. */
	restore: () => void;
};

/** Takes the terminal: alternate screen, Esc/EIO-safe writes, a repaint on resize, and raw input
 * at once, so that keys pressed before Ink listens are neither echoed over the first frame nor
 * lost (they wait in the terminal until Ink reads them; Ctrl-C too, as a key). */
function takeTerminal(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): Terminal {
	const write = (text: string): void => {
		try {
			stdout.write(text);
		} catch {
			// The terminal may be gone (SIGHUP); there is nothing left to restore then.
		}
	};

	// A dropped terminal makes writes fail with EIO/EPIPE as 'error' events; they must not crash us.
	const ignore = (): void => {};
	const screen = createScreenWriter(stdout);
	// Registered before Ink's own listener, so the screen is clean when Ink draws the new size.
	const onResize = (): void => {
		screen.repaint();
	};

	stdout.on('error', ignore);
	stdout.on('resize', onResize);
	write(ALTERNATE_SCREEN_ON);
	try {
		if (stdin.isTTY) stdin.setRawMode(true);
	} catch {
		// Not a terminal after all: Ink reports it when it asks for raw mode itself.
	}

	let restored = false;
	const restore = (): void => {
		if (restored) return;
		restored = true;
		stdout.off('resize', onResize);
		try {
			if (stdin.isTTY) stdin.setRawMode(false);
		} catch {
			// Already closed.
		}

		write(SHOW_CURSOR + ALTERNATE_SCREEN_OFF);
		stdout.off('error', ignore);
	};

	return {stream: screen.stream, draw: screen.draw, restore};
}

/** Ends the dashboard on SIGTERM, SIGHUP, SIGINT and on an uncaught error; returns the undo. */
function watchExits(unmount: () => void, outcome: Outcome): () => void {
	const onCrash = (error: unknown): void => {
		outcome.crash ??= firstLine(error);
		outcome.code = 1;
		unmount();
	};

	const handlers = (Object.keys(SIGNALS) as Array<keyof typeof SIGNALS>).map(signal => {
		const handler = (): void => {
			outcome.code = 128 + SIGNALS[signal];
			unmount();
		};

		process.on(signal, handler);
		return [signal, handler] as const;
	});
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	return () => {
		for (const [signal, handler] of handlers) process.off(signal, handler);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
	};
}

/** Ink rendering the dashboard into `streams.stdout` (the screen writer's stream). */
function mount([{render}, {App}]: [typeof Ink, typeof AppModule], options: DashboardOptions, streams: Required<DashboardStreams>): Ink.Instance {
	return render(<App source={options.source} initial={options.initial} color={options.color}/>, {
		...streams,
		exitOnCtrlC: false,
		patchConsole: false,
		// Ink 6.8.0's own incremental writer is off by one row (see screen-writer.ts); the screen
		// writer does the line diff instead, so Ink's standard writer is what feeds it.
		incrementalRendering: false,
		maxFps: MAX_FPS,
	});
}

/** Runs the dashboard until it is quit; resolves with the exit code: 0 after q or Ctrl-C, 128 + n
 * after signal n, 1 after a crash (the terminal restored first, then one line on stderr). */
export async function runDashboard(options: DashboardOptions, streams: DashboardStreams = {}): Promise<number> {
	const stdin = streams.stdin ?? process.stdin;
	const stdout = streams.stdout ?? process.stdout;
	const stderr = streams.stderr ?? process.stderr;
	const terminal = takeTerminal(stdin, stdout);
	const outcome: Outcome = {code: 0};
	let instance: Ink.Instance | undefined;
	// A signal or a crash while Ink is still loading ends the wait for it, and Ink is not started.
	let stopping = false;
	let stopRequested = (): void => {};
	const stopped = new Promise<'stopped'>(resolve => {
		stopRequested = () => resolve('stopped');
	});
	const unwatch = watchExits(() => {
		stopping = true;
		stopRequested();
		instance?.unmount();
	}, outcome);
	try {
		// The dashboard's frame before the first sample, drawn while Ink loads (waiting-frame.ts).
		terminal.draw(waitingFrame(options.initial, options.source.describe(), terminalSizeOf(stdout), 0, options.color));
		// Then the first read, while Ink loads, so that Ink's first frame can have the sample. In this
		// order, not the other: starting the read's children blocks the main thread 10–15 ms each
		// while Node forks. Measured (7 starts each in bench/run.ts's namespaces, medians): waiting
		// frame 318 → 231 ms at 1,000 rules and 356 → 239 ms at 10,000, the complete frame the same
		// (573 / 575 and 1,112 / 1,119 ms).
		const source = startEarly(options.source);
		const loaded = await Promise.race([preloadDashboard(), stopped]);
		if (loaded !== 'stopped' && !stopping) {
			instance = mount(loaded, {...options, source}, {stdin, stdout: terminal.stream, stderr});
			await instance.waitUntilExit();
		}
	} catch (error) {
		outcome.crash ??= firstLine(error);
		outcome.code = 1;
	} finally {
		options.source.stop();
		unwatch();
		terminal.restore();
	}

	if (outcome.crash !== undefined) stderr.write(`fwtop: crashed: ${outcome.crash}\n`);
	return outcome.code;
}
