import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
// Ink's own modules, by path: the bundle replaces them, the tests hold ours to them.
import inkMeasureText from '../../node_modules/ink/build/measure-text.js';
import inkWrapText from '../../node_modules/ink/build/wrap-text.js';
import {frameDrawn} from '../../source/ui/frame-drawn.ts';
import measureText from '../../source/ui/ink-measure-text.ts';
import wrapText, {wrapsRemembered} from '../../source/ui/ink-wrap-text.ts';
import {seededRandom} from '../helpers/random.ts';

// The build hands Ink ink-measure-text.ts and ink-wrap-text.ts instead of its own: the same
// answers, with memories that keep two frames' texts instead of every text ever drawn (Ink's
// grow without end on a dashboard whose numbers change, bench/memory.ts).

const PIECES = ['a', 'KUBE-SVC', ' ', '  ', '-', '–', '›', '▇', '·', '界', '😀', '\n', '\u001B[1m', '\u001B[22m', '\u001B[31m', '\u001B[39m', '10.96.0.1', 'é'];

function randomText(random: () => number): string {
	const parts: string[] = [];
	const count = Math.floor(random() * 12);
	for (let i = 0; i < count; i++) parts.push(PIECES[Math.floor(random() * PIECES.length)]!);
	return parts.join('');
}

const WRAP_TYPES = ['wrap', 'truncate', 'truncate-end', 'truncate-middle', 'truncate-start', 'end'] as const;

describe('Ink\'s text measuring and wrapping, with memories that forget', () => {
	it('measure texts as Ink measures them', () => {
		const random = seededRandom(7);
		for (let i = 0; i < 2000; i++) {
			const text = randomText(random);
			assert.deepEqual(measureText(text), inkMeasureText(text), JSON.stringify(text));
		}
	});

	it('wrap and truncate texts as Ink does, at every width and wrap type', () => {
		const random = seededRandom(11);
		for (let i = 0; i < 2000; i++) {
			const text = randomText(random);
			const width = 1 + Math.floor(random() * 20);
			const type = WRAP_TYPES[Math.floor(random() * WRAP_TYPES.length)]!;
			assert.equal(wrapText(text, width, type), inkWrapText(text, width, type), `${JSON.stringify(text)} ${width} ${type}`);
		}
	});

	it('remember only the last two frames\' texts, however many frames are drawn', () => {
		for (let frame = 0; frame < 50; frame++) {
			for (let row = 0; row < 100; row++) wrapText(`row ${row} at ${frame} pkts/s`, 40, 'truncate-end');
			frameDrawn();
		}

		assert.ok(wrapsRemembered() <= 200, `${wrapsRemembered()} texts remembered after 50 frames of 100 new ones`);
		assert.ok(wrapsRemembered() >= 100, 'the last frame\'s texts are remembered');
	});
});
