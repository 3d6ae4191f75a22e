import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Rendered} from './render.ts';
import {autoRun, dockerBridges} from './nft-samples.ts';
import {FakeSource, dockerSave} from './samples.ts';

// nft spells verdicts in lower case (`drop`, `accept`): a dropping nft rule with traffic is in the
// warning colour as an iptables DROP is, and what nothing counts is a dim `–`. Colour is decided
// before Ink (and chalk) load, so this file forces a colour terminal first and imports the UI after.
process.env.FORCE_COLOR = '1';
const {App} = await import('../../source/ui/app.tsx');
const {renderAt, strip} = await import('./render.ts');

// filter-forward-in__docker0: #3 the published port, #4 the `counter drop` of unpublished ports.
const samples = autoRun([
	{save: dockerSave(), nft: dockerBridges({22: [10, 600], 23: [2, 120]})},
	{save: dockerSave(), nft: dockerBridges({22: [10, 600], 23: [7, 420]})},
]);

async function chainView(chain: string, ready: string): Promise<Rendered> {
	const source = new FakeSource();
	const screen = renderAt(<App source={source} initial={{intervalMs: 1000, table: 'docker-bridges', chain}} color clock={() => 0}/>, 120, 14);
	await screen.waitFor(() => source.listening === 1);
	source.emit({type: 'sample', sample: samples[0]!});
	source.emit({type: 'sample', sample: samples[1]!});
	await screen.waitFor(frame => frame.includes(ready));
	return screen;
}

const line = (screen: Rendered, pattern: RegExp): string => screen.raw().split('\n').find(text => pattern.test(strip(text)))!;

test('an nft `drop` with traffic is in the warning colour; the idle `accept` is dim', async () => {
	const screen = await chainView('filter-forward-in__docker0', '5.0/s');
	assert.match(line(screen, / drop .*UNPUBLISHED PORT DROP/), /\u001B\[31m/, 'red');
	assert.match(line(screen, / accept .*tcp dport 80 /), /\u001B\[2m/, 'dim');
	screen.unmount();
});

test('an uncounted rule\'s – cells are dim, the row itself is not', async () => {
	const screen = await chainView('filter-FORWARD', 'oifname vmap');
	const vmap = line(screen, /oifname vmap/);
	assert.match(vmap, /\u001B\[2m +–/, 'dim –');
	assert.doesNotMatch(vmap.replaceAll(/\u001B\[2m[ –]+\u001B\[22m/g, ''), /\u001B\[2m/, 'only the – cells are dim');
	screen.unmount();
});
