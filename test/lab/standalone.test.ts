// The standalone executable itself (scripts/build-standalone.mjs → a Node single executable
// application): copied to an empty directory and run with a PATH that holds no node, it prints
// its version, reads the lab's firewall with --once --json, without root replays the demo, and
// removes the bundle a run killed with SIGKILL left in the temporary directory.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {chmod, mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {createLab, type Lab} from '../../source/lab/lab.ts';
import {waitFor} from './helpers.ts';
import {requireLab} from './require-lab.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
// No directory here holds a node binary (/usr/bin/node is in /usr/bin): the executable must not need one.
const env = {PATH: '/usr/sbin:/sbin', HOME: '/nonexistent', LC_ALL: 'C'};
let directory = '';
let exe = '';

describe('the standalone executable', () => {
	before(async () => {
		directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-standalone-test-'));
		await chmod(directory, 0o755);
		exe = path.join(directory, `fwtop-linux-${process.arch}`);
		await execa(process.execPath, [path.join(root, 'scripts/build-standalone.mjs'), exe], {cwd: root, timeout: 240_000});
	});
	after(async () => {
		if (directory !== '') await rm(directory, {recursive: true, force: true});
	});

	test('a PATH without node, and --version', async () => {
		for (const dir of env.PATH.split(':')) assert.equal(existsSync(path.join(dir, 'node')), false, `${dir} has no node`);
		const {version} = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {version: string};
		const result = await execa(exe, ['--version'], {env, extendEnv: false, cwd: directory});
		assert.equal(result.stdout, version);
		assert.equal(result.stderr, '', 'no experimental warning');
	});

	test('--once --json --netns reads the lab', async t => {
		if (!await requireLab(t)) return;
		let lab: Lab | undefined;
		try {
			lab = await createLab({generation: 27});
			const result = await execa(exe, ['--once', '--json', '--netns', lab.host], {env, extendEnv: false, cwd: directory, reject: false, timeout: 60_000});
			assert.equal(result.exitCode, 0, result.stderr);
			const sample = JSON.parse(result.stdout) as {seq: number; elapsed: number; tables: Array<{name: string; chains: Array<{name: string}>}>};
			assert.equal(sample.seq, 2);
			assert.ok(sample.elapsed > 0);
			assert.ok(sample.tables.some(table => table.name === 'nat' && table.chains.some(chain => chain.name === 'DOCKER')));
		} finally {
			await lab?.teardown();
		}
	});

	test('a run killed with SIGKILL leaves its extracted bundle; the next start removes it', async () => {
		const tmp = await mkdtemp(path.join(os.tmpdir(), 'fwtop-standalone-tmp-'));
		const extracted = async () => (await readdir(tmp)).filter(name => name.startsWith('fwtop-sea-'));
		try {
			const recording = path.join(root, 'assets/demo-recording.ndjson.gz');
			const slow = execa(exe, ['--json', '--replay', recording, '--speed', '0.01'], {env: {...env, TMPDIR: tmp}, extendEnv: false, cwd: directory, reject: false, timeout: 30_000});
			let printed = '';
			slow.stdout.on('data', (chunk: Buffer) => {
				printed += chunk.toString();
			});
			await waitFor('the running executable\'s first sample', () => printed.includes('\n'), 20_000);
			slow.kill('SIGKILL');
			await slow;
			assert.equal((await extracted()).length, 1, 'SIGKILL runs no exit handler');
			const next = await execa(exe, ['--version'], {env: {...env, TMPDIR: tmp}, extendEnv: false, cwd: directory});
			assert.equal(next.exitCode, 0);
			assert.deepEqual(await extracted(), [], 'the next start removed the stale one, and its own on exit');
		} finally {
			await rm(tmp, {recursive: true, force: true});
		}
	});

	test('without root, --demo replays the recording carried inside the executable', {skip: process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') ? false : 'needs root and setpriv to run as nobody'}, async () => {
		const result = await execa('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', exe, '--demo', '--json', '--count', '2'], {env, extendEnv: false, cwd: directory, reject: false, timeout: 30_000});
		assert.equal(result.exitCode, 0, result.stderr);
		assert.equal(result.stdout.split('\n').length, 2);
		assert.match(result.stderr, new RegExp(`replaying a recording of the lab .* for the live lab run: sudo ${exe} --demo --json --count 2$`));
	});
});
