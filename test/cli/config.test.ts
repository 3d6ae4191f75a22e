// The config files: where they are (XDG, sudo), what they may say, that flags win, and the
// one-line error (file and key, exit 2) for a bad one.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {applyConfig, givenFlags, loadConfig, parseConfig, userConfigFile, type ConfigPlace} from '../../source/cli/config.ts';
import {hideChains} from '../../source/core/hide-chains.ts';
import {rateSample} from '../../source/core/rates.ts';
import {dockerNat, sampleFromSave} from '../helpers/samples.ts';
import {rawFlags} from '../helpers/raw-flags.ts';

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const demoRecording = fileURLToPath(new URL('../../assets/demo-recording.ndjson.gz', import.meta.url));
const directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-config-'));
after(async () => rm(directory, {recursive: true, force: true}));

const place = (extra: Partial<ConfigPlace> = {}): ConfigPlace => ({env: {}, euid: 1000, home: '/home/me', passwd: async () => undefined, ...extra});

describe('config', () => {
	test('the user file: XDG_CONFIG_HOME when absolute, else ~/.config; under sudo the sudo user\'s', async () => {
		assert.equal(await userConfigFile(place()), '/home/me/.config/fwtop/config.json');
		assert.equal(await userConfigFile(place({env: {XDG_CONFIG_HOME: '/xdg'}})), '/xdg/fwtop/config.json');
		assert.equal(await userConfigFile(place({env: {XDG_CONFIG_HOME: 'relative'}})), '/home/me/.config/fwtop/config.json');
		const sudo = place({euid: 0, home: '/root', env: {SUDO_UID: '1000', XDG_CONFIG_HOME: '/root/.xdg'}, passwd: async uid => ({name: 'me', uid, gid: uid, home: '/home/me'})});
		assert.equal(await userConfigFile(sudo), '/home/me/.config/fwtop/config.json');
		assert.equal(await userConfigFile({...sudo, env: {SUDO_UID: '0'}}), '/root/.config/fwtop/config.json');
	});

	test('every key, and the errors name the file and the key', () => {
		const all = {interval: 2, units: 'bits', color: false, hiddenChains: ['DOCKER-ISOLATION-*'], backend: 'legacy', strategy: 'list'};
		assert.deepEqual(parseConfig(JSON.stringify(all), 'c.json'), all);
		const bad: Array<[string, RegExp]> = [
			['{"interval": "fast"}', /config c\.json: "interval" must be a number of seconds from 0\.1 to 3600 \(got "fast"\)$/],
			['{"units": "packets"}', /config c\.json: "units" must be one of "bytes", "bits" \(got "packets"\)$/],
			['{"iptables": "/tmp/x"}', /config c\.json: unknown key "iptables" \(known: interval, units, color, hiddenChains, backend, strategy\)$/],
			['{"hiddenChains": "DOCKER"}', /config c\.json: "hiddenChains" must be a list of chain names/],
			['[1]', /config c\.json: must be a JSON object/],
			['{interval: 1}', /config c\.json: not valid JSON \(/],
		];
		for (const [text, message] of bad) assert.throws(() => parseConfig(text, 'c.json'), message, text);
	});

	test('/etc/fwtop.json, then the user\'s file over it; missing files are no error', async () => {
		const system = path.join(directory, 'fwtop.json');
		await writeFile(system, '{"interval": 5, "units": "bits"}');
		await mkdir(path.join(directory, 'xdg', 'fwtop'), {recursive: true});
		await writeFile(path.join(directory, 'xdg', 'fwtop', 'config.json'), '{"interval": 2}');
		assert.deepEqual(await loadConfig(place({env: {XDG_CONFIG_HOME: path.join(directory, 'xdg')}}), system), {interval: 2, units: 'bits'});
		assert.deepEqual(await loadConfig(place({home: path.join(directory, 'nobody')}), path.join(directory, 'none.json')), {});
	});

	test('flags given on the command line win over the config', () => {
		const given = givenFlags(['--interval', '0.5', '--no-color', 'probe', '--', 'curl', '--strategy']);
		assert.deepEqual([...given].sort(), ['color', 'interval']);
		const flags = applyConfig(rawFlags({interval: 0.5, color: false}), {interval: 3, color: true, units: 'bits', strategy: 'list'}, given);
		assert.deepEqual([flags.interval, flags.color, flags.bits, flags.strategy], [0.5, false, true, 'list']);
	});

	test('hiddenChains: CHAIN, TABLE/CHAIN and a trailing *', () => {
		const sample = rateSample(null, sampleFromSave(dockerNat(1), 1000)).rated;
		const names = (patterns: string[]) => hideChains(sample, patterns).tables.flatMap(table => table.chains.map(chain => chain.name));
		assert.deepEqual(names([]), ['PREROUTING', 'POSTROUTING', 'DOCKER']);
		assert.deepEqual(names(['DOCKER']), ['PREROUTING', 'POSTROUTING']);
		assert.deepEqual(names(['filter/DOCKER', 'POST*']), ['PREROUTING', 'DOCKER']);
		assert.deepEqual(names(['nat/D*']), ['PREROUTING', 'POSTROUTING']);
	});

	test('end to end: a bad config is one line and exit 2; hiddenChains applies to --json', {skip: existsSync(cliPath) ? false : 'dist/ is missing'}, async () => {
		const xdg = path.join(directory, 'e2e');
		await mkdir(path.join(xdg, 'fwtop'), {recursive: true});
		const file = path.join(xdg, 'fwtop', 'config.json');
		const env = {XDG_CONFIG_HOME: xdg, SUDO_UID: ''};
		await writeFile(file, '{"interval": 0}');
		const bad = await execa(process.execPath, [cliPath, '--replay', demoRecording, '--json', '--count', '1'], {reject: false, env});
		assert.equal(bad.exitCode, 2);
		assert.equal(bad.stderr, `fwtop: config ${file}: "interval" must be a number of seconds from 0.1 to 3600 (got 0)`);
		await writeFile(file, '{"hiddenChains": ["DOCKER*"]}');
		const good = await execa(process.execPath, [cliPath, '--replay', demoRecording, '--json', '--count', '1', '--speed', '100'], {reject: false, env});
		assert.equal(good.exitCode, 0, good.stderr);
		const chains = (JSON.parse(good.stdout) as {tables: Array<{chains: Array<{name: string}>}>}).tables.flatMap(table => table.chains.map(chain => chain.name));
		assert.ok(chains.includes('FORWARD'));
		assert.deepEqual(chains.filter(name => name.startsWith('DOCKER')), []);
	});
});
