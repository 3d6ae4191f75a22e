// The esbuild options dist/cli.js (scripts/build.mjs) and the standalone executable's one-file
// bundle (scripts/build-standalone.mjs) share: one ES module for Node 20 with fwtop's version
// compiled in. Each build adds where it writes and how it splits.
import {transform} from 'esbuild';
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {meowLeanPlugin} from './meow-lean.mjs';

const {version} = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

export {version};

const measuredWidth = fileURLToPath(new URL('../source/ui/measured-width.ts', import.meta.url));
const rowOutput = fileURLToPath(new URL('../source/ui/row-output.ts', import.meta.url));
const inkText = {
	'./measure-text.js': fileURLToPath(new URL('../source/ui/ink-measure-text.ts', import.meta.url)),
	'./wrap-text.js': fileURLToPath(new URL('../source/ui/ink-wrap-text.ts', import.meta.url)),
};
const inkBuild = /[/\\]node_modules[/\\]ink[/\\]build[/\\][^/\\]+\.js$/;
const inkOrWidestLine = /[/\\]node_modules[/\\](?:ink|widest-line)[/\\]/;

/** Ink's renderer gets source/ui/row-output.ts as its output stage (the same screen, each row
 * remembered); Ink's files get source/ui/ink-measure-text.ts and ink-wrap-text.ts, whose memories
 * forget (Ink's own keep every text they ever saw), and, with widest-line, the memoised
 * string-width of source/ui/measured-width.ts (each file says why); everything else, and those
 * files themselves, the real ones. */
export const measuredWidthPlugin = {
	name: 'measured-width',
	setup(build) {
		build.onResolve({filter: /^\.\/output\.js$/}, ({importer}) => (/[/\\]node_modules[/\\]ink[/\\]build[/\\]renderer\.js$/.test(importer) ? {path: rowOutput} : undefined));
		build.onResolve({filter: /^\.\/(?:measure|wrap)-text\.js$/}, ({path, importer}) => (inkBuild.test(importer) ? {path: inkText[path]} : undefined));
		build.onResolve({filter: /^string-width$/}, ({importer}) => (inkOrWidestLine.test(importer) ? {path: measuredWidth} : undefined));
	},
};

/** Dependencies are minified file by file before they are bundled: 1 MB of JavaScript to read and
 * compile at start-up becomes 0.7 MB (Ink's chunk 846 → 578 kB), about 30 ms less to the first
 * frame on the 2-core VM (median of 15 interleaved starts each, 593 → 563 ms). fwtop's own files
 * are left as they are, so that a `--debug` stack trace names its functions and lines as written.
 * A transform without a format keeps each file's top-level names and module syntax; licence
 * comments are kept. */
export const minifiedDependenciesPlugin = {
	name: 'minified-dependencies',
	setup(build) {
		build.onLoad({filter: /[/\\]node_modules[/\\].*\.[cm]?js$/}, async ({path}) => {
			const {code} = await transform(await readFile(path, 'utf8'), {minify: true, loader: 'js', target: 'node20', sourcefile: path});
			return {contents: code, loader: 'js'};
		});
	},
};

export const sharedOptions = {
	entryPoints: ['cli.tsx'],
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	// Bundled CommonJS dependencies call require(); an ES module has none of its own.
	banner: {js: "import {createRequire as __fwtopCreateRequire} from 'node:module'; const require = __fwtopCreateRequire(import.meta.url);"},
	define: {'process.env.NODE_ENV': '"production"', FWTOP_VERSION: JSON.stringify(version)},
	logLevel: 'warning',
	// meowLeanPlugin: meow without the package.json code it runs at every start (the file says why).
	// minifiedDependenciesPlugin last: meow's file is meowLeanPlugin's to load.
	plugins: [measuredWidthPlugin, meowLeanPlugin, minifiedDependenciesPlugin],
};
