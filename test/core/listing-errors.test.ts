// What parseListing does with input that is not a listing: one-line ParseError messages that
// name the line and show a sanitised excerpt, so the CLI can print them as they are.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ParseError} from '../../source/core/parse-error.ts';
import {parseListing} from '../../source/core/parse-listing.ts';

const HEADER = 'Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n'
	+ '    pkts      bytes target     prot opt in     out     source               destination         \n';
const RULE = '       1       60 ACCEPT     6    --  *      *       0.0.0.0/0            0.0.0.0/0            tcp dpt:22';

function failure(text: string): ParseError {
	try {
		parseListing(text);
	} catch (error) {
		assert.ok(error instanceof ParseError, String(error));
		assert.doesNotMatch(error.message, /[\n\r\u0000-\u001F]/);
		return error;
	}

	assert.fail('no ParseError');
}

test('empty input is no tables, not an error (the caller decides)', () => {
	assert.deepEqual(parseListing(''), {tables: [], warnings: [], approximate: false});
	assert.deepEqual(parseListing('\n\n  \n').tables, []);
});

test('garbage input', () => {
	const error = failure('hello world\nthis is not iptables\n');
	assert.equal(error.line, 1);
	assert.equal(error.message, 'line 1: expected a chain header (Chain NAME (…)): \'hello world\'');
});

test('a rule line before any chain header', () => {
	const error = failure(`\n${RULE}\n${HEADER}`);
	assert.equal(error.line, 2);
	assert.match(error.message, /^line 2: expected a chain header/);
	assert.ok(error.message.includes('1       60 ACCEPT'));
});

test('only a taint line: no chain header at all', () => {
	const error = failure('# Table `filter\' contains incompatible base-chains, use \'nft\' tool to list them.\n');
	assert.match(error.message, /no chain header/);
});

test('a malformed counter names its line and shows at most ~60 characters of it', () => {
	const error = failure(`${HEADER}${RULE}\n      12Q      100 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            ${'x'.repeat(200)}\n`);
	assert.equal(error.line, 4);
	assert.ok(error.message.startsWith('line 4: bad counter \'12Q\': \'      12Q      100 DROP       0    --'), error.message);
	assert.ok(error.message.length < 120, error.message);
	assert.ok(error.message.endsWith('…\''));
});

test('a bad policy counter and a counter above 2^64-1', () => {
	assert.match(failure('Chain INPUT (policy ACCEPT 1X packets, 0 bytes)\n    pkts      bytes target     prot opt in     out     source               destination\n').message, /^line 1: bad counter '1X'/);
	const huge = failure(`${HEADER}18446744073709551616        0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0\n`);
	assert.match(huge.message, /^line 3: counter '18446744073709551616' is larger than 2\^64-1/);
});

test('a line that is not a rule where no rule came before', () => {
	const error = failure(`${HEADER}what is this\n`);
	assert.equal(error.line, 3);
	assert.match(error.message, /^line 3: unexpected line/);
});

test('control characters in the offending line are replaced', () => {
	const error = failure('\u001B[2J\u0007evil\r\n');
	assert.equal(error.message, 'line 1: expected a chain header (Chain NAME (…)): \'\\x1b[2J\\x07evil\'');
});
