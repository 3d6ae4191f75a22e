// Bundles cli.tsx and everything it imports into dist/cli.js, so start-up reads one file.
// Ink, React and the UI are split into a lazily imported chunk: `--json` never loads them.
import {build} from 'esbuild';
import {chmod, rm} from 'node:fs/promises';

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
	define: {'process.env.NODE_ENV': '"production"'},
	logLevel: 'warning',
	external: ['react-devtools-core'],
});
await chmod('dist/cli.js', 0o755);
