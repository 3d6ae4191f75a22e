import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {writeJson} from '../../source/core/json.ts';
import {sampleJson} from '../../source/core/json-line.ts';
import {rateSample} from '../../source/core/rates.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';

describe('JSON output', () => {
	it('writes u64 counters as exact integers', () => {
		assert.equal(writeJson({n: 18_446_744_073_709_551_615n, m: 9_007_199_254_740_993n}), '{"n":18446744073709551615,"m":9007199254740993}');
	});

	it('escapes control characters in strings (a comment cannot break the line)', () => {
		const line = writeJson({comment: 'a\nb\u001B[2J'});
		assert.equal(line, String.raw`{"comment":"a\nb\u001b[2J"}`);
	});

	it('follows the documented contract: one line, fields in order', () => {
		const first = rateSample(null, sampleFromSave(dockerNat(5), 0)).state;
		const {rated} = rateSample(first, {...sampleFromSave(dockerNat(9), 500), seq: 2});
		const line = sampleJson(rated);
		assert.ok(!line.includes('\n'));
		const parsed = JSON.parse(line) as {seq: number; elapsed: number; tables: Array<{family: string; name: string; chains: Array<{name: string; rules: Array<Record<string, unknown>>}>}>};
		assert.deepEqual(Object.keys(parsed), ['seq', 'time', 'elapsed', 'readMs', 'approximate', 'source', 'warnings', 'tables']);
		assert.equal(parsed.elapsed, 0.5);
		const docker = parsed.tables[0]!.chains.find(chain => chain.name === 'DOCKER')!;
		const dnat = docker.rules[1]!;
		assert.deepEqual(Object.keys(dnat), ['id', 'index', 'target', 'goto', 'protocol', 'protocolRaw', 'opt', 'in', 'out', 'source', 'destination', 'options', 'comment', 'spec', 'packets', 'bytes', 'deltaPackets', 'deltaBytes', 'packetsPerSecond', 'bytesPerSecond', 'status']);
		assert.deepEqual([dnat['target'], dnat['packets'], dnat['deltaPackets'], dnat['packetsPerSecond'], dnat['status']], ['DNAT', 9, 4, 8, 'ok']);
	});
});
