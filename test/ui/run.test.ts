import assert from 'node:assert/strict';
import {test} from 'node:test';
import {runDashboard} from '../../source/ui/run.tsx';
import {FakeKeyboard as Keyboard, FakeTerminal as Terminal} from '../helpers/fake-terminal.ts';
import {FakeSource, dockerSave, ratedRun} from './samples.ts';

// The entry: alternate screen in and out, cursor shown again, raw mode off, and the exit code, on
// every way out. Streams are fakes that look like a terminal.

const ALT_ON = '\u001B[?1049h';
const RESTORE = '\u001B[?25h\u001B[?1049l';
const [sample] = ratedRun([dockerSave()]);

function setup() {
	const stdout = new Terminal();
	const stdin = new Keyboard();
	const stderr = new Terminal();
	const source = new FakeSource();
	const streams = {stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream};
	return {stdout, stdin, stderr, source, streams};
}

async function until(predicate: () => boolean, what: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setImmediate(resolve));
	}
}

test('q quits with exit code 0 and gives the terminal back', async () => {
	const {stdout, stdin, source, streams} = setup();
	const running = runDashboard({source, initial: {intervalMs: 1000}, color: false}, streams);
	await until(() => source.started === 1, 'the source to start');
	source.emit({type: 'sample', sample: sample!});
	await until(() => stdout.output.includes('filter FORWARD'), 'the overview');
	assert.ok(stdout.output.startsWith(ALT_ON), 'the alternate screen first');
	assert.equal(stdin.rawMode, true);
	stdin.type('q');
	assert.equal(await running, 0);
	assert.ok(stdout.output.endsWith(RESTORE), 'cursor shown and main screen back, last');
	assert.equal(stdin.rawMode, false);
	assert.ok(source.stopped >= 1, 'sampling stopped');
});

test('Ctrl-C quits through the keymap with exit code 0', async () => {
	const {stdout, stdin, source, streams} = setup();
	const running = runDashboard({source, initial: {intervalMs: 1000}, color: false}, streams);
	await until(() => source.started === 1, 'the source to start');
	stdin.type('\u0003');
	assert.equal(await running, 0);
	assert.ok(stdout.output.endsWith(RESTORE));
});

for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
	test(`${signal} restores the terminal and exits with ${code}, also while Ink is still loading`, async () => {
		const before = process.listenerCount(signal);
		const {stdout, source, streams} = setup();
		const running = runDashboard({source, initial: {intervalMs: 1000}, color: false}, streams);
		// The waiting frame is up and the read started, synchronously; Ink has not mounted yet.
		assert.equal(source.started, 1);
		process.emit(signal, signal);
		assert.equal(await running, code);
		assert.ok(stdout.output.endsWith(RESTORE));
		assert.equal(process.listenerCount(signal), before, 'no handler left behind');
		const again = setup();
		const second = runDashboard({source: again.source, initial: {intervalMs: 1000}, color: false}, again.streams);
		again.source.emit({type: 'sample', sample: sample!});
		await until(() => again.stdout.output.includes('filter FORWARD'), 'the overview');
		const mounted = process.listenerCount(signal);
		process.emit(signal, signal);
		assert.equal(await second, code);
		assert.ok(again.stdout.output.endsWith(RESTORE));
		assert.ok(process.listenerCount(signal) < mounted, 'its own handler gone');
	});
}

test('a crash restores the terminal first, then says what happened in one line', async () => {
	const {stdout, stderr, source, streams} = setup();
	source.describe = () => {
		throw new Error('describe broke\nwith a second line');
	};

	const code = await runDashboard({source, initial: {intervalMs: 1000}, color: false}, streams);
	assert.equal(code, 1);
	assert.ok(stdout.output.endsWith(RESTORE));
	assert.equal(stderr.output, 'fwtop: crashed: describe broke\n');
});

test('+ asks the source for a longer interval', async () => {
	const {stdin, source, streams} = setup();
	const running = runDashboard({source, initial: {intervalMs: 1000}, color: false}, streams);
	await until(() => source.started === 1, 'the source to start');
	stdin.type('+');
	await until(() => source.intervals.length > 0, 'setIntervalMs');
	assert.deepEqual(source.intervals, [2000]);
	stdin.type('q');
	await running;
});

test('a steady screen sends one changed line a second, not the screen', async () => {
	const {stdout, stdin, source, streams} = setup();
	const running = runDashboard({source, initial: {intervalMs: 1000}, color: true}, streams);
	await until(() => source.started === 1, 'the source to start');
	source.emit({type: 'sample', sample: sample!});
	await until(() => stdout.output.includes('filter FORWARD'), 'the overview');
	const full = stdout.output.length;
	let mark = stdout.output.length;
	await until(() => stdout.output.length > mark, 'the first tick');
	mark = stdout.output.length;
	await until(() => stdout.output.length > mark, 'the second tick');
	const update = stdout.output.slice(mark);
	assert.ok(update.length < 200, `${update.length} bytes for a tick: ${JSON.stringify(update)}`);
	assert.match(update, /^(?:\u001B\[\?2026h)?\u001B\[1;1Hfwtop.* ago · read 12ms\u001B\[K(?:\u001B\[\?2026l)?$/);
	assert.ok(full > 1000, 'the first frame was the whole screen');
	stdin.type('q');
	await running;
});

test('the dashboard loads without Node\'s fetch machinery, and fetch is there again afterwards', async () => {
	// yoga-layout's wasm loader fetches a data: URL when fetch is a function, which loads undici
	// (about 100 ms of CPU at start-up, run.tsx loadInk); every test above has loaded the dashboard.
	const {stdin, source, streams} = setup();
	const running = runDashboard({source, initial: {intervalMs: 1000}, color: false}, streams);
	await until(() => source.started === 1, 'the source to start');
	stdin.type('q');
	assert.equal(await running, 0);
	const loaded = (process as unknown as {moduleLoadList: string[]}).moduleLoadList;
	assert.deepEqual(loaded.filter(name => name.includes('undici')), []);
	assert.equal(typeof globalThis.fetch, 'function');
});
