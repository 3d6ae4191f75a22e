// The npm package: `npm pack`, then `npm install -g` of the tarball into an empty prefix, offline
// (the bundle has no runtime dependencies), gives a working `fwtop` with only the shipped files.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/nft_save-c.txt', import.meta.url));
const built = existsSync(path.join(root, 'dist/cli.js'));
let directory = '';
let bin = '';
let installed = '';

/** Every file under `dir`, relative, sorted. */
async function files(dir: string): Promise<string[]> {
	const names = await readdir(dir, {recursive: true, withFileTypes: true});
	return names.filter(entry => entry.isFile()).map(entry => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

describe('npm pack and npm install -g', {skip: built ? false : 'dist/ is missing: run npm run build (npm test does)'}, () => {
	before(async () => {
		directory = await mkdtemp(path.join(os.tmpdir(), 'fwtop-pack-'));
		const pack = await execa('npm', ['pack', '--json', '--pack-destination', directory], {cwd: root});
		const [{filename}] = JSON.parse(pack.stdout) as [{filename: string}];
		const prefix = path.join(directory, 'prefix');
		await execa('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, path.join(directory, filename)], {cwd: directory});
		bin = path.join(prefix, 'bin', 'fwtop');
		installed = path.join(prefix, 'lib', 'node_modules', 'fwtop');
	});
	after(async () => {
		if (directory !== '') await rm(directory, {recursive: true, force: true});
	});

	test('the package holds only the bundle and its docs', async () => {
		const shipped = await files(installed);
		const unexpected = shipped.filter(file => !/^(?:dist\/|README\.md$|LICENSE$|CHANGELOG\.md$|package\.json$)/.test(file));
		assert.deepEqual(unexpected, []);
		for (const file of ['dist/cli.js', 'dist/demo-recording.ndjson.gz', 'dist/fwtop.1', 'dist/completions/fwtop.bash', 'dist/completions/_fwtop', 'dist/completions/fwtop.fish', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
			assert.ok(shipped.includes(file), `${file} is in the package`);
		}

		assert.ok(!shipped.some(file => file.startsWith('node_modules/')), 'no dependencies to install: everything is bundled');
		assert.equal(shipped.filter(file => file.endsWith('.map') || file.endsWith('.ts')).length, 0);
	});

	test('fwtop --version, --help and --input FILE work from the installed bin', async () => {
		const {version} = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {version: string};
		assert.equal((await execa(bin, ['--version'])).stdout, version);
		assert.match((await execa(bin, ['--help'])).stdout, /--replay FILE/);
		const sample = JSON.parse((await execa(bin, ['--input', fixture, '--json'])).stdout) as {seq: number; tables: unknown[]};
		assert.equal(sample.seq, 1);
		assert.ok(sample.tables.length > 0);
	});

	test('the installed man page is where package.json "man" says', async () => {
		const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as {man?: string[]};
		// An array: npm (bin-links) links man pages only from the array form.
		assert.deepEqual(manifest.man, ['./dist/fwtop.1']);
		assert.ok(existsSync(path.join(directory, 'prefix', 'share', 'man', 'man1', 'fwtop.1')), 'npm links it into share/man/man1');
	});
});
