// (3) and (4), run as its own process by bench/run.ts (a clean heap, React's production build):
//   node --import tsx bench/frames.ts SAVE_FILE [FRAMES]
// Renders the real dashboard (App, Ink 6) at 200×50 into a fake terminal, in the chain view of
// the longest chain and in the path view, and prints one JSON line:
// - key: ms from a key (`j`) to its frame, median, wall and CPU; sample: from a new sample to its
//   frame (the reducer's work included). Ink runs unthrottled here (`debug`), so each render writes.
// - floorCpu: Ink's own cost for the same screen, the floor under `keyCpu`: the App's last frame,
//   as written, in a component that draws its lines and nothing else, the inverse line moving one
//   down per key (two lines change, as on a cursor move); measured while the App is still mounted,
//   so that the GC walks the same heap. Bundled as dist/cli.js is, so both go through the output
//   stage the build gives Ink (source/ui/row-output.ts: rows remembered by their writes).
// - bytes: per steady frame (new samples, 2 % of the counters moving; and 10 %, busy), what the
//   screen writer sends (incremental) against what Ink itself writes (a full redraw), as run.tsx
//   wires them.
import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';
import {tierUpFor} from '../source/collect/tier-up.ts';
import type {RatedSample} from '../source/core/model.ts';
import type {SampleSource, SourceDescription, SourceEvent} from '../source/core/sample-source.ts';
import type {InitialOptions} from '../source/ui/state.ts';
import {FakeStdin as Keys} from '../test/helpers/fake-stdin.ts';
import {moveCounters, ratedSamples} from './counters.ts';
import {median} from './proc.ts';

// As dist/cli.js ships: React's production build, and Ink loaded with CI hidden (run.tsx says why).
process.env.NODE_ENV = 'production';
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
const [{render, Box, Text}, react, {App}, {createScreenWriter}, {MAX_FPS}] = await Promise.all([
	import('ink'), import('react'), import('../source/ui/app.tsx'), import('../source/ui/screen-writer.ts'), import('../source/ui/run.tsx'),
]);
// A bundle's import() of CommonJS React gives the exports as `default`; tsx gives them as they are.
const {createElement, useEffect, useState} = (react as unknown as {default?: typeof react}).default ?? react;

const COLUMNS = 200;
/** A steady host, as in the other measurements: 2 % of the rules move each sample; and a busy
 * one: a tenth of them, so that nearly every row on screen changes every second. */
const STEADY = 50;
const BUSY = 10;
const ROWS = 50;

class Terminal extends EventEmitter {
	isTTY = true;
	columns = COLUMNS;
	rows = ROWS;
	bytes = 0;
	last = '';
	write = (chunk: unknown, ...rest: unknown[]): boolean => {
		const text = String(chunk);
		this.bytes += Buffer.byteLength(text);
		this.last = text;
		this.emit('written');
		const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	};
}

class Source extends EventEmitter implements SampleSource {
	subscribe(listener: (event: SourceEvent) => void): () => void {
		this.on('event', listener);
		return () => this.off('event', listener);
	}

