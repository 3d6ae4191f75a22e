// tierUpLater: V8 optimises a function that runs now and then later than it would, and one that
// runs hot still. Each case is a fresh Node process (the flag is process-wide) that asks V8 itself
// (%GetOptimizationStatus, through --allow-natives-syntax) whether a small function was optimised
// after a number of calls; --no-concurrent-recompilation makes the optimisation happen at once.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';

const module = fileURLToPath(new URL('../../source/collect/tier-up.ts', import.meta.url));

/** True when `work` is optimised after `calls` calls, with or without tierUpLater() first. */
function optimisedAfter(calls: number, tuned: boolean): boolean {
	const script = `
		import {tierUpLater} from ${JSON.stringify(module)};
		if (${tuned}) tierUpLater();
		const status = new Function('f', 'return %GetOptimizationStatus(f)');
		function work(a) { let s = 0; for (let i = 0; i < 8; i++) s += (a * i) % 7; return s; }
		let total = 0;
		for (let i = 0; i < ${calls}; i++) total += work(i);
		process.stdout.write((status(work) & 16) !== 0 && total > 0 ? 'optimised' : 'not');
	`;
	const output = execFileSync(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', '--no-concurrent-recompilation', '--input-type=module', '-e', script], {encoding: 'utf8'});
	return output === 'optimised';
}

describe('tierUpLater', () => {
	it('leaves a function that ran 1,000 times unoptimised, which V8 would have optimised', () => {
		assert.equal(optimisedAfter(1000, false), true, 'V8 by default');
		assert.equal(optimisedAfter(1000, true), false, 'after tierUpLater');
	});

	it('still optimises a function that runs hot', () => {
		assert.equal(optimisedAfter(20_000, true), true);
	});
});
