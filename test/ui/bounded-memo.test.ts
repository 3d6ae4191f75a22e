import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {boundedMemo} from '../../source/ui/bounded-memo.ts';

// The memory behind row-output.ts and measured-width.ts: steady in size however long fwtop runs
// (bench/memory.ts checks the heap does not grow), and what a screen keeps asking for stays in it.

describe('the two-generation memo', () => {
	it('makes a value once and hands it out again', () => {
		const memo = boundedMemo<number>(4);
		let made = 0;
		const make = () => ++made;
		assert.equal(memo.get('a', make), 1);
		assert.equal(memo.get('a', make), 1);
		assert.equal(made, 1);
	});

	it('keeps what is asked for every round while a stream of new keys passes through', () => {
		const memo = boundedMemo<string>(4);
		const remember = (key: string, make: () => string) => memo.get(key, make);
		const made: string[] = [];
		const make = (key: string) => () => {
			made.push(key);
			return key.toUpperCase();
		};

		for (let round = 0; round < 100; round++) {
			assert.equal(remember('screen', make('screen')), 'SCREEN');
			remember(`new ${round}`, make(`new ${round}`));
		}

		assert.equal(made.filter(key => key === 'screen').length, 1, 'made once, then moved from generation to generation');
		assert.equal(made.length, 101);
		// Keys passed through long ago are forgotten: made again.
		remember('new 0', make('new 0'));
		assert.equal(made.length, 102);
	});

	it('forgets, at a new generation, what was not asked for since the one before', () => {
		const memo = boundedMemo<string>(1000);
		let made = 0;
		const make = () => String(++made);
		memo.get('frame 1 only', make);
		memo.get('every frame', make);
		memo.nextGeneration();
		memo.get('every frame', make);
		memo.nextGeneration();
		memo.get('every frame', make);
		assert.equal(made, 2, 'still remembered after two generations');
		memo.get('frame 1 only', make);
		assert.equal(made, 3, 'made again: not asked for in the last two frames');
	});
});
