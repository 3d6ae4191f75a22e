// The build cuts meow's package.json code out of its bundled dependencies (scripts/meow-lean.mjs
// says why). The cut must still be found in the meow that is installed, the bundle must really
// use it, and the meow left must parse fwtop's command lines exactly as the whole one does.
import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, test} from 'node:test';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import meow from 'meow';
import {FLAGS} from '../../source/cli/flag-spec.ts';
// @ts-expect-error -- a plain .mjs build script without types
import {sharedOptions} from '../../scripts/esbuild-options.mjs';
// @ts-expect-error -- a plain .mjs build script without types
import {CUT_FROM, CUT_TO, leanMeowDependencies, meowLeanPlugin} from '../../scripts/meow-lean.mjs';

const dependencies = path.join(path.dirname(createRequire(import.meta.url).resolve('meow')), 'dependencies.js');
const lean = leanMeowDependencies as (text: string) => string;

describe('meow without its package.json code (scripts/meow-lean.mjs)', async () => {
	const whole = await readFile(dependencies, 'utf8');
	const work = await mkdtemp(path.join(tmpdir(), 'fwtop-meow-lean-'));
	after(async () => rm(work, {recursive: true, force: true}));

	test('the installed meow has the stretch to cut, once; what is left is a quarter of it', () => {
		for (const text of [CUT_FROM, CUT_TO] as string[]) assert.equal(whole.split(text).length, 2, JSON.stringify(text));
		const left = lean(whole);
		assert.ok(left.length < whole.length / 3, `${left.length} of ${whole.length} characters left`);
		for (const gone of ['spdx', 'normalize_1', 'hosted-git-info', 'codeFrameColumns', 'JSONError']) assert.ok(!left.includes(gone), `${gone} is cut`);
		for (const kept of ['const yargsParser = function Parser', 'const normalizePackageData = () => {};', 'const readPackageUpSync = () => undefined;']) assert.ok(left.includes(kept), kept);
	});

	test('a meow laid out differently fails the build instead of being cut wrongly', () => {
		assert.throws(() => lean(whole.replace(CUT_FROM, '')), /meow-lean/);
		assert.throws(() => lean(whole.replace(CUT_TO, '')), /meow-lean/);
		assert.throws(() => lean(whole + CUT_FROM), /meow-lean/);
	});

	test('dist/cli.js is built with it', async () => {
		const result = await build({
			...(sharedOptions as object), write: false, metafile: true, outdir: 'unused', logLevel: 'silent', splitting: true, packages: 'bundle', external: ['react-devtools-core'],
		});
		const input = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('cli.js'))![1].inputs['node_modules/meow/build/dependencies.js'];
		assert.ok(input !== undefined && input.bytesInOutput < 100_000, `meow's dependencies in cli.js: ${input?.bytesInOutput} bytes`);
		assert.ok(!result.outputFiles.some(file => file.text.includes('spdx')), 'no spdx code in any output');
	});

	test('parses fwtop\'s command lines as the whole meow does', async () => {
		await writeFile(path.join(work, 'entry.js'), 'export {default} from \'meow\';\n');
		await build({
			entryPoints: [path.join(work, 'entry.js')], outfile: path.join(work, 'meow.mjs'), bundle: true, format: 'esm', platform: 'node', target: 'node20',
			nodePaths: [path.resolve('node_modules')], logLevel: 'silent', plugins: [meowLeanPlugin],
		});
		const leanMeow = (await import(pathToFileURL(path.join(work, 'meow.mjs')).href) as {default: typeof meow}).default;
		const title = process.title;
		const lines = [
			[], ['--json', '--count', '3', '-4'], ['--no-color', '--table', 'nat,filter', '--interval=0.5'], ['--until', 'nat/DOCKER:dpt:80', '--until-timeout', '2'],
			['probe', '--as-root', 'x', '--bogus', '-6'], ['--input', '-', '--strategy', 'list', '--netns', 'lab'], ['--replay', 'f.ndjson.gz', '--speed', '4', '--debug'],
		];
		for (const argv of lines) {
			const options = {importMeta: import.meta, argv, flags: FLAGS, allowUnknownFlags: true, description: false as const, version: '0.0.0', pkg: {name: 'fwtop'}};
			const expected = meow('help', options);
			const actual = leanMeow('help', options);
			assert.deepEqual({input: actual.input, flags: actual.flags, unnormalized: actual.unnormalizedFlags, help: actual.help}, {input: expected.input, flags: expected.flags, unnormalized: expected.unnormalizedFlags, help: expected.help}, argv.join(' '));
			assert.equal(process.title, 'fwtop');
		}

		process.title = title;
	});
});
