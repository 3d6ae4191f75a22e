// `fwtop --json` on a host whose reads take longer than the interval: the poller stretches the
// interval and reports every change (a few ms each sample on a big host). stderr, often a log,
// says it when reads start taking longer, again only when the interval has doubled since, and
// once when reads fit again: not one line per sample.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createPoller} from '../../source/collect/poller.ts';
import {runStream} from '../../source/cli/stream.ts';
import {fakeClock, scriptedCollector, settle} from '../collect/fake-clock.ts';

async function warningsFor(readsMs: number[]): Promise<string[]> {
	const clock = fakeClock();
	const warnings: string[] = [];
	const done = runStream(createPoller(scriptedCollector(clock, readsMs.map(readMs => ({readMs}))), {intervalMs: 1000, timers: clock.timers}), {
		format: 'json',
		once: false,
		count: readsMs.length,
		write: () => true,
		drained: async () => undefined,
		warn: text => warnings.push(text),
	});
	for (let i = 0; i < readsMs.length; i++) {
		await settle();
		clock.fireNext();
	}

	assert.equal(await done, 0);
	return warnings;
}

describe('--json on a host read slower than the interval', () => {
	it('says so when the interval stretches, when it has doubled, and when reads fit again', async () => {
		const warnings = await warningsFor([1500, 1510, 1490, 1600, 3200, 3300, 100, 100, 1200, 10]);
		assert.deepEqual(warnings, [
			'fwtop: a read took longer than the interval: sampling every 1500 ms\n',
			'fwtop: a read took longer than the interval: sampling every 3200 ms\n',
			'fwtop: reads fit in the interval again: sampling every 1000 ms\n',
			'fwtop: a read took longer than the interval: sampling every 1200 ms\n',
		]);
	});

	it('says nothing while reads fit in the interval', async () => {
		assert.deepEqual(await warningsFor([10, 900, 990, 10]), []);
	});
});
