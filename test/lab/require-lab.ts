// The namespace lab needs root, iproute2 and iptables. In CI (CI=true) it is mandatory: a machine
// that cannot run it fails the suite with the reason. Elsewhere the lab tests skip, saying why.
import assert from 'node:assert/strict';
import type {TestContext} from 'node:test';
import {labAvailable, type Backend} from '../../source/lab/lab.ts';

let signalsHandled = false;

/** SIGINT/SIGTERM would kill the test process without running `exit` handlers; turn them into an
 * exit so the lab's exit hook deletes its namespaces. */
function exitOnSignals(): void {
	if (!signalsHandled) {
		signalsHandled = true;
		process.once('SIGINT', () => process.exit(130));
		process.once('SIGTERM', () => process.exit(143));
	}
}

/** True when the lab can run; otherwise fails (CI) or skips the test (returns false). */
export async function requireLab(t: TestContext, options: {backend?: Backend} = {}): Promise<boolean> {
	exitOnSignals();
	const available = await labAvailable(options);
	if (available.ok) {
		return true;
	}

	if (process.env.CI === 'true') {
		assert.fail(`the namespace lab is mandatory in CI but cannot run here: ${available.reason}`);
	}

	t.skip(`namespace lab unavailable: ${available.reason}`);
	return false;
}
