// The standalone executable's start-up sweep (scripts/sea-entry.cjs): after a `kill -9` its
// extracted bundle stays in the temporary directory, and the next start removes it — and nothing
// else: not a live run's, not another user's, not a link or what it points to, not a name of
// another program. Run in a temporary directory standing in for /tmp.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readFileSync, statSync} from 'node:fs';
import {chown, mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {after, before, test} from 'node:test';

type Entry = {
	PREFIX: string;
	OWNER: string;
	sweepStale(tmp: string, uid?: number, keep?: string): string[];
	makeDirectory(tmp: string): string;
};
const entry = createRequire(import.meta.url)('../../scripts/sea-entry.cjs') as Entry;
const uid = process.getuid!();

let tmp = '';
let sleeper: ReturnType<typeof spawn> | undefined;
before(async () => {
	tmp = await mkdtemp(path.join(os.tmpdir(), 'fwtop-sweep-test-'));
});
after(async () => {
	sleeper?.kill();
	await rm(tmp, {recursive: true, force: true});
});

/** A pid that was alive a moment ago and is not now. */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'});
	return Number(child.stdout);
}

/** A directory as an earlier run leaves it: the bundle and its owner file. */
async function leftBehind(name: string, owner: string | null): Promise<string> {
	const directory = path.join(tmp, name);
	await mkdir(directory, {mode: 0o700});
	await writeFile(path.join(directory, 'cli.mjs'), 'export {};\n');
	if (owner !== null) await writeFile(path.join(directory, entry.OWNER), owner);
	return directory;
}

test('makeDirectory: a fresh 0700 directory with the prefix that says which process made it', async () => {
	const directory = entry.makeDirectory(tmp);
	assert.match(path.basename(directory), /^fwtop-sea-[A-Za-z\d]{6}$/);
	assert.equal(statSync(directory).mode & 0o777, 0o700);
	assert.match(readFileSync(path.join(directory, entry.OWNER), 'utf8'), new RegExp(`^${process.pid} \\d+\\n$`));
	assert.deepEqual(entry.sweepStale(tmp, uid), [], 'this process is alive: its directory stays');
	assert.ok(existsSync(directory));
	await rm(directory, {recursive: true});
});

test('sweepStale removes what a killed run left, and only that', async () => {
	const dead = deadPid();
	sleeper = spawn('sleep', ['30']);
	const stale = await leftBehind('fwtop-sea-Stale1', `${dead} 12345\n`);
	const reused = await leftBehind('fwtop-sea-Reuse1', `${sleeper.pid!} 1\n`);
	const live = await leftBehind('fwtop-sea-Alive1', `${process.pid} ${readFileSync(`/proc/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!}\n`);
	const starting = await leftBehind('fwtop-sea-NoOwnr', null);
	const otherName = await leftBehind('fwtop-record-Stale1', `${dead} 1\n`);
	const longName = await leftBehind('fwtop-sea-Stale12', `${dead} 1\n`);
	const garbled = await leftBehind('fwtop-sea-Garble', 'rm -rf /\n');
	// A link with our name, to a directory that looks stale: neither the link nor its target goes.
	const target = await leftBehind('elsewhere', `${dead} 1\n`);
	await symlink(target, path.join(tmp, 'fwtop-sea-Link01'));
	// A stale directory whose owner file is a link to one of ours: in doubt, it stays.
	const linkedOwner = await leftBehind('fwtop-sea-LinkOw', null);
	await symlink(path.join(stale, entry.OWNER), path.join(linkedOwner, entry.OWNER));
	// Inside a stale directory, a link to a file elsewhere: the link goes, the file stays.
	const precious = path.join(target, 'precious');
	await writeFile(precious, 'keep me\n');
	await symlink(precious, path.join(stale, 'link-out'));
	const others: string[] = [];
	if (uid === 0) {
		const foreign = await leftBehind('fwtop-sea-Nobody', `${dead} 1\n`);
		await chown(foreign, 65_534, 65_534);
		await chown(path.join(foreign, entry.OWNER), 65_534, 65_534);
		others.push(foreign);
	}

	assert.deepEqual(entry.sweepStale(tmp, uid).sort(), [stale, reused].sort(), 'a dead pid, and a live pid that started later (reused)');
	for (const kept of [live, starting, otherName, longName, garbled, target, linkedOwner, precious, ...others]) assert.ok(existsSync(kept), `${kept} stays`);
	assert.ok(existsSync(path.join(tmp, 'fwtop-sea-Link01')), 'the link stays');
	assert.deepEqual(entry.sweepStale(path.join(tmp, 'missing'), uid), [], 'no temporary directory: nothing to do');
});

test('another uid\'s directories are never removed, whatever their owner file says', async () => {
	const dead = deadPid();
	const directory = await leftBehind('fwtop-sea-Uid999', `${dead} 1\n`);
	assert.deepEqual(entry.sweepStale(tmp, uid + 1), []);
	assert.ok(existsSync(directory));
	assert.deepEqual(entry.sweepStale(tmp, uid), [directory]);
});
