// dist/fwtop-linux-<arch>: one file that runs on a Linux server with no Node installed: a copy of
// this node binary with fwtop injected as a single executable application (node --experimental-
// sea-config + postject). Built for the architecture of the node that runs this script (x64 here;
// arm64 needs an arm64 node, e.g. on an arm64 machine).
//   npm run build:standalone              → dist/fwtop-linux-x64
//   node scripts/build-standalone.mjs FILE  → FILE (the tests build into a temporary directory)
import {execFileSync} from 'node:child_process';
import {chmod, copyFile, mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {sharedOptions, version} from './esbuild-options.mjs';

const output = path.resolve(process.argv[2] ?? `dist/fwtop-linux-${process.arch}`);
process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const work = await mkdtemp(path.join(os.tmpdir(), 'fwtop-standalone-'));
await mkdir(path.dirname(output), {recursive: true});

// Ink imports react-devtools-core only when DEV is set; unsplit, that import would be static.
await writeFile(`${work}/devtools-stub.mjs`, 'export default {initialize() {}, connectToDevTools() {}};\n');
// One ES module, the UI included (no chunks: the executable carries a single file).
await build({
	...sharedOptions,
	outfile: `${work}/cli.mjs`,
	alias: {'react-devtools-core': `${work}/devtools-stub.mjs`},
});

await writeFile(`${work}/sea-config.json`, JSON.stringify({
	main: 'scripts/sea-entry.cjs',
	output: `${work}/sea-prep.blob`,
	disableExperimentalSEAWarning: true,
	assets: {'cli.mjs': `${work}/cli.mjs`, 'demo-recording.ndjson.gz': 'assets/demo-recording.ndjson.gz'},
}));
execFileSync(process.execPath, ['--experimental-sea-config', `${work}/sea-config.json`], {stdio: 'inherit'});
await rm(output, {force: true});
await copyFile(process.execPath, output);
await chmod(output, 0o755);
execFileSync(process.execPath, ['node_modules/postject/dist/cli.js', output, 'NODE_SEA_BLOB', `${work}/sea-prep.blob`,
	'--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], {stdio: ['ignore', 'ignore', 'inherit']});
process.stderr.write(`${output}: fwtop ${version} for linux-${process.arch}\n`);
await rm(work, {recursive: true, force: true});
