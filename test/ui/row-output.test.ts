import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
// Ink's own output stage, by file: the package exports only its entry point.
import InkOutput from '../../node_modules/ink/build/output.js';
import RowOutput from '../../source/ui/row-output.ts';
import {seededRandom} from '../helpers/random.ts';

// The build gives Ink's renderer source/ui/row-output.ts instead of Ink's Output (the file says
// why). It must give the same screen as Ink's for any writes, clips and transformers, the first
// time and from memory.

type Transformer = (line: string, index: number) => string;
type Clip = {x1: number | undefined; x2: number | undefined; y1: number | undefined; y2: number | undefined};
type Target = {write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void; clip(clip: Clip): void; unclip(): void};
type Step = (output: Target) => void;

const pieces = [
	'plain ascii', ' ', '  ', 'a', '› 1   2.1k  142 kB', '–', '▁▂▃█', '表', '🔥', '↳ "docker0"', '·',
	'\u001B[1mbold\u001B[22m', '\u001B[7m inverse \u001B[27m', '\u001B[32mDNAT\u001B[39m', '\u001B[2m  – \u001B[22m',
	'\u001B[31m\u001B[1mred bold\u001B[22m\u001B[39m', '\u001B[7mto the end', '\n', '\n', 'x\ny',
];
const transformerSets: Transformer[][] = [[], [], [line => line.toUpperCase()], [(line, index) => `${index}:${line}`, line => `\u001B[2m${line}\u001B[22m`]];

function randomSteps(random: () => number, width: number, height: number): Step[] {
	const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
	const maybe = (value: number) => (random() < 0.2 ? undefined : value);
	const steps: Step[] = [];
	let open = 0;
	for (let count = int(0, 25); count > 0; count--) {
		const roll = random();
		if (roll < 0.1) {
			const x1 = int(-2, width);
			const y1 = int(-2, height);
			const clip = {x1: maybe(x1), x2: maybe(x1 + int(0, width)), y1: maybe(y1), y2: maybe(y1 + int(0, height))};
			steps.push(output => output.clip(clip));
			open++;
		} else if (roll < 0.15 && open > 0) {
			steps.push(output => output.unclip());
			open--;
		} else {
			let text = '';
			for (let n = int(0, 6); n > 0; n--) text += pieces[int(0, pieces.length - 1)];
			const x = int(-3, width + 4);
			const y = int(-2, height + 1);
			const transformers = transformerSets[int(0, transformerSets.length - 1)]!;
			steps.push(output => output.write(x, y, text, {transformers}));
		}
	}

	return steps;
}

function screen(Output: new (options: {width: number; height: number}) => Target & {get(): {output: string; height: number}}, width: number, height: number, steps: readonly Step[]) {
	const output = new Output({width, height});
	for (const step of steps) step(output);
	return output.get();
}

describe('the row-remembering output stage', () => {
	it('gives Ink\'s screen for random writes, clips and transformers, the first time and from memory', () => {
		for (let seed = 1; seed <= 400; seed++) {
			const random = seededRandom(seed);
			const width = 1 + Math.floor(random() * 30);
			const height = Math.floor(random() * 8);
			const steps = randomSteps(random, width, height);
			const expected = screen(InkOutput, width, height, steps);
			assert.deepEqual(screen(RowOutput, width, height, steps), expected, `seed ${seed}`);
			assert.deepEqual(screen(RowOutput, width, height, steps), expected, `seed ${seed}, remembered`);
		}
	});

	it('gives a row that changed its new text, not the remembered one', () => {
		const draw = (text: string) => screen(RowOutput, 20, 2, [output => output.write(0, 0, 'header', {transformers: []}), output => output.write(2, 1, text, {transformers: []})]);
		assert.equal(draw('\u001B[7mselected\u001B[27m').output, screen(InkOutput, 20, 2, [output => output.write(0, 0, 'header', {transformers: []}), output => output.write(2, 1, '\u001B[7mselected\u001B[27m', {transformers: []})]).output);
		assert.equal(draw('plain').output, 'header\n  plain');
		assert.equal(draw('\u001B[7mselected\u001B[27m').output, 'header\n  \u001B[7mselected\u001B[27m');
	});
});
