// The esbuild options dist/cli.js (scripts/build.mjs) and the standalone executable's one-file
// bundle (scripts/build-standalone.mjs) share: one ES module for Node 20 with fwtop's version
// compiled in. Each build adds where it writes and how it splits.
import {readFile} from 'node:fs/promises';
import {fileURLToPath} from 'node:url';
import {meowLeanPlugin} from './meow-lean.mjs';

const {version} = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

export {version};

const measuredWidth = fileURLToPath(new URL('../source/ui/measured-width.ts', import.meta.url));
const rowOutput = fileURLToPath(new URL('../source/ui/row-output.ts', import.meta.url));
const inkOrWidestLine = /[/\\]node_modules[/\\](?:ink|widest-line)[/\\]/;

/** Ink's renderer gets source/ui/row-output.ts as its output stage (the same screen, each row
 * remembered), and Ink's other files and widest-line the memoised string-width of
 * source/ui/measured-width.ts (each file says why); everything else, and those files themselves,
 * the real ones. */
export const measuredWidthPlugin = {
	name: 'measured-width',
	setup(build) {
		build.onResolve({filter: /^\.\/output\.js$/}, ({importer}) => (/[/\\]node_modules[/\\]ink[/\\]build[/\\]renderer\.js$/.test(importer) ? {path: rowOutput} : undefined));
		build.onResolve({filter: /^string-width$/}, ({importer}) => (inkOrWidestLine.test(importer) ? {path: measuredWidth} : undefined));
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
	plugins: [measuredWidthPlugin, meowLeanPlugin],
};
