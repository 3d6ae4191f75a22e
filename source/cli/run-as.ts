import {readFile} from 'node:fs/promises';
import {findBinary} from '../collect/binaries.ts';
import {UsageError} from './usage-error.ts';

// Probing must not quietly give a test command root: under sudo the command runs as the user who
// ran sudo (SUDO_UID/SUDO_GID, set by sudo(8)), unless --as-root. Node's spawn (libuv) calls
// setgroups(0) before setgid/setuid, so the command gets the user's uid and gid but none of their
// supplementary groups.

export type RunAs = {uid: number; gid: number; env: Record<string, string>; note: string};

export type PasswdEntry = {name: string; uid: number; gid: number; home: string};

/** One `name:x:uid:gid:gecos:home:shell` line (passwd(5)), or undefined. */
export function parsePasswdLine(line: string): PasswdEntry | undefined {
	const fields = line.trim().split(':');
	if (fields.length < 7 || !/^\d+$/.test(fields[2]!) || !/^\d+$/.test(fields[3]!)) return undefined;
	return {name: fields[0]!, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5]!};
}

/** The passwd entry of `uid`: `getent passwd` (NSS: LDAP, sssd…), else /etc/passwd. */
export async function lookUp(uid: number): Promise<PasswdEntry | undefined> {
	const getent = findBinary('getent');
	if (getent !== undefined) {
		// Loaded here, not at start-up: execa is a quarter of a megabyte that fwtop's start would parse.
		const {execa} = await import('execa');
		const result = await execa(getent, ['passwd', String(uid)], {reject: false, timeout: 5000, stdin: 'ignore'});
		const entry = result.exitCode === 0 ? parsePasswdLine(String(result.stdout).split('\n')[0] ?? '') : undefined;
		if (entry !== undefined) return entry;
	}

	const text = await readFile('/etc/passwd', 'utf8').catch(() => '');
	return text.split('\n').map(line => parsePasswdLine(line)).find(entry => entry?.uid === uid);
}

function id(name: string, value: string | undefined): number | undefined {
	if (value === undefined || value === '') return undefined;
	if (!/^\d+$/.test(value)) throw new UsageError(`${name} is '${value}', not a number: cannot tell whom to run the command as (use --as-root to run it as root)`);
	return Number(value);
}

/** Whom to run the probed command as; null: as fwtop itself. */
export async function invokingUser(asRoot: boolean, env: NodeJS.ProcessEnv = process.env, euid = process.geteuid?.()): Promise<RunAs | null> {
	if (asRoot || euid !== 0) return null;
	const uid = id('SUDO_UID', env['SUDO_UID']);
	if (uid === undefined || uid === 0) return null;
	const entry = await lookUp(uid);
	const gid = id('SUDO_GID', env['SUDO_GID']) ?? entry?.gid ?? uid;
	const name = entry?.name ?? env['SUDO_USER'];
	const who = name === undefined ? `uid ${uid}` : `${name} (uid ${uid}, gid ${gid})`;
	const userEnv: Record<string, string> = name === undefined ? {} : {USER: name, LOGNAME: name};
	if (entry !== undefined) userEnv['HOME'] = entry.home;
	const home = entry === undefined ? ' No passwd entry was found for that uid, so HOME was left as it was.' : '';
	return {uid, gid, env: userEnv, note: `The command ran as ${who}, who ran sudo (use --as-root to run it as root).${home}`};
}
