// The read gate (SampleSource.setReadGate): --json holds the next read there while its reader has
// not taken the last line. The poller, startEarly's wrapper and a replay must all wait at it,
// start at once when it opens late, never run two reads side by side, and stop while held.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createPoller} from '../../source/collect/poller.ts';
import {createReplay, readRecording} from '../../source/collect/replay.ts';
import {findDemoRecording} from '../../source/cli/sources.ts';
import {startEarly, type ReadGate, type SampleSource, type SourceEvent} from '../../source/core/sample-source.ts';
import {countingCollector, fakeClock, settle} from './fake-clock.ts';

/** A gate open until `close()`, then closed until `open()`; `asked` counts the reads that came to
 * it, `late` the times it heard that a held read was late. */
function testGate() {
	let held: Promise<void> | undefined;
	let release: () => void = () => undefined;
	let asked = 0;
	let late = 0;
	return {
		gate: {
			hold() {
				asked++;
				return held;
			},
			late() {
				late++;
			},
		} satisfies ReadGate,
		close() {
			held = new Promise<void>(resolve => {
				release = resolve;
			});
		},
		open() {
			held = undefined;
			release();
		},
		asked: () => asked,
		late: () => late,
	};
}

const samples = (events: SourceEvent[]) => events.filter(event => event.type === 'sample').length;

function pollerWithGate(readMs = 10) {
	const clock = fakeClock();
	const collector = countingCollector(clock, readMs);
	const poller = createPoller(collector, {intervalMs: 1000, timers: clock.timers});
	const events: SourceEvent[] = [];
	poller.subscribe(event => events.push(event));
	return {clock, collector, poller, events};
}

/** A poller behind a test gate that let the first read through and holds the second. */
async function secondReadHeld() {
	const {clock, collector, poller} = pollerWithGate();
	const gate = testGate();
	poller.setReadGate!(gate.gate);
	poller.start();
	await settle();
	gate.close();
	clock.fireNext();
	await settle();
	return {clock, collector, poller, gate};
}

describe('read gate', () => {
	it('the poller holds a due read while the gate is closed and starts it at once when it opens', async () => {
		const {clock, collector, poller, events} = pollerWithGate();
		const gate = testGate();
		poller.setReadGate!(gate.gate);
		poller.start();
		await settle();
		assert.equal(collector.reads(), 1, 'the first read waits for nothing written');
		gate.close();
		assert.equal(clock.fireNext(), 990);
		await settle();
		assert.equal(collector.reads(), 1, 'held: no read while the reader has not taken the last line');
		assert.equal(gate.late(), 0);
		assert.equal(clock.fireNext(), 10, 'an interval after the last sample (read 10 ms, at 0 ms)');
		assert.equal(gate.late(), 1, 'the gate hears that the reader is slower than the interval');
		assert.equal(clock.pendingCount(), 0, 'no read scheduled beside the held one');
		clock.advance(5000);
		gate.open();
		await settle();
		assert.equal(collector.reads(), 2, 'read at once when the gate opens');
		assert.equal(samples(events), 2);
		assert.equal(clock.fireNext(), 990, 'then the normal interval from the read that was held');
		poller.stop();
	});

	it('says late once per stretch of held reads, and not for a hold shorter than the interval', async () => {
		// Reads of 1.5 s at a 1 s interval: the next read is due as soon as a sample is written, so
		// it waits for the line to drain even when the reader keeps up. That is not lateness.
		const {clock, collector, poller} = pollerWithGate(1500);
		const gate = testGate();
		poller.setReadGate!(gate.gate);
		poller.start();
		await settle();
		gate.close();
		assert.equal(clock.fireNext(), 0);
		await settle();
		clock.advance(30);
		gate.open();
		await settle();
		assert.equal(collector.reads(), 2);
		assert.equal(gate.late(), 0, 'drained 30 ms after the line: the reader keeps up');
		for (let read = 3; read <= 4; read++) {
			gate.close();
			clock.fireNext();
			await settle();
			assert.equal(clock.fireNext(), 1000, 'late an interval after the sample');
			gate.open();
			await settle();
			assert.equal(collector.reads(), read);
		}

		assert.equal(gate.late(), 1, 'two late reads in a row: one stretch');
		gate.close();
		clock.fireNext();
		await settle();
		gate.open();
		await settle();
		gate.close();
		clock.fireNext();
		await settle();
		clock.fireNext();
		assert.equal(gate.late(), 2, 'caught up in between: a new stretch');
		poller.stop();
		assert.equal(clock.pendingCount(), 0, 'stop() cancels the pending lateness check too');
	});

	it('a gate that rejects opens too (a broken pipe ends the run elsewhere)', async () => {
		const {clock, collector, poller} = pollerWithGate();
		poller.setReadGate!({hold: async () => Promise.reject(new Error('EPIPE')), late() {}});
		poller.start();
		await settle();
		clock.fireNext();
		await settle();
		assert.equal(collector.reads(), 2);
		poller.stop();
	});

	it('a new interval while held does not start a second read beside the held one', async () => {
		const {clock, collector, poller, gate} = await secondReadHeld();
		poller.setIntervalMs(500);
		assert.equal(clock.pendingCount(), 1, 'only the lateness check');
		gate.open();
		await settle();
		assert.equal(collector.reads(), 2);
		assert.equal(clock.pendingCount(), 1, 'the next read');
		poller.stop();
	});

	it('stop() while held: the held read never runs, also when the poller starts again meanwhile', async () => {
		const {clock, collector, poller, gate} = await secondReadHeld();
		poller.stop();
		poller.start();
		await settle();
		assert.equal(collector.reads(), 1, 'the new start waits at the gate too');
		gate.open();
		await settle();
		assert.equal(collector.reads(), 2, 'one read for the new start, none for the stale held one');
		poller.stop();
		assert.equal(clock.pendingCount(), 0);
	});

	it('startEarly hands the gate to the source it started', async () => {
		const {clock, collector, poller} = pollerWithGate();
		const early = startEarly(poller);
		const gate = testGate();
		early.setReadGate!(gate.gate);
		await settle();
		gate.close();
		clock.fireNext();
		await settle();
		assert.equal(collector.reads(), 1);
		assert.equal(gate.asked(), 1, 'the first read had started before the gate was set');
		gate.open();
		await settle();
		assert.equal(collector.reads(), 2);
		early.stop();
	});

	it('a replay holds its next recorded read too', async () => {
		const file = findDemoRecording({});
		assert.ok(file, 'the shipped demo recording is found from source');
		const clock = fakeClock();
		const replay: SampleSource = createReplay(await readRecording(file), {speed: 1, loop: false, timers: clock.timers});
		const events: SourceEvent[] = [];
		replay.subscribe(event => events.push(event));
		const gate = testGate();
		replay.setReadGate!(gate.gate);
		replay.start();
		await settle();
		assert.equal(samples(events), 1);
		gate.close();
		clock.fireNext();
		await settle();
		assert.equal(gate.asked(), 2);
		assert.equal(samples(events), 1);
		gate.open();
		await settle();
		assert.equal(samples(events), 2);
		replay.stop();
	});
});
