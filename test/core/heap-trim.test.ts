import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, it} from 'node:test';
import {createHeapTrim, MIN_GROWTH_BYTES} from '../../source/collect/heap-trim.ts';

// The full GC between reads (heap-trim.ts): asked for only when the heap grew past half of what
// the last collection kept (at least MIN_GROWTH_BYTES), with a fake heap; and V8's, in a child
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
		trim: createHeapTrim({stats: {used: () => used}, collect: () => collections.push(used / MB)}),
		/** What a collection leaves: the test says how much was live. */
		afterCollect(liveMb: number) {
			return createHeapTrim({stats: {used: () => used}, collect() {
				collections.push(used / MB);
				used = liveMb * MB;
			}});
		},
	};
}

describe('heap trim', () => {
	it('collects once the heap grew by half of what is live, and not before', () => {
		const heap = fakeHeap(100);
		const trim = heap.afterCollect(100);
		heap.set(149);
		assert.equal(trim.maybeCollect(), false);
		heap.set(150);
		assert.equal(trim.maybeCollect(), true);
		assert.deepEqual(heap.collections, [150]);
		// Measured again from what the collection kept (100 MB).
		heap.set(140);
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
		heap.set(179);
		assert.equal(heap.trim.maybeCollect(), false);
		heap.set(180);
		assert.equal(heap.trim.maybeCollect(), true);
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
