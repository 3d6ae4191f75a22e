import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {InitialOptions} from '../../source/ui/state.ts';
import {FakeKeyboard as Keyboard, FakeTerminal as Terminal} from '../helpers/fake-terminal.ts';

// The frame drawn while Ink loads (waiting-frame.ts) must be the frame Ink then draws, escape
// codes included, so that Ink's first frame changes nothing on the screen. Ink's chalk decides
// its colour level once, when it is imported, from the terminal it finds: FORCE_COLOR is set
// before anything imports it, so these frames carry the codes a colour terminal gets.
process.env.FORCE_COLOR = '1';
const {App} = await import('../../source/ui/app.tsx');
const {runDashboard} = await import('../../source/ui/run.tsx');
const {waitingFrame} = await import('../../source/ui/waiting-frame.ts');
const {renderAt} = await import('./render.ts');
const {FakeSource} = await import('./samples.ts');

const cases: Array<{name: string; initial: InitialOptions; columns: number; rows: number}> = [
	{name: 'the overview at 80×24', initial: {intervalMs: 1000}, columns: 80, rows: 24},
	{name: 'the path view at 200×50', initial: {intervalMs: 1000, path: true}, columns: 200, rows: 50},
	{name: 'a chain with its Docker note, bits/s, a filter, IPv6', initial: {intervalMs: 2000, table: 'nat', chain: 'DOCKER', bits: true, filter: 'tcp', family: 'ipv6'}, columns: 100, rows: 30},
	{name: 'a terminal too small for the header', initial: {intervalMs: 1000}, columns: 30, rows: 8},
];

for (const {name, initial, columns, rows} of cases) {
	test(`before Ink has loaded, the dashboard is drawn as Ink then draws it: ${name}`, () => {
		const source = new FakeSource();
		const screen = renderAt(<App source={source} initial={initial} color clock={() => 0}/>, columns, rows);
		try {
			const ink = screen.raw().split('\n');
			assert.match(ink[0]!, /fwtop/);
			assert.deepEqual(waitingFrame(initial, source.describe(), {columns, rows}, 0, true), ink);
		} finally {
			screen.unmount();
		}
	});
}

const LINE_ADDRESS = /\u001B\[\d+;1H/g;

test('the dashboard is on the screen before Ink loads, keys are not echoed, and Ink redraws none of it', async () => {
	const stdout = new Terminal();
	const stdin = new Keyboard();
	const source = new FakeSource();
	const running = runDashboard({source, initial: {intervalMs: 1000}, color: true}, {
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new Terminal() as unknown as NodeJS.WriteStream,
	});
	try {
		// Synchronously, before runDashboard has waited for anything.
		const drawn = stdout.output;
		assert.match(drawn, /fwtop/);
		assert.match(drawn, /Waiting for the first sample…/);
		assert.equal(drawn.match(LINE_ADDRESS)?.length, 19, 'one line per row but the last');
		assert.equal(stdin.rawMode, true, 'raw at once: a key pressed now is not echoed over the frame');
		const deadline = Date.now() + 10_000;
		assert.equal(source.started, 1, 'the first read started right after the frame');
		// Ink listens for keys once it has mounted and drawn.
		while (stdin.listenerCount('readable') === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
		assert.ok(stdin.listenerCount('readable') > 0, 'Ink mounted');
		assert.deepEqual(stdout.output.slice(drawn.length).match(LINE_ADDRESS), null, 'Ink\'s first frame rewrote no line');
	} finally {
		stdin.type('q');
	}

	assert.equal(await running, 0);
	assert.equal(stdin.rawMode, false);
});
