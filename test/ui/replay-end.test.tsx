// The end of a replay (`--replay FILE` without loop): the source emits `end` after its last
// sample. The dashboard keeps that sample with its rates and says the replay ended, instead of an
// age that keeps growing with no word.
import assert from 'node:assert/strict';
import {afterEach, test} from 'node:test';
import {App} from '../../source/ui/app.tsx';
import {headerLine} from '../../source/ui/chrome.ts';
import {drive} from './drive.ts';
import {type Rendered, renderAt} from './render.ts';
import {DESCRIPTION, FakeSource, dockerSave, ratedRun} from './samples.ts';

const samples = ratedRun([
	dockerSave({prerouting: [100, 6000], dnat80: [80, 4800], 'nat:PREROUTING': [400, 24_000]}),
	dockerSave({prerouting: [129, 7740], dnat80: [109, 6540], 'nat:PREROUTING': [450, 27_000]}),
]);
const text = (line: Array<{text: string}>): string => line.map(segment => segment.text).join('');

test('reducer: `end` keeps the last sample and its rows, and the header says so instead of an age', () => {
	const driver = drive().sample(samples[0]!).sample(samples[1]!);
	const before = driver.state;
	driver.act({type: 'end'}).advance(60_000);
	assert.equal(driver.state.ended, true);
	assert.equal(driver.state.sample, samples[1], 'the last sample stays on screen');
	assert.deepEqual(driver.state.rows, before.rows, 'the same rows, rates frozen');
	const header = text(headerLine(driver.state, DESCRIPTION, driver.now));
	assert.match(header, /replay ended — q to quit/);
	assert.doesNotMatch(header, /ago/, 'no age that keeps growing');
	assert.match(text(headerLine(driver.state, DESCRIPTION, driver.now, 50)), /replay ended — q to quit$/, 'it is the last part to go');
	assert.equal(driver.keys('q').state.quit, true);
});

let mounted: Rendered | undefined;
afterEach(() => {
	mounted?.unmount();
	mounted = undefined;
});

test('frame: after the last sample and `end`, the header reads "replay ended — q to quit" and the rates stay', async () => {
	const source = new FakeSource();
	let now = 10_000;
	mounted = renderAt(<App source={source} initial={{intervalMs: 1000, table: 'nat'}} color={false} clock={() => now}/>, 80, 9);
	await mounted.waitFor(() => source.listening === 1);
	source.emit({type: 'sample', sample: samples[0]!});
	now += 1000;
	source.emit({type: 'sample', sample: samples[1]!});
	const live = await mounted.waitFor(frame => frame.includes('0s ago'));
	now += 30_000;
	source.emit({type: 'end'});
	const ended = await mounted.waitFor(frame => frame.includes('replay ended'));
	assert.equal(ended, `
fwtop  lab-host · nf_tables 1.8.9 · IPv4 · every 1s · replay ended — q to quit
nat   sort: hook order
 table chain       policy rules refs pkts/s   bytes/s hits/s history
›nat   PREROUTING  ACCEPT     1        50/s  3.0 kB/s   29/s                   █
 nat   INPUT       ACCEPT     0         0/s     0 B/s      –
 nat   OUTPUT      ACCEPT     1         0/s     0 B/s    0/s
 nat   POSTROUTING ACCEPT     1         0/s     0 B/s    0/s
? help  q quit  Enter open  Esc back  Tab table  v path  / filter  s sort`.slice(1));
	assert.equal(ended.split('\n').slice(1).join('\n'), live.split('\n').slice(1).join('\n'), 'below the header, the frame is the live one');
});
