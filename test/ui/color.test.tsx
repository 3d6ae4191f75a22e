import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Rendered} from './render.ts';
import {FakeSource, dockerSave, ratedRun} from './samples.ts';

// Colour is decided before Ink (and chalk) load, so this file forces a colour terminal first and
// imports the UI afterwards.
process.env.FORCE_COLOR = '1';
const {App} = await import('../../source/ui/app.tsx');
const {renderAt, strip} = await import('./render.ts');

const samples = ratedRun([
	dockerSave({drop: [1, 60], accept80: [1, 60]}),
	dockerSave({drop: [11, 660], accept80: [1, 60]}),
]);

const COLOUR = /\u001B\[(?:3[0-7]|9[0-7]|38;[25];[\d;]+)m/;

async function chainView(color: boolean): Promise<Rendered> {
	const source = new FakeSource();
	const screen = renderAt(<App source={source} initial={{intervalMs: 1000, table: 'filter', chain: 'DOCKER'}} color={color} clock={() => 0}/>, 120, 12);
	await screen.waitFor(() => source.listening === 1);
	source.emit({type: 'sample', sample: samples[0]!});
	source.emit({type: 'sample', sample: samples[1]!});
	await screen.waitFor(frame => frame.includes('10/s'));
	return screen;
}

test('DROP with traffic is in the warning colour; idle rules are dim', async () => {
	const screen = await chainView(true);
	const line = screen.raw().split('\n').find(text => strip(text).includes(' DROP '))!;
	assert.match(line, /\u001B\[31m/, 'red');
	const idle = screen.raw().split('\n').find(text => strip(text).includes(' ACCEPT '))!;
	assert.match(idle, /\u001B\[2m/, 'dim');
	screen.unmount();
});

test('color=false (NO_COLOR, --no-color) renders no colour at all, only attributes', async () => {
	const screen = await chainView(false);
	assert.doesNotMatch(screen.raw(), COLOUR);
	assert.match(screen.raw(), /\u001B\[1m/, 'bold still marks traffic');
	assert.match(screen.raw(), /\u001B\[7m/, 'inverse still marks the cursor');
	screen.unmount();
});
