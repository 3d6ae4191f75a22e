// tierUpFor: on a small host V8 optimises a function that runs now and then later than it would,
// and one that runs hot still; on a big one, as V8 would. Each case is a fresh Node process (the
// budget is process-wide) that asks V8 itself (%GetOptimizationStatus, through
// --allow-natives-syntax) whether a small function was optimised after a number of calls;
// --no-concurrent-recompilation makes the optimisation happen at once.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {budgetFor, DEFAULT_INTERRUPT_BUDGET, ruleCount, SMALL_HOST_BUDGET, SMALL_HOST_RULES} from '../../source/collect/tier-up.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';

const module = fileURLToPath(new URL('../../source/collect/tier-up.ts', import.meta.url));

/** True when `work` is optimised after `calls` calls, after tierUpFor(each of `hosts`) if any. */
function optimisedAfter(calls: number, hosts: number[]): boolean {
	const script = `
		import {tierUpFor} from ${JSON.stringify(module)};
		for (const rules of ${JSON.stringify(hosts)}) tierUpFor(rules);
		const status = new Function('f', 'return %GetOptimizationStatus(f)');
		function work(a) { let s = 0; for (let i = 0; i < 8; i++) s += (a * i) % 7; return s; }
		let total = 0;
		for (let i = 0; i < ${calls}; i++) total += work(i);
		process.stdout.write((status(work) & 16) !== 0 && total > 0 ? 'optimised' : 'not');
	`;
	const output = execFileSync(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', '--no-concurrent-recompilation', '--input-type=module', '-e', script], {encoding: 'utf8'});
	return output === 'optimised';
}

describe('tierUpFor', () => {
	it('on a small host, leaves a function that ran 1,000 times unoptimised, which V8 would have optimised', () => {
		assert.equal(optimisedAfter(1000, []), true, 'V8 by default, and before the first sample');
		assert.equal(optimisedAfter(1000, [62]), false, 'a 62-rule host');
		assert.equal(optimisedAfter(1000, [62, 1999]), false, 'still small');
	});

	it('on a small host, still optimises a function that runs hot', () => {
		assert.equal(optimisedAfter(20_000, [62]), true);
	});

	it('leaves a big host V8\'s own budget, and gives it back to a host that grew big', () => {
		assert.equal(optimisedAfter(1000, [50_000]), true);
		assert.equal(optimisedAfter(1000, [62, 50_000]), true);
	});

	it('draws the line at SMALL_HOST_RULES', () => {
		assert.equal(budgetFor(SMALL_HOST_RULES - 1), SMALL_HOST_BUDGET);
		assert.equal(budgetFor(SMALL_HOST_RULES), DEFAULT_INTERRUPT_BUDGET);
	});
});

describe('ruleCount', () => {
	it('counts the rules of every chain of every table', () => {
		// nat PREROUTING's jump to DOCKER, DOCKER's RETURN and DNAT, and one more inserted.
		assert.equal(ruleCount(sampleFromSave(dockerNat(1), 0)), 3);
		assert.equal(ruleCount(sampleFromSave(dockerNat(1, {inserted: '[0:0] -A DOCKER -i br-1 -j RETURN'}), 0)), 4);
		assert.equal(ruleCount({tables: []}), 0);
	});
});
