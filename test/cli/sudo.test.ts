// --sudo and the printed sudo command: absolute node and script, the same arguments minus --sudo.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {sudoCommand} from '../../source/cli/exit.ts';
import {currentInvocation, runUnderSudo, sudoArgs} from '../../source/cli/sudo.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const node = '/home/me/.nvm/versions/node/v20.20.2/bin/node';

describe('--sudo', () => {
	test('node and the script by absolute path, the arguments without --sudo', () => {
		const invocation = currentInvocation([node, 'dist/cli.js', '--json', '--sudo', '--interval', '0.5'], node, false);
		assert.deepEqual(sudoArgs(invocation), [node, `${process.cwd()}/dist/cli.js`, '--json', '--interval', '0.5']);
	});

	test('a probe command after -- keeps its own --sudo', () => {
		const invocation = currentInvocation([node, '/opt/fwtop/cli.js', 'probe', '--sudo', '--', 'tool', '--sudo'], node, false);
		assert.deepEqual(sudoArgs(invocation), [node, '/opt/fwtop/cli.js', 'probe', '--', 'tool', '--sudo']);
	});

	test('the standalone executable runs itself, with no script', () => {
		const exe = '/usr/local/bin/fwtop-linux-x64';
		assert.deepEqual(sudoArgs(currentInvocation([exe, './fwtop-linux-x64', '--sudo', '--once'], exe, true)), [exe, '--once']);
	});

	test('the printed command is the one --sudo runs, quoted for a shell', () => {
		assert.equal(sudoCommand([node, '/opt/fwtop/cli.js', '--filter', "it's", '--sudo'], node, false), `sudo ${node} /opt/fwtop/cli.js --filter 'it'\\''s'`);
	});

	test('runs sudo with those words and returns its exit code (128 + n after signal n)', async () => {
		const calls: string[][] = [];
		const invocation = {execPath: node, script: '/opt/fwtop/cli.js', args: ['--once', '--sudo']};
		const code = await runUnderSudo(invocation, async (file, args) => {
			calls.push([file, ...args]);
			return {exitCode: 4};
		}, '/usr/bin/sudo');
		assert.equal(code, 4);
		assert.deepEqual(calls, [['/usr/bin/sudo', node, '/opt/fwtop/cli.js', '--once']]);
		assert.equal(await runUnderSudo(invocation, async () => ({signal: 'SIGTERM'}), '/usr/bin/sudo'), 143);
		await assert.rejects(runUnderSudo(invocation, async () => ({exitCode: 0}), undefined), /--sudo needs sudo, which is not installed/);
	});

	test('not root: exit 4 and the exact command on one line', {skip: existsSync(cliPath) ? false : 'dist/ is missing: run npm run build'}, async t => {
		// As root, run as nobody; otherwise we are not root already.
		const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
		const [file, ...rest] = [...asNobody, process.execPath, cliPath, '--json', '--count', '1', '-4'];
		const result = await execa(file!, rest, {reject: false, timeout: 30_000});
		if (result.exitCode === 3) {
			t.skip('iptables is not installed here');
			return;
		}

		assert.equal(result.exitCode, 4, result.stderr);
		assert.equal(result.stderr, `fwtop: reading the firewall needs root (${result.stderr.match(/root \((.*)\)\. Run/)?.[1] ?? '?'}). Run: sudo ${process.execPath} ${cliPath} --json --count 1 -4 (or add --sudo)`);
		assert.match(result.stderr, /Permission denied|must be root|not permitted/i);
	});
});
