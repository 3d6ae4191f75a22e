import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sanitize} from '../../source/ui/sanitize.ts';
import {displayWidth, fit, truncate, wrap} from '../../source/ui/text.ts';

const controls = /[\u0000-\u001F\u007F-\u009F]/;

test('sanitize: a comment with an escape sequence and a newline cannot reach the terminal raw', () => {
	const comment = 'allow web\u001B[2J\nforged line';
	const safe = sanitize(comment);
	assert.equal(safe, 'allow web␛\\nforged line');
	assert.doesNotMatch(safe, controls);
});

test('sanitize: OSC, 8-bit CSI, lone ESC, BEL and DEL are all neutralised', () => {
	const cases: Array<[string, string]> = [
		['a\u001B]0;pwned\u0007b', 'a␛b'],
		['a\u001B]8;;http://x\u001B\\link', 'a␛link'],
		['a\u009B31mred', 'a␛red'],
		['tab\there', 'tab\\there'],
		['bell\u0007', 'bell\\x07'],
		['del\u007F', 'del\\x7f'],
		['esc at end\u001B', 'esc at end\\x1b'],
		['plain text', 'plain text'],
		['eth0', 'eth0'],
	];
	for (const [input, expected] of cases) {
		assert.equal(sanitize(input), expected, JSON.stringify(input));
		assert.doesNotMatch(sanitize(input), controls);
	}
});

test('display width counts wide characters twice and combining marks not at all', () => {
	assert.equal(displayWidth('abc'), 3);
	assert.equal(displayWidth('日本'), 4);
	assert.equal(displayWidth('e\u0301'), 1);
});

test('truncate and fit cut with an ellipsis and pad to exact cells', () => {
	assert.equal(truncate('--dport 80 --to-destination 172.17.0.2:80', 16), '--dport 80 --to…');
	assert.equal(truncate('short', 16), 'short');
	assert.equal(truncate('日本語テキスト', 5), '日本…');
	assert.equal(fit('29/s', 6, 'right'), '  29/s');
	assert.equal(fit('DNAT', 6), 'DNAT  ');
	assert.equal(fit('DOCKER-ISOLATION-STAGE-1', 10), 'DOCKER-IS…');
	assert.equal(displayWidth(fit('日本語テキスト', 6)), 6);
});

test('wrap breaks on spaces and cuts words longer than a line', () => {
	assert.deepEqual(wrap('one two three four', 9), ['one two', 'three', 'four']);
	assert.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
	assert.deepEqual(wrap('', 5), ['']);
});
