// A fake clock for the poller and collectors whose reads take scripted time on it (one counting
// the reads asked for). Shared by the poller's and the read gate's tests.
import type {CollectError} from '../../source/collect/collect-error.ts';
import type {Collector} from '../../source/collect/collector.ts';
import type {Timers} from '../../source/collect/poller.ts';
import type {Sample} from '../../source/core/model.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';

export function fakeClock() {
	let now = 0;
	const pending: Array<{at: number; callback: () => void; id: number}> = [];
	let nextId = 0;
	const timers: Timers = {
		setTimeout(callback, ms) {
			const id = ++nextId;
			pending.push({at: now + ms, callback, id});
			return id;
		},
		clearTimeout(handle) {
			const index = pending.findIndex(item => item.id === handle);
			if (index >= 0) pending.splice(index, 1);
		},
		now: () => now,
	};
	return {
		timers,
		advance(ms: number) {
			now += ms;
		},
		/** Fires the next timer, moving the clock to it; returns the delay it was scheduled with. */
		fireNext(): number | undefined {
			pending.sort((a, b) => a.at - b.at);
			const next = pending.shift();
			if (!next) return undefined;
			const waited = next.at - now;
			now = Math.max(now, next.at);
			next.callback();
			return waited;
		},
		pendingCount: () => pending.length,
	};
}

export type FakeClock = ReturnType<typeof fakeClock>;

/** Reads of `readMs` each on `clock`; `reads()` is how many were asked for. */
export function countingCollector(clock: FakeClock, readMs = 10): Collector & {reads: () => number} {
	let reads = 0;
	return {
		detect: async () => ({command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables', families: ['ipv4']}),
		async collect(): Promise<Sample> {
			reads++;
			clock.advance(readMs);
			return sampleFromSave(dockerNat(reads * 3), clock.timers.now(), {seq: reads});
		},
		reads: () => reads,
	};
}

/** Reads that follow `script` on `clock`, one step a read (the last step again once it runs out):
 * each takes `readMs`, then fails with `fail` or gives a sample whose DNAT counted `packets`. */
export function scriptedCollector(clock: FakeClock, script: Array<{readMs: number; fail?: CollectError; packets?: number}>): Collector {
	let i = 0;
	return {
		detect: async () => ({command: 'iptables-save -c', version: '1.8.9', backend: 'nf_tables', families: ['ipv4']}),
		async collect(): Promise<Sample> {
			const step = script[Math.min(i++, script.length - 1)]!;
			clock.advance(step.readMs);
			if (step.fail) throw step.fail;
			return sampleFromSave(dockerNat(step.packets ?? i), clock.timers.now(), {seq: i});
		},
	};
}

/** Lets the promises that are ready run (a read, a gate that settled). */
export const settle = async () => new Promise(resolve => setImmediate(resolve));
