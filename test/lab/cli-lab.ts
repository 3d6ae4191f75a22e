// The set-up of the lab tests that run the built fwtop (dist/cli.js) against a namespace lab: the
// lab must be able to run (root, iproute2, iptables; mandatory in CI), dist/cli.js must exist
// (npm test builds it first), and the lab goes whatever the test does.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import type {TestContext} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createLab, type Lab, type LabOptions} from '../../source/lab/lab.ts';
import {requireLab} from './require-lab.ts';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs `run` with a fresh lab (Docker 27's rules unless `options` say otherwise) and tears it
 * down after; skips the test, saying why, where the lab or dist/cli.js is missing (outside CI). */
export async function withCliLab(t: TestContext, run: (lab: Lab) => Promise<void>, options: LabOptions = {generation: 27}): Promise<void> {
	if (!await requireLab(t)) return;
	if (!existsSync(cliPath)) {
		assert.ok(process.env['CI'] !== 'true', `${cliPath} is missing: npm test builds it first (npm run build)`);
		t.skip(`${cliPath} is missing: run npm run build`);
		return;
	}

	const lab = await createLab(options);
	try {
		await run(lab);
	} finally {
		await lab.teardown();
	}
}
