import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type StyledChar, styledCharsFromTokens, styledCharsToString, tokenize} from '@alcalzone/ansi-tokenize';
import {lineString, rowString} from '../../source/ui/row-string.ts';
import {seededRandom} from '../helpers/random.ts';

// row-output.ts serialises each row with rowString instead of ansi-tokenize's styledCharsToString
// (source/ui/row-string.ts says why): the text must be the library's, byte for byte.

const pieces = [
	'plain', ' ', 'a', '–', '·', '表', '🔥', '\u001B[1m', '\u001B[22m', '\u001B[2m', '\u001B[7m', '\u001B[27m', '\u001B[32m', '\u001B[39m',
	'\u001B[31m', '\u001B[0m', '\u001B[4m', '\u001B[24m', '\u001B[38;5;208m', '\u001B[48;2;1;2;3m', '\u001B[49m', '\u001B[m',
];

/** Characters as row-output.ts lays them out: tokenised writes, blank cells between, equal styles in separate arrays. */
function randomRow(random: () => number): StyledChar[] {
	const row: StyledChar[] = [];
	for (let count = Math.floor(random() * 6); count > 0; count--) {
		let text = '';
		for (let n = Math.floor(random() * 8); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
		row.push(...styledCharsFromTokens(tokenize(text)));
		for (let blank = Math.floor(random() * 3); blank > 0; blank--) row.push({type: 'char', value: ' ', fullWidth: false, styles: []});
	}

	return row;
}

describe('a row\'s text', () => {
	it('is styledCharsToString\'s for random styled rows', () => {
		for (let seed = 1; seed <= 2000; seed++) {
			const row = randomRow(seededRandom(seed));
			assert.equal(rowString(row), styledCharsToString(row), `seed ${seed}`);
		}
	});

	it('is styledCharsToString\'s for a random styled line, straight from its tokens', () => {
		for (let seed = 1; seed <= 2000; seed++) {
			const random = seededRandom(seed);
			let text = '';
			for (let n = Math.floor(random() * 12); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
			assert.equal(lineString(tokenize(text)), styledCharsToString(styledCharsFromTokens(tokenize(text))), `seed ${seed}: ${JSON.stringify(text)}`);
		}
	});

	it('writes a run of equally styled characters without codes between them', () => {
		const row = styledCharsFromTokens(tokenize('\u001B[32mDNAT\u001B[39m tcp'));
		assert.equal(rowString(row), '\u001B[32mDNAT\u001B[39m tcp');
		assert.equal(rowString([]), '');
	});
});
