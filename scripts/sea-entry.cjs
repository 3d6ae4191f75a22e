// The standalone executable's entry (a Node single executable application runs one CommonJS
// script). fwtop is an ES module with top-level await (Ink's yoga), which neither require() nor
// the SEA's own loader runs, so the bundle, stored as an asset, is written to a private temporary
// directory and imported from there by Node's ESM loader (vm's USE_MAIN_CONTEXT_DEFAULT_LOADER,
// Node ≥ 20.12): it then has a real file: URL for import.meta.url, and the demo recording beside it.
//
// The directory goes on exit; after `kill -9` (or a crash) it stays, so each start first sweeps
// the ones left behind (sweepStale). A shared content-addressed cache was the other option, and
// the worse one: its predictable name in a world-writable /tmp can be made in advance by another
// user, so root would have to verify the code on every start; a fresh mkdtemp directory (0700,
// unguessable) needs no such check. A SEA can require only built-in modules, so the sweep lives
// here; tests require this file (sea.isSea() is false there, so nothing runs but the exports).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {pathToFileURL} = require('node:url');
const vm = require('node:vm');
const sea = require('node:sea');

const PREFIX = 'fwtop-sea-';
// What mkdtemp makes of PREFIX: six characters of [A-Za-z0-9] (libuv's uv_fs_mkdtemp).
const OWN_NAME = /^fwtop-sea-[A-Za-z\d]{6}$/;
/** The file in the directory that says which process made it: `PID STARTTIME`. */
const OWNER = 'owner';

/** A process's start time in clock ticks since boot (/proc/PID/stat field 22), so that a pid the
 * kernel has given to a new process does not pass for the one that made the directory; null when
 * /proc does not say. */
function startTime(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
	} catch {
		return null;
	}
}

function alive(pid, started) {
	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: it exists, as another user.
		if (error.code !== 'EPERM') return false;
	}

	const now = startTime(pid);
	return now === null || started === '' || now === started;
}

/** The `PID STARTTIME` of a directory, read without following a symbolic link; null when the
 * file is missing, is not a regular file of `uid`, or says something else. */
function ownerOf(directory, uid) {
	const file = path.join(directory, OWNER);
	let fd;
	try {
		fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
		const stat = fs.fstatSync(fd);
		if (!stat.isFile() || stat.uid !== uid || stat.size > 64) return null;
		const match = /^(\d+) (\d*)\n?$/.exec(fs.readFileSync(fd, 'utf8'));
		return match === null ? null : {pid: Number(match[1]), started: match[2]};
	} catch {
		return null;
	} finally {
		if (fd !== undefined) fs.closeSync(fd);
	}
}

/** Removes the directories an earlier fwtop left in `tmp`: only a real directory (never a link)
 * named PREFIX + 6 characters, owned by `uid`, whose owner file (also ours, not a link) names a
 * process that is gone. Anything else, and anything in doubt, stays. Returns what it removed. */
function sweepStale(tmp, uid = process.getuid(), keep = '') {
	const removed = [];
	let names;
	try {
		names = fs.readdirSync(tmp);
	} catch {
		return removed;
	}

	for (const name of names.filter(candidate => OWN_NAME.test(candidate))) {
		const directory = path.join(tmp, name);
		try {
			const stat = fs.lstatSync(directory);
			if (directory === keep || !stat.isDirectory() || stat.uid !== uid) continue;
			const owner = ownerOf(directory, uid);
			if (owner === null || owner.pid === process.pid || alive(owner.pid, owner.started)) continue;
			// Removes what is inside, links as links (never their targets), then the directory.
			fs.rmSync(directory, {recursive: true, force: true});
			removed.push(directory);
		} catch {
			// Gone meanwhile, or not ours to remove: leave it.
		}
	}

	return removed;
}

/** mkdtemp: a new directory, mode 0700, so no other user can swap the code root is about to run;
 * its owner file tells a later start whether it is stale. */
function makeDirectory(tmp) {
	const directory = fs.mkdtempSync(path.join(tmp, PREFIX));
	fs.writeFileSync(path.join(directory, OWNER), `${process.pid} ${startTime(process.pid) ?? ''}\n`, {mode: 0o600});
	return directory;
}

function main() {
	// The one experimental API used here is the loader hook below; its warning is not for users.
	const emitWarning = process.emitWarning;
	process.emitWarning = (warning, ...rest) => {
		if (!String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) emitWarning.call(process, warning, ...rest);
	};

	const directory = makeDirectory(os.tmpdir());
	process.on('exit', () => {
		fs.rmSync(directory, {recursive: true, force: true});
	});
	sweepStale(os.tmpdir(), process.getuid(), directory);
	const write = (name, mode) => {
		const file = path.join(directory, name);
		fs.writeFileSync(file, new Uint8Array(sea.getAsset(name)), {mode});
		return file;
	};

	// fwtop --sudo and its "Run: sudo …" hint then name this executable, not node and a script.
	globalThis.fwtopStandalone = true;
	const entry = write('cli.mjs', 0o600);
	write('demo-recording.ndjson.gz', 0o600);
	// A SEA's argv is [executable, executable as typed, ...arguments], as under node: fwtop reads argv.slice(2).
	const script = new vm.Script(`import(${JSON.stringify(pathToFileURL(entry).href)})`, {
		filename: 'fwtop-standalone-entry',
		importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
	});
	script.runInThisContext().catch(error => {
		process.stderr.write(`fwtop: ${error && error.message ? error.message : String(error)}\n`);
		process.exitCode = 1;
	});
}

if (sea.isSea()) main();
module.exports = {PREFIX, OWNER, sweepStale, makeDirectory};
