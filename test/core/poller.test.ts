import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {CollectError} from '../../source/collect/collect-error.ts';
import type {Collector} from '../../source/collect/collector.ts';
import {backoffMs, createPoller, FULL_READ_EVERY} from '../../source/collect/poller.ts';
import {createTimeoutLimit, type TimeoutLimit} from '../../source/collect/timeout-limit.ts';
import type {Family, Sample} from '../../source/core/model.ts';
import type {SourceEvent} from '../../source/core/sample-source.ts';
import {fakeClock, scriptedCollector, settle, type FakeClock} from '../collect/fake-clock.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';

// The poller with a fake clock: reads take a scripted time, timers fire when the test says.

/** Reads that take `readsMs[i]`, cut off at the limit's current value as the runner would. */
function limitedCollector(clock: FakeClock, limit: TimeoutLimit, readsMs: number[]): Collector {
	let i = 0;
	return {
		detect: async () => ({command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables', families: ['ipv4']}),
		async collect(): Promise<Sample> {
			const readMs = readsMs[Math.min(i++, readsMs.length - 1)]!;
			if (readMs > limit.ms) {
				clock.advance(limit.ms);
				throw new CollectError({kind: 'timeout', message: `iptables-save -c gave no answer within ${limit.ms / 1000} s`});
			}

			clock.advance(readMs);
			return sampleFromSave(dockerNat(i), clock.timers.now(), {seq: i});
		},
	};
}

/** Runs the poller through `reads` attempts; returns each attempt's event and the limit after it. */
async function attempts(limit: TimeoutLimit, readsMs: number[]): Promise<Array<{event: SourceEvent; limitMs: number}>> {
	const clock = fakeClock();
	const poller = createPoller(limitedCollector(clock, limit, readsMs), {intervalMs: 1000, timers: clock.timers, timeout: limit});
	const seen: Array<{event: SourceEvent; limitMs: number}> = [];
	poller.subscribe(event => seen.push({event, limitMs: limit.ms}));
	poller.start();
	for (let i = 0; i < readsMs.length; i++) {
		await settle();
		if (i < readsMs.length - 1) clock.fireNext();
	}

	poller.stop();
	return seen.filter(item => item.event.type !== 'interval');
}

describe('poller', () => {
	it('chains reads: the next read waits for the interval minus the read time, never overlaps', async () => {
		const clock = fakeClock();
		const poller = createPoller(scriptedCollector(clock, [{readMs: 100}]), {intervalMs: 1000, timers: clock.timers});
		const events: SourceEvent[] = [];
		poller.subscribe(event => events.push(event));
		poller.start();
		await settle();
		assert.equal(clock.pendingCount(), 1, 'one read scheduled, none running twice');
		assert.equal(clock.fireNext(), 900);
		await settle();
		assert.deepEqual(events.map(event => event.type), ['sample', 'sample']);
		poller.stop();
	});

	it('stretches the interval when reads are slower than it, says so, and recovers', async () => {
		const clock = fakeClock();
		const poller = createPoller(scriptedCollector(clock, [{readMs: 1500}, {readMs: 1500}, {readMs: 100}]), {intervalMs: 1000, timers: clock.timers});
		const events: SourceEvent[] = [];
		poller.subscribe(event => events.push(event));
		poller.start();
		await settle();
		assert.deepEqual(events.at(-1), {type: 'interval', requestedMs: 1000, effectiveMs: 1500});
		assert.equal(clock.fireNext(), 0, 'the next read starts right away, not on top of the slow one');
		await settle();
		clock.fireNext();
		await settle();
		assert.deepEqual(events.at(-1), {type: 'interval', requestedMs: 1000, effectiveMs: 1000});
		poller.stop();
	});

	it('backs off on failures and keeps the failure as a warning of the next sample', async () => {
		const clock = fakeClock();
		const timeout = new CollectError({kind: 'timeout', message: 'iptables-save gave no answer'});
		const poller = createPoller(scriptedCollector(clock, [{readMs: 10, fail: timeout}, {readMs: 10, fail: timeout}, {readMs: 10}]), {intervalMs: 1000, timers: clock.timers});
		const events: SourceEvent[] = [];
		poller.subscribe(event => events.push(event));
		poller.start();
		await settle();
		assert.deepEqual(events[0], {type: 'error', message: 'iptables-save gave no answer', retryInMs: 1000, kind: 'timeout'});
		clock.fireNext();
		await settle();
		assert.equal((events[1] as {retryInMs: number}).retryInMs, 2000);
		clock.fireNext();
		await settle();
		const sample = events[2]!;
		assert.equal(sample.type, 'sample');
		assert.match(sample.type === 'sample' ? sample.sample.warnings.join() : '', /previous read failed/);
		poller.stop();
	});

	it('asks the heap trim before each read, not during one', async () => {
		const clock = fakeClock();
		const order: string[] = [];
		const collector = scriptedCollector(clock, [{readMs: 100}]);
		const poller = createPoller({detect: collector.detect, async collect(signal) {
			order.push('read');
			return collector.collect(signal);
		}}, {intervalMs: 1000, timers: clock.timers, heapTrim: {maybeCollect: () => order.push('trim') > 0}});
		poller.start();
		await settle();
		clock.fireNext();
		await settle();
		poller.stop();
		assert.deepEqual(order, ['trim', 'read', 'trim', 'read']);
	});

	it('stop() cancels the next read', async () => {
		const clock = fakeClock();
		const poller = createPoller(scriptedCollector(clock, [{readMs: 10}]), {intervalMs: 1000, timers: clock.timers});
		poller.start();
		await settle();
		poller.stop();
		assert.equal(clock.pendingCount(), 0);
	});

	it('a shorter interval takes effect at once', async () => {
		const clock = fakeClock();
		const poller = createPoller(scriptedCollector(clock, [{readMs: 10}]), {intervalMs: 5000, timers: clock.timers});
		poller.start();
		await settle();
		clock.advance(300);
		poller.setIntervalMs(500);
		assert.equal(clock.fireNext(), 190);
		poller.stop();
	});

	it('with a focus reads those families, every family once in FULL_READ_EVERY reads, and a newly shown carried one at once', async () => {
		const clock = fakeClock();
		const asked: Array<readonly Family[] | undefined> = [];
		const collector: Collector = {
			detect: async () => ({command: 'iptables-save -c + ip6tables-save -c', version: '1.8.9', backend: 'nf_tables', families: ['ipv4', 'ipv6']}),
			async collect(_signal, only) {
				asked.push(only);
				clock.advance(10);
				const sample = sampleFromSave(dockerNat(asked.length), clock.timers.now(), {seq: asked.length});
				// As the collector: a family never read is read whatever the focus.
				return only === undefined || asked.length === 1 ? sample : {...sample, carried: ['ipv6']};
			},
		};
		const poller = createPoller(collector, {intervalMs: 1000, timers: clock.timers});
		poller.start();
		poller.focus!(['ipv4']);
		await settle();
		for (let i = 0; i < FULL_READ_EVERY + 1; i++) {
			assert.equal(clock.fireNext(), 990);
			await settle();
		}

		// The first read (of both: IPv6 was never read), FULL_READ_EVERY - 1 that carry IPv6, a full one.
		assert.deepEqual(asked.map(only => only?.join() ?? 'all'), [...Array.from({length: FULL_READ_EVERY}, () => 'ipv4'), 'all', 'ipv4']);
		clock.advance(300);
		poller.focus!(['ipv6']);
		assert.equal(clock.fireNext(), 0, 'IPv6, carried by the last sample, is read at once');
		await settle();
		assert.deepEqual(asked.at(-1), ['ipv6']);
		poller.stop();
	});

	it('a read that timed out is tried again with twice the limit, and says so', async () => {
		// 7 s reads with --timeout 5: the first attempt is cut off, the second gets 10 s and succeeds.
		const seen = await attempts(createTimeoutLimit(5000), [7000, 7000, 7000]);
		assert.deepEqual(seen.map(item => [item.event.type, item.limitMs]), [['error', 10_000], ['sample', 10_000], ['sample', 10_000]]);
		const error = seen[0]!.event;
		assert.equal(error.type === 'error' ? error.message : '', 'iptables-save -c gave no answer within 5 s; the next try waits up to 10 s');
	});

	it('the limit grows to 10× the flag at most, and stops saying it grows', async () => {
		const seen = await attempts(createTimeoutLimit(5000), [Infinity, Infinity, Infinity, Infinity, Infinity]);
		assert.deepEqual(seen.map(item => item.limitMs), [10_000, 20_000, 40_000, 50_000, 50_000]);
		const messages = seen.map(item => (item.event.type === 'error' ? item.event.message : ''));
		assert.match(messages[3]!, /within 40 s; the next try waits up to 50 s$/);
		assert.equal(messages[4], 'iptables-save -c gave no answer within 50 s');
	});

	it('a minute at most from the default, more only when --timeout asks for more', async () => {
		const fromTen = await attempts(createTimeoutLimit(10_000), [Infinity, Infinity, Infinity, Infinity]);
		assert.deepEqual(fromTen.map(item => item.limitMs), [20_000, 40_000, 60_000, 60_000]);
		const fromTwoMinutes = await attempts(createTimeoutLimit(120_000), [Infinity, Infinity]);
		assert.deepEqual(fromTwoMinutes.map(item => item.limitMs), [120_000, 120_000]);
	});

	it('comes back to the flag when reads get fast again, but not below twice a slow read', async () => {
		// Cut off twice (limit 20 s), then 8 s reads keep a 16 s limit, then 100 ms reads bring it to 5 s.
		const seen = await attempts(createTimeoutLimit(5000), [Infinity, Infinity, 8000, 8000, 8000, 100, 100]);
		assert.deepEqual(seen.map(item => item.limitMs), [10_000, 20_000, 16_000, 16_000, 16_000, 8000, 5000]);
		assert.deepEqual(seen.map(item => item.event.type), ['error', 'error', 'sample', 'sample', 'sample', 'sample', 'sample']);
	});

	it('backoff is capped at 30 s', () => {
		assert.deepEqual([1, 2, 3, 10].map(failures => backoffMs(1000, failures)), [1000, 2000, 4000, 30_000]);
	});
});
