import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {startEarly, type SampleSource, type SourceEvent} from '../../source/core/sample-source.ts';

// The dashboard starts reading while Ink loads: what the source says before the UI subscribes must
// reach the UI, in order, and nothing may be read twice.

function fakeSource(): {source: SampleSource; emit: (event: SourceEvent) => void; starts: () => number; stops: () => number} {
	const listeners = new Set<(event: SourceEvent) => void>();
	let starts = 0;
	let stops = 0;
	const source: SampleSource = {
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		start() {
			starts++;
		},
		stop() {
			stops++;
		},
		setIntervalMs() {},
		describe: () => ({host: 'h', command: '', version: '', backend: '', families: []}),
	};
	return {source, emit: event => listeners.forEach(listener => listener(event)), starts: () => starts, stops: () => stops};
}

const error = (message: string): SourceEvent => ({type: 'error', message, retryInMs: 1000});

describe('startEarly', () => {
	it('starts at once, and the first subscriber gets what came before it, then what comes after', () => {
		const fake = fakeSource();
		const early = startEarly(fake.source);
		assert.equal(fake.starts(), 1, 'reading before anyone subscribed');
		fake.emit(error('one'));
		fake.emit({type: 'interval', requestedMs: 1000, effectiveMs: 1500});
		const seen: SourceEvent[] = [];
		early.subscribe(event => seen.push(event));
		fake.emit(error('two'));
		assert.deepEqual(seen, [error('one'), {type: 'interval', requestedMs: 1000, effectiveMs: 1500}, error('two')]);
		early.start();
		assert.equal(fake.starts(), 1, 'the UI\'s start() does not start a second read');
		early.stop();
		assert.equal(fake.stops(), 1);
	});

	it('replays only once: a later subscriber gets only what comes after it', () => {
		const fake = fakeSource();
		const early = startEarly(fake.source);
		fake.emit(error('before'));
		early.subscribe(() => undefined);
		const late: SourceEvent[] = [];
		const unsubscribe = early.subscribe(event => late.push(event));
		fake.emit(error('after'));
		unsubscribe();
		fake.emit(error('gone'));
		assert.deepEqual(late, [error('after')]);
	});

	it('hands what came early to the first state of the dashboard once; the subscriber then gets only what is new', () => {
		const fake = fakeSource();
		const early = startEarly(fake.source);
		fake.emit(error('first read failed'));
		assert.deepEqual(early.takeEarly?.(), [error('first read failed')]);
		assert.deepEqual(early.takeEarly?.(), [], 'taken once');
		fake.emit(error('while Ink mounts'));
		const seen: SourceEvent[] = [];
		early.subscribe(event => seen.push(event));
		fake.emit(error('later'));
		assert.deepEqual(seen, [error('while Ink mounts'), error('later')]);
		assert.deepEqual(early.takeEarly?.(), [], 'nothing is held once subscribed');
	});
});
