// `fwtop --json | slow-consumer`: runStream over the real poller (fake clock, counting collector)
// into a fake stdout that reports itself full and drains only when the test says. While the last
// line has not drained no read is started; then sampling resumes with Δt covering the wait, and
// stderr says so once per stretch, never while the reader keeps up.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {createPoller} from '../../source/collect/poller.ts';
import {exitIfStuck, runStream, type StreamOptions} from '../../source/cli/stream.ts';
import {countingCollector, fakeClock, settle} from '../collect/fake-clock.ts';

const WARNING = 'fwtop: the reader of --json is slower than the interval: waiting for it before the next sample\n';

/** A stdout whose pipe is full while `full`: write returns false and `drained()` waits for drain(). */
function fakeStdout() {
	let text = '';
	let full = false;
	const waiting: Array<() => void> = [];
	const warnings: string[] = [];
	const options: Pick<StreamOptions, 'write' | 'drained' | 'warn'> = {
		write(piece) {
			text += piece;
			return !full;
		},
		drained: async () => new Promise<void>(resolve => waiting.push(resolve)),
		warn(line) {
			warnings.push(line);
		},
	};
	return {
		options,
		warnings,
		lines: () => text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as {seq: number; elapsed: number | null}),
		fill() {
			full = true;
		},
		/** The reader takes everything; `stayFull`: and the next line fills the pipe again. */
		drain(stayFull = false) {
			full = stayFull;
			for (const resolve of waiting.splice(0)) resolve();
		},
	};
}

function setup(count: number) {
	const clock = fakeClock();
	const collector = countingCollector(clock);
	const stdout = fakeStdout();
	const done = runStream(createPoller(collector, {intervalMs: 1000, timers: clock.timers}), {format: 'json', once: false, count, ...stdout.options});
	return {clock, collector, stdout, done};
}

describe('--json into a slow reader', () => {
	it('takes no sample while the last line has not drained, then resumes at once with Δt covering the wait', async () => {
		const {clock, collector, stdout, done} = setup(3);
		stdout.fill();
		await settle();
		assert.equal(collector.reads(), 1);
		assert.equal(clock.fireNext(), 990, 'the next read is due at the normal interval');
		await settle();
		assert.deepEqual(stdout.warnings, [], 'not late yet: the reader has had 990 ms of its 1 s');
		assert.equal(clock.fireNext(), 10);
		assert.deepEqual(stdout.warnings, [WARNING], 'an interval after the line, the reader still has not taken it');
		clock.advance(4990);
		await settle();
		assert.equal(collector.reads(), 1, 'no read while the reader lags');
		assert.equal(stdout.lines().length, 1);
		stdout.drain();
		await settle();
		assert.equal(collector.reads(), 2, 'read at once: the interval has long passed');
		assert.equal(clock.fireNext(), 990, 'then the normal interval again');
		await settle();
		assert.equal(await done, 0);
		const lines = stdout.lines();
		assert.deepEqual(lines.map(line => line.seq), [1, 2, 3], 'every sample taken is printed');
		assert.equal(lines[1]!.elapsed, 6, 'the rate spans the wait: 1 s due + 5 s held');
		assert.equal(lines[2]!.elapsed, 1);
		assert.deepEqual(stdout.warnings, [WARNING], 'nothing more once the reader keeps up');
	});

	it('warns once per stretch of held reads, again only after the reader has caught up in between', async () => {
		const {clock, collector, stdout, done} = setup(5);
		stdout.fill();
		await settle();
		for (let read = 2; read <= 3; read++) {
			clock.fireNext();
			await settle();
			clock.fireNext();
			stdout.drain(true);
			await settle();
			assert.equal(collector.reads(), read);
		}

		assert.deepEqual(stdout.warnings, [WARNING], 'one stretch, two late reads, one warning');
		stdout.drain();
		await settle();
		stdout.fill();
		clock.fireNext();
		await settle();
		assert.equal(collector.reads(), 4, 'caught up: read on time, and its line fills the pipe again');
		clock.fireNext();
		await settle();
		clock.fireNext();
		assert.equal(collector.reads(), 4);
		assert.deepEqual(stdout.warnings, [WARNING, WARNING], 'a new stretch');
		stdout.drain();
		assert.equal(await done, 0);
		assert.deepEqual(stdout.lines().map(line => line.seq), [1, 2, 3, 4, 5]);
	});

	it('a reader that drains before the next read is due costs nothing: no hold, no warning', async () => {
		// A big line always fills the pipe for a moment (write returns false), even for a fast reader.
		const {clock, collector, stdout, done} = setup(3);
		stdout.fill();
		await settle();
		stdout.drain(true);
		await settle();
		assert.equal(clock.fireNext(), 990);
		await settle();
		assert.equal(collector.reads(), 2);
		stdout.drain(true);
		await settle();
		clock.fireNext();
		assert.equal(await done, 0);
		assert.deepEqual(stdout.warnings, []);
	});

	it('SIGINT while held ends the run at once and takes no further sample', async () => {
		const {clock, collector, stdout, done} = setup(10);
		stdout.fill();
		await settle();
		clock.fireNext();
		await settle();
		process.emit('SIGINT', 'SIGINT');
		assert.equal(await done, 0);
		stdout.drain();
		await settle();
		assert.equal(collector.reads(), 1);
		assert.equal(clock.pendingCount(), 0);
	});
});

describe('a signal while the reader has stopped reading', () => {
	it('ends the process after the grace period when text is still queued', async () => {
		let exits = 0;
		exitIfStuck({writableLength: 900_000}, 20, () => exits++);
		await sleep(10);
		assert.equal(exits, 0, 'not before the grace period');
		await sleep(60);
		assert.equal(exits, 1);
	});

	it('leaves an output that holds nothing to end the process as usual', async () => {
		let exits = 0;
		exitIfStuck({writableLength: 0}, 5, () => exits++);
		await sleep(40);
		assert.equal(exits, 0);
	});

	it('is what runStream calls on SIGTERM, after the run has ended', async () => {
		const clock = fakeClock();
		const stdout = fakeStdout();
		let interrupted = 0;
		const done = runStream(createPoller(countingCollector(clock), {intervalMs: 1000, timers: clock.timers}), {
			format: 'json', once: false, count: undefined, ...stdout.options, interrupted: () => interrupted++,
		});
		stdout.fill();
		await settle();
		process.emit('SIGTERM');
		assert.equal(await done, 0);
		assert.equal(interrupted, 1);
	});
});
