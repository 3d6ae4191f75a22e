// The esbuild options dist/cli.js (scripts/build.mjs) and the standalone executable's one-file
// bundle (scripts/build-standalone.mjs) share: one ES module for Node 20 with fwtop's version
// compiled in. Each build adds where it writes and how it splits.
import {readFile} from 'node:fs/promises';

const {version} = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

export {version};

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
};
