// Bundles cli.tsx and everything it imports into dist/cli.js, so start-up reads one file.
// Ink, React and the UI are split into a lazily imported chunk: `--json` never loads them.
import {build} from 'esbuild';
import {execFileSync} from 'node:child_process';
import {chmod, copyFile, rm} from 'node:fs/promises';
import {sharedOptions} from './esbuild-options.mjs';

await rm('dist', {recursive: true, force: true});
await build({
	...sharedOptions,
	outdir: 'dist',
	splitting: true,
	packages: 'bundle',
	chunkNames: 'chunks/[name]-[hash]',
	external: ['react-devtools-core'],
});
await chmod('dist/cli.js', 0o755);
// `--demo` without root replays this recording of the lab (source/cli/sources.ts finds it beside cli.js).
await copyFile('assets/demo-recording.ndjson.gz', 'dist/demo-recording.ndjson.gz');
// The man page and shell completions, from the same data as --help (package.json "man" installs the page).
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/man.ts', 'dist'], {stdio: 'inherit'});
