import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatAge, formatBytes, formatCount, formatDuration, formatInterval, formatRate, sparkline} from '../../source/ui/format.ts';

test('formatRate: packets per second as the issue shows them', () => {
	assert.equal(formatRate(29, 'packets'), '29/s');
	assert.equal(formatRate(29.4, 'packets'), '29/s');
	assert.equal(formatRate(2.34, 'packets'), '2.3/s');
	assert.equal(formatRate(0.04, 'packets'), '<0.1/s');
	assert.equal(formatRate(0, 'packets'), '0/s');
	assert.equal(formatRate(1234, 'packets'), '1.2k/s');
	assert.equal(formatRate(456_789, 'packets'), '457k/s');
	assert.equal(formatRate(2_500_000, 'packets'), '2.5M/s');
});

test('formatRate: bytes and bits with SI units', () => {
	assert.equal(formatRate(1700, 'bytes'), '1.7 kB/s');
	assert.equal(formatRate(1700, 'bytes', true), '13.6 kb/s');
	assert.equal(formatRate(512, 'bytes'), '512 B/s');
	assert.equal(formatRate(0, 'bytes'), '0 B/s');
	assert.equal(formatRate(0.5, 'bytes'), '<1 B/s');
	assert.equal(formatRate(123_456, 'bytes'), '123 kB/s');
	assert.equal(formatRate(999_999, 'bytes'), '1.0 MB/s');
	assert.equal(formatRate(12_500_000_000, 'bytes', true), '100 Gb/s');
});

test('formatRate: an unknown rate is a dash, never 0', () => {
	assert.equal(formatRate(null, 'packets'), '–');
	assert.equal(formatRate(null, 'bytes', true), '–');
	assert.equal(formatRate(Number.NaN, 'bytes'), '–');
});

test('formatCount groups or compacts u64 counters without losing precision', () => {
	assert.equal(formatCount(0n), '0');
	assert.equal(formatCount(999n), '999');
	assert.equal(formatCount(1234n), '1.2k');
	assert.equal(formatCount(12_345_678n), '12.3M');
	assert.equal(formatCount(18_446_744_073_709_551_615n, 'grouped'), '18,446,744,073,709,551,615');
	assert.equal(formatCount(1_234_567n, 'grouped'), '1,234,567');
});

test('formatBytes', () => {
	assert.equal(formatBytes(512n), '512 B');
	assert.equal(formatBytes(1700n), '1.7 kB');
	assert.equal(formatBytes(21_000_000_000n), '21.0 GB');
	assert.equal(formatBytes(1_234_567n, 'grouped'), '1,234,567 B');
});

test('formatAge, formatDuration, formatInterval', () => {
	assert.equal(formatAge(400), '0.4s');
	assert.equal(formatAge(-5), '0.0s');
	assert.equal(formatAge(12_300), '12s');
	assert.equal(formatAge(185_000), '3m05s');
	assert.equal(formatAge(7_380_000), '2h03m');
	assert.equal(formatDuration(35.4), '35ms');
	assert.equal(formatDuration(1234), '1.2s');
	assert.equal(formatInterval(1000), '1s');
	assert.equal(formatInterval(500), '0.5s');
	assert.equal(formatInterval(250), '0.25s');
	assert.equal(formatInterval(2345), '2.35s');
});

test('sparkline scales to the window maximum; unknown and zero are blank', () => {
	assert.equal(sparkline([0, 1, 2, 4, 8], 5), ' ▂▃▅█');
	assert.equal(sparkline([null, 8, 0.001], 3), ' █▁');
	assert.equal(sparkline([5], 4), '   █');
	assert.equal(sparkline([1, 2, 3, 4, 5, 6], 3), '▆▇█');
	assert.equal(sparkline([], 3), '   ');
	assert.equal(sparkline([1], 0), '');
});