	start(): void {}
	stop(): void {}
	setIntervalMs(): void {}
	describe(): SourceDescription {
		return {host: 'bench', command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables', families: ['ipv4']};
	}
}

const nextWrite = async (terminal: Terminal): Promise<void> => new Promise(resolve => {
	terminal.once('written', () => resolve());
});

/** Resolves once nothing was written for `quietMs`. */
async function settle(terminal: Terminal, quietMs: number): Promise<void> {
	for (;;) {
		const before = terminal.bytes;
		await new Promise(resolve => setTimeout(resolve, quietMs));
		if (terminal.bytes === before) return;
	}
}

type Samples = {next(): RatedSample};

type Mount = {source: Source; keys: Keys; terminal: Terminal; unmount(): void};

function mount(initial: InitialOptions, wire: (terminal: Terminal) => NodeJS.WriteStream, debug: boolean): Mount {
	const source = new Source();
	const keys = new Keys();
	const terminal = new Terminal();
	const instance = render(createElement(App, {source, initial, color: true}), {
		stdout: wire(terminal), stdin: keys as unknown as NodeJS.ReadStream, stderr: new Terminal() as unknown as NodeJS.WriteStream,
		debug, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: MAX_FPS,
	});
	return {source, keys, terminal, unmount: () => instance.unmount()};
}

/** Wall and CPU milliseconds from `act` to the frame it causes. */
async function timed(terminal: Terminal, act: () => void): Promise<{wall: number; cpu: number}> {
	const written = nextWrite(terminal);
	const cpu = process.cpuUsage();
	const started = performance.now();
	act();
	await written;
	const wall = performance.now() - started;
	const used = process.cpuUsage(cpu);
	await settle(terminal, 15);
	return {wall, cpu: (used.user + used.system) / 1000};
}

async function renderTimes(initial: InitialOptions, samples: Samples, frames: number) {
	const view = mount(initial, terminal => terminal as unknown as NodeJS.WriteStream, true);
	for (let i = 0; i < 2; i++) await timed(view.terminal, () => view.source.emit('event', {type: 'sample', sample: samples.next()}));
	const key: Array<{wall: number; cpu: number}> = [];
	const sample: Array<{wall: number; cpu: number}> = [];
	for (let i = 0; i < frames; i++) key.push(await timed(view.terminal, () => view.keys.write('j')));
	for (let i = 0; i < frames; i++) {
		const next = samples.next();
		sample.push(await timed(view.terminal, () => view.source.emit('event', {type: 'sample', sample: next})));
	}

	const rows = view.terminal.last.split('\n').length;
	const floor = await inkFloor(view.terminal.last.split('\n').slice(0, ROWS - 1), frames);
	view.unmount();
	return {
		key: median(key.map(time => time.wall)), keyCpu: median(key.map(time => time.cpu)), floorCpu: median(floor.map(time => time.cpu)),
		sample: median(sample.map(time => time.wall)), sampleCpu: median(sample.map(time => time.cpu)), rows,
	};
}

/** CPU per frame of a component that only draws `lines`, inverting one of them per key. */
async function inkFloor(lines: string[], frames: number): Promise<Array<{wall: number; cpu: number}>> {
	const keys = new Keys();
	const terminal = new Terminal();
	function Floor() {
		const [selected, setSelected] = useState(0);
		useEffect(() => {
			const next = (): void => {
				keys.read();
				setSelected(line => (line + 1) % lines.length);
			};

			keys.on('readable', next);
			return () => {
				keys.off('readable', next);
			};
		}, []);
		return createElement(Box, {flexDirection: 'column', width: COLUMNS, height: lines.length}, ...lines.map((line, index) =>
			createElement(Text, {key: index, wrap: 'truncate', inverse: index === selected}, line)));
	}

	const instance = render(createElement(Floor), {
		stdout: terminal as unknown as NodeJS.WriteStream, stdin: keys as unknown as NodeJS.ReadStream, stderr: new Terminal() as unknown as NodeJS.WriteStream,
		debug: true, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: MAX_FPS,
	});
	const times: Array<{wall: number; cpu: number}> = [];
	for (let i = 0; i < frames + 2; i++) times.push(await timed(terminal, () => keys.write('j')));
	instance.unmount();
	return times.slice(2);
}

async function frameBytes(initial: InitialOptions, samples: Samples, frames: number) {
	let screen: ReturnType<typeof createScreenWriter> | undefined;
	let inkBytes = 0;
	const view = mount(initial, terminal => {
		screen = createScreenWriter(terminal as unknown as NodeJS.WriteStream);
		const stream = screen.stream;
		return new Proxy(stream, {
			get(object, property) {
				if (property !== 'write') return Reflect.get(object, property) as unknown;
				return (chunk: unknown, ...rest: unknown[]) => {
					inkBytes += Buffer.byteLength(String(chunk));
					return (object.write as (...parameters: unknown[]) => boolean)(chunk, ...rest);
				};
			},
		});
	}, false);
	for (let i = 0; i < 2; i++) {
		view.source.emit('event', {type: 'sample', sample: samples.next()});
		await settle(view.terminal, 150);
	}

	const [bytes0, ink0, frames0] = [view.terminal.bytes, inkBytes, screen!.stats().frames];
	for (let i = 0; i < frames; i++) {
		view.source.emit('event', {type: 'sample', sample: samples.next()});
		await settle(view.terminal, 150);
	}

	// No frame at all: nothing on screen changed in these samples (a small host's chain view).
	const drawn = screen!.stats().frames - frames0;
	view.unmount();
	return {incremental: (view.terminal.bytes - bytes0) / Math.max(1, drawn), full: (inkBytes - ink0) / Math.max(1, drawn), frames: drawn};
}

const [file, framesText] = process.argv.slice(2);
const frames = Number(framesText ?? 30);
const text = readFileSync(file!, 'utf8');
// V8's tier-up as fwtop's poller sets it for a host of this size (source/collect/tier-up.ts).
tierUpFor(text.split('\n').filter(line => line.startsWith('[') || line.startsWith('-A ')).length);
const chainView: InitialOptions = {intervalMs: 1000, table: 'nat', chain: 'KUBE-SERVICES'};
const pathView: InitialOptions = {intervalMs: 1000, path: true};
const result: Record<string, unknown> = {};
for (const [name, initial] of [['chain', chainView], ['path', pathView]] as const) {
	const times = await renderTimes(initial, ratedSamples(moveCounters(text, STEADY)), frames);
	const bytes = await frameBytes(initial, ratedSamples(moveCounters(text, STEADY)), Math.max(5, Math.round(frames / 3)));
	const busy = await frameBytes(initial, ratedSamples(moveCounters(text, BUSY)), 5);
	result[name] = {...times, ...bytes, busyIncremental: busy.incremental, busyFull: busy.full};
}

process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
