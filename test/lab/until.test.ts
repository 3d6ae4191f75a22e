// End to end: `fwtop --until PATTERN` on a namespace lab: exit 0 with the rule once traffic
// starts, 1 on --until-timeout, 2 for a pattern that matches no rule.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {execa} from 'execa';
import {published} from '../../source/lab/lab.ts';
import {cliPath, withCliLab} from './cli-lab.ts';
import {parseJsonExact} from './helpers.ts';

function until(host: string, args: string[]) {
	return execa(process.execPath, [cliPath, '--netns', host, '--interval', '0.2', '--until', ...args], {
		reject: false,
		timeout: 20_000,
		stdin: 'ignore',
	});
}

test('fwtop --until: 0 when traffic starts, 1 on timeout, 2 for a pattern that matches nothing', async t => {
	await withCliLab(t, async lab => {
		await t.test('exit 0 and the rule, once a connection crosses the DNAT', async () => {
			for (const json of [false, true]) {
				const child = until(lab.host, ['nat/DOCKER:to:172.17.0.2:80', '--until-timeout', '15', ...(json ? ['--json'] : [])]);
				// fwtop's first sample is the baseline: keep connecting until it has seen one after it.
				for (let i = 0; i < 40 && child.exitCode === null; i++) {
					await lab.curl(published.a, {count: 1});
					await new Promise(resolve => setTimeout(resolve, 250));
				}

				const result = await child;
				assert.equal(result.exitCode, 0, String(result.stderr));
				const stdout = String(result.stdout);
				if (json) {
					const rule = parseJsonExact(stdout) as Record<string, unknown>;
					assert.deepEqual([rule['family'], rule['table'], rule['chain'], rule['target']], ['ipv4', 'nat', 'DOCKER', 'DNAT']);
					assert.ok(Number(rule['deltaPackets']) >= 1);
				} else {
					assert.match(stdout, /^ipv4 nat DOCKER #3 {2}! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 172\.17\.0\.2:80 {2}\(\+\d+ packets, \d+ in all\)$/);
				}
			}
		});

		await t.test('exit 1 when nothing matches in time', async () => {
			const started = Date.now();
			const result = await until(lab.host, ['DOCKER:dpt:8080', '--until-timeout', '1']);
			assert.equal(result.exitCode, 1);
			assert.match(String(result.stderr), /^fwtop: no packet matched DOCKER:dpt:8080 within 1 s$/);
			assert.equal(String(result.stdout), '');
			assert.ok(Date.now() - started < 8000);
		});

		await t.test('exit 2 for a pattern that matches no rule', async () => {
			const result = await until(lab.host, ['nat/DOCKER:dpt:443']);
			assert.equal(result.exitCode, 2);
			assert.match(String(result.stderr), /no rule matches \(looked for nat DOCKER rules containing "dpt:443"\)/);
		});
	});
});
