import {access, readFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {RawFlags} from './flags.ts';
import {lookUp, type PasswdEntry} from './run-as.ts';
import {UsageError} from './usage-error.ts';

// Defaults from /etc/fwtop.json, then the user's $XDG_CONFIG_HOME/fwtop/config.json (default
// ~/.config/fwtop/config.json); flags given on the command line override both. Under sudo the
// user's file is the invoking user's (SUDO_UID's home from passwd), not root's: preferences follow
// the person. The keys can only choose among fwtop's own settings (no binary, no path), so a
// user's file read by root cannot make it run anything.

export type Config = {
	interval?: number;
	units?: 'bytes' | 'bits';
	color?: boolean;
	hiddenChains?: string[];
	backend?: string;
	strategy?: string;
};

export const SYSTEM_CONFIG = '/etc/fwtop.json';

type Check = (value: unknown) => string | undefined;

const oneOf = (...allowed: string[]): Check => value =>
	(typeof value === 'string' && allowed.includes(value) ? undefined : `must be one of ${allowed.map(item => `"${item}"`).join(', ')}`);

const KEYS: Record<keyof Config, Check> = {
	interval: value => (typeof value === 'number' && value >= 0.1 && value <= 3600 ? undefined : 'must be a number of seconds from 0.1 to 3600'),
	units: oneOf('bytes', 'bits'),
	color: value => (typeof value === 'boolean' ? undefined : 'must be true or false'),
	hiddenChains: value => (Array.isArray(value) && value.every(item => typeof item === 'string' && item !== '') ? undefined
		: 'must be a list of chain names, e.g. ["DOCKER-ISOLATION-STAGE-*", "raw/PREROUTING"]'),
	backend: oneOf('auto', 'nft', 'legacy', 'nftables'),
	strategy: oneOf('save', 'list'),
};

/** One config file's text: a JSON object of known keys with valid values; else a one-line error
 * naming the file and the key. */
export function parseConfig(text: string, file: string): Config {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new UsageError(`config ${file}: not valid JSON (${(error as Error).message})`);
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`config ${file}: must be a JSON object, e.g. {"interval": 2}`);
	for (const [key, item] of Object.entries(value)) {
		const check = KEYS[key as keyof Config] as Check | undefined;
		if (check === undefined) throw new UsageError(`config ${file}: unknown key "${key}" (known: ${Object.keys(KEYS).join(', ')})`);
		const problem = check(item);
		if (problem !== undefined) throw new UsageError(`config ${file}: "${key}" ${problem} (got ${JSON.stringify(item)})`);
	}

	return value as Config;
}

export type ConfigPlace = {env: NodeJS.ProcessEnv; euid: number | undefined; home: string; passwd: (uid: number) => Promise<PasswdEntry | undefined>};

/** The user's config file: the sudo user's under sudo, else $XDG_CONFIG_HOME's or ~/.config's. */
export async function userConfigFile(place: ConfigPlace): Promise<string | undefined> {
	const sudoUid = place.env['SUDO_UID'];
	if (place.euid === 0 && sudoUid !== undefined && /^\d+$/.test(sudoUid) && sudoUid !== '0') {
		const entry = await place.passwd(Number(sudoUid));
		return entry === undefined ? undefined : path.join(entry.home, '.config', 'fwtop', 'config.json');
	}

	const xdg = place.env['XDG_CONFIG_HOME'];
	// The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
	const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(place.home, '.config');
	return path.join(base, 'fwtop', 'config.json');
}

async function readConfig(file: string): Promise<Config> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return {};
		// A HOME we may not enter (su, setpriv and sudo -u keep the caller's): no config of ours there.
		if (code === 'EACCES' && !await access(path.dirname(file)).then(() => true, () => false)) return {};
		throw new UsageError(`config ${file}: cannot read it (${code ?? 'error'})`);
	}

	return parseConfig(text, file);
}

const systemPlace = (): ConfigPlace => ({env: process.env, euid: process.geteuid?.(), home: os.homedir(), passwd: lookUp});

/** /etc/fwtop.json, then the user's file over it. */
export async function loadConfig(place: ConfigPlace = systemPlace(), system = SYSTEM_CONFIG): Promise<Config> {
	const user = await userConfigFile(place);
	return {...await readConfig(system), ...(user === undefined ? {} : await readConfig(user))};
}

/** The long flags given on the command line (`--no-color` → color), before a probe's `--`. */
export function givenFlags(argv: string[]): Set<string> {
	const given = new Set<string>();
	for (const arg of argv) {
		if (arg === '--') break;
		const match = /^--(?:no-)?([a-z][\w-]*)/.exec(arg);
		if (match) given.add(match[1]!.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()));
	}

	return given;
}

/** The flags with the config's values wherever the command line did not set them. */
export function applyConfig<T extends RawFlags>(flags: T, config: Config, given: Set<string>): T {
	const unset = (name: string) => !given.has(name);
	return {
		...flags,
		...(config.interval !== undefined && unset('interval') ? {interval: config.interval} : {}),
		...(config.units !== undefined && unset('bits') ? {bits: config.units === 'bits'} : {}),
		...(config.color !== undefined && unset('color') ? {color: config.color} : {}),
		...(config.backend !== undefined && unset('backend') ? {backend: config.backend} : {}),
		...(config.strategy !== undefined && unset('strategy') ? {strategy: config.strategy} : {}),
	};
}
