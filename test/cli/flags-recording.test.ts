import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {checkFlags, type RawFlags} from '../../source/cli/flags.ts';
import {rawFlags} from '../helpers/raw-flags.ts';
import {pickExtraMode} from '../../source/cli/extra-modes.ts';

// --record, --replay and --speed: what they combine with, and what they do not.


describe('--record / --replay flags', () => {
	test('--replay with --json and --speed; --record with any live mode', () => {
		const replay = checkFlags(rawFlags({replay: 'a.gz', json: true, speed: 4}), []);
		assert.deepEqual([replay.mode, replay.replay, replay.speed, replay.record], ['json', 'a.gz', 4, undefined]);
		assert.equal(checkFlags(rawFlags({replay: 'a.gz'}), []).speed, 1);
		for (const mode of [{}, {json: true}, {once: true}, {demo: true}]) {
			assert.equal(checkFlags(rawFlags({record: 'r.gz', ...mode}), []).record, 'r.gz');
		}
	});

	const usage: Array<[string, Partial<RawFlags>, RegExp]> = [
		['--speed alone', {speed: 2}, /--speed is for --replay/],
		['--speed 0', {replay: 'a', speed: 0}, /--speed must be a number from 0.01 to 1000/],
		['--record with --input', {record: 'r', input: 'dump'}, /--record cannot be combined with --input/],
		['--record with --replay', {record: 'r', replay: 'a'}, /--record cannot be combined with --replay/],
		['--replay with --netns', {replay: 'a', netns: 'lab'}, /--replay cannot be combined with --netns/],
		['--replay with --demo', {replay: 'a', demo: true}, /--replay cannot be combined with --demo/],
		['--replay with --iptables', {replay: 'a', iptables: '/sbin/iptables'}, /--replay cannot be combined with --iptables/],
		['an empty file name', {record: ''}, /--record needs a file name/],
	];
	for (const [what, flags, message] of usage) {
		test(`${what} is a usage error`, () => {
			assert.throws(() => checkFlags(rawFlags(flags), []), message);
		});
	}

	test('probe and --until do not record or replay', () => {
		assert.throws(() => pickExtraMode({asRoot: false, once: false, demo: false, record: 'r'}, ['probe'], ['true']), /probe cannot be combined with --record/);
		assert.throws(() => pickExtraMode({asRoot: false, once: false, demo: false, replay: 'r', until: 'x'}, [], undefined), /--until cannot be combined with --replay/);
	});
});
