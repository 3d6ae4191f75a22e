import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, it} from 'node:test';
import {COMPACTION_COST_FACTOR, createHeapTrim, FRAGMENTED, GROWTH_SHARE, MIN_GROWTH_BYTES} from '../../source/collect/heap-trim.ts';

// The full GC between reads (heap-trim.ts): asked for only when the heap grew past a quarter of
// what the last collection kept (at least MIN_GROWTH_BYTES), with a fake heap; and V8's, in a child
// process, where the collection must really happen and the young generation must stay small.

const MB = 1024 * 1024;

function fakeHeap(startMb: number) {
	let used = startMb * MB;
	const collections: number[] = [];
	return {
		set: (mb: number) => {
			used = mb * MB;
		},
		collections,
		trim: createHeapTrim({stats: {used: () => used, held: () => used}, collect: () => collections.push(used / MB)}),
		/** What a collection leaves: the test says how much was live. */
		afterCollect(liveMb: number) {
			return createHeapTrim({stats: {used: () => used, held: () => used}, collect() {
				collections.push(used / MB);
				used = liveMb * MB;
			}});
		},
	};
}

describe('heap trim', () => {
	it('collects once the heap grew by a quarter of what is live, and not before', () => {
		assert.equal(GROWTH_SHARE, 0.25);
		const heap = fakeHeap(100);
		const trim = heap.afterCollect(100);
		heap.set(124);
		assert.equal(trim.maybeCollect(), false);
		heap.set(125);
		assert.equal(trim.maybeCollect(), true);
		assert.deepEqual(heap.collections, [125]);
		// Measured again from what the collection kept (100 MB).
		heap.set(120);
		assert.equal(trim.maybeCollect(), false);
	});

	it('never for less than MIN_GROWTH_BYTES on a small heap', () => {
		const heap = fakeHeap(10);
		heap.set(10 + (MIN_GROWTH_BYTES / MB) - 1);
		assert.equal(heap.trim.maybeCollect(), false);
		heap.set(10 + (MIN_GROWTH_BYTES / MB));
		assert.equal(heap.trim.maybeCollect(), true);
	});

	it('measures from a lower point when V8 collected on its own in between', () => {
		const heap = fakeHeap(200);
		heap.set(120);
		assert.equal(heap.trim.maybeCollect(), false);
		heap.set(149);
		assert.equal(heap.trim.maybeCollect(), false);
		heap.set(150);
		assert.equal(heap.trim.maybeCollect(), true);
	});

	it(`compacts when the last collection left V8 holding more than ${FRAGMENTED}× what was live, and only then`, () => {
		const live = 100 * MB;
		let used = live;
		let held = live;
		// What V8 holds after each collection: fragmented, until a compaction gives the pages back.
		const heldAfter = [1.2, 1.6, 1.3, 1.4, 1.7, 1.8];
		const compacting: boolean[] = [];
		let now = 0;
		const trim = createHeapTrim({stats: {used: () => used, held: () => held}, clock: () => now, collect(compact) {
			compacting.push(compact);
			used = live;
			held = heldAfter[compacting.length - 1]! * live;
		}});
		for (let i = 0; i < heldAfter.length; i++) {
			now += 1000;
			used = 1.2 * live;
			assert.equal(trim.maybeCollect(), false, 'below the threshold: no collection');
			used = 1.6 * live;
			assert.equal(trim.maybeCollect(), true);
		}

		assert.deepEqual(compacting, [false, false, true, false, false, true]);
	});

	it(`after a compaction, waits ${COMPACTION_COST_FACTOR} times as long as it took before the next`, () => {
		const live = 100 * MB;
		let used = live;
		let now = 0;
		const compacting: number[] = [];
		// Always fragmented; a compaction takes 100 ms, a plain collection 10 ms.
		const trim = createHeapTrim({stats: {used: () => used, held: () => 2 * used}, clock: () => now, collect(compact) {
			if (compact) compacting.push(now);
			now += compact ? 100 : 10;
			used = live;
		}});
		for (let second = 0; second < 10; second++) {
			now = second * 1000;
			used = 1.6 * live;
			assert.equal(trim.maybeCollect(), true);
		}

		// The first collection finds nothing known yet; the one after it compacts (ends at 1,100 ms),
		// and the next compaction may start 2,000 ms after that.
		assert.deepEqual(compacting, [1000, 4000, 7000]);
	});

	it('gives back the old generation\'s pages when it compacts, which a plain full collection keeps', () => {
		// Objects spread over many old-generation pages, then every other one dropped: each page is
		// half empty, too full for V8 to move on its own, and stays committed after a plain collection.
		const script = `
			import v8 from 'node:v8';
			import {collectGarbage} from ${JSON.stringify(new URL('../../source/collect/heap-trim.ts', import.meta.url).href)};
			const oldSpace = () => v8.getHeapSpaceStatistics().find(space => space.space_name === 'old_space').space_size;
			const objects = Array.from({length: 400000}, (_, i) => ({i, text: 'rule ' + i, more: [i]}));
			collectGarbage(false);
			collectGarbage(false);
			for (let i = 0; i < objects.length; i += 2) objects[i] = null;
			collectGarbage(false);
			const plain = oldSpace();
			collectGarbage(true);
			const compacted = oldSpace();
			console.log(JSON.stringify({plain, compacted, keep: objects.length}));
		`;
		const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 60_000});
		assert.equal(child.status, 0, child.stderr);
		const {plain, compacted} = JSON.parse(child.stdout) as {plain: number; compacted: number};
		assert.ok(compacted < plain * 0.8, `old generation ${plain / MB} MB after a plain collection, ${compacted / MB} MB after compacting`);
	});

	it('really collects with V8, and keeps the young generation at its start size', () => {
		const script = `
			import v8 from 'node:v8';
			import {createHeapTrim} from ${JSON.stringify(new URL('../../source/collect/heap-trim.ts', import.meta.url).href)};
			const trim = createHeapTrim({minGrowth: 8 * 1024 * 1024});
			const young = () => v8.getHeapSpaceStatistics().find(space => space.space_name === 'new_space').space_size;
			let garbage = [];
			let collected = 0;
			let largestYoung = 0;
			for (let round = 0; round < 20; round++) {
				// Objects that survive a scavenge or two, as a sample's do, then die.
				garbage = Array.from({length: 200000}, (_, i) => ({i, text: 'rule ' + i}));
				largestYoung = Math.max(largestYoung, young());
				if (trim.maybeCollect()) collected++;
			}
			console.log(JSON.stringify({collected, used: v8.getHeapStatistics().used_heap_size, largestYoung, keep: garbage.length}));
		`;
		const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 60_000});
		assert.equal(child.status, 0, child.stderr);
		const result = JSON.parse(child.stdout) as {collected: number; used: number; largestYoung: number};
		assert.ok(result.collected > 0, 'no collection was forced');
		// Without the flag V8 grows each semi-space to 16 MB under this load.
		assert.ok(result.largestYoung <= 8 * MB, `young generation ${result.largestYoung / MB} MB`);
	});
});
