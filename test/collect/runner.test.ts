import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {spawnRunner} from '../../source/collect/runner.ts';

// The runner decodes the child's output as it arrives (runner.ts): what it returns must be the
// text of all the bytes at once, also when a multi-byte character is split between two reads.

const run = async (script: string) => spawnRunner(process.execPath, ['-e', script], {timeoutMs: 20_000});

describe('spawn runner', () => {
	it('joins a UTF-8 character split between two reads', async () => {
		// `ü` is C3 BC and `€` E2 82 AC; the pause makes the halves arrive as separate chunks.
		const result = await run(`
			process.stdout.write(Buffer.from([0x61, 0xC3]));
			process.stderr.write(Buffer.from([0xE2, 0x82]));
			setTimeout(() => {
				process.stdout.write(Buffer.from([0xBC, 0x0A]));
				process.stderr.write(Buffer.from([0xAC]));
			}, 100);
		`);
		assert.equal(result.exitCode, 0);
		assert.equal(result.stdout, 'aü\n');
		assert.equal(result.stderr, '€');
	});

	it('returns megabytes of output whole, and a cut-off character as the replacement character', async () => {
		const result = await run(`
			const line = 'ü'.repeat(50) + '\\n';
			let left = 40000;
			const more = () => {
				while (left > 0) {
					left--;
					if (!process.stdout.write(line)) return process.stdout.once('drain', more);
				}
				process.stdout.write(Buffer.from([0xC3]));
			};
			more();
		`);
		assert.equal(result.stdout, ('ü'.repeat(50) + '\n').repeat(40_000) + '\uFFFD');
	});

	it('hands the output to a stdout callback as it arrives, and returns none itself', async () => {
		const pieces: string[] = [];
		const script = `
			process.stdout.write('first\\n');
			process.stdout.write(Buffer.from([0x61, 0xC3]));
			setTimeout(() => process.stdout.write(Buffer.from([0xBC, 0x0A])), 100);
		`;
		const result = await spawnRunner(process.execPath, ['-e', script], {timeoutMs: 20_000, stdout: piece => pieces.push(piece)});
		assert.equal(result.exitCode, 0);
		assert.equal(result.stdout, '');
		assert.ok(pieces.length >= 2, `${pieces.length} pieces`);
		assert.equal(pieces.join(''), 'first\naü\n');
	});
});

