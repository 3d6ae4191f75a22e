// Bundles cli.tsx and everything it imports into dist/cli.js, so start-up reads one file.
// Ink, React and the UI are split into a lazily imported chunk: `--json` never loads them.
import {build} from 'esbuild';
import {execFileSync} from 'node:child_process';
import {chmod, copyFile, readFile, rm} from 'node:fs/promises';

const {version} = JSON.parse(await readFile('package.json', 'utf8'));

await rm('dist', {recursive: true, force: true});
await build({
	entryPoints: ['cli.tsx'],
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	packages: 'bundle',
	chunkNames: 'chunks/[name]-[hash]',
	banner: {js: "import {createRequire as __fwtopCreateRequire} from 'node:module'; const require = __fwtopCreateRequire(import.meta.url);"},
	define: {'process.env.NODE_ENV': '"production"', FWTOP_VERSION: JSON.stringify(version)},
	logLevel: 'warning',
	external: ['react-devtools-core'],
});
await chmod('dist/cli.js', 0o755);
// `--demo` without root replays this recording of the lab (source/cli/sources.ts finds it beside cli.js).
await copyFile('assets/demo-recording.ndjson.gz', 'dist/demo-recording.ndjson.gz');
// The man page and shell completions, from the same data as --help (package.json "man" installs the page).
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/man.ts', 'dist'], {stdio: 'inherit'});
