// meow 13 ships its dependencies bundled into one file, node_modules/meow/build/dependencies.js
// (281 KB). Most of it is there to find, read and normalise the caller's package.json:
// normalize-package-data with semver, hosted-git-info, validate-npm-package-license and
// spdx-correct (which sorts every SPDX licence id with localeCompare when it is loaded, starting
// ICU's collator), and read-pkg's error code frames (@babel/code-frame, chalk 2, color-convert,
// which builds its conversion graphs when loaded). It all runs at every start, before the first
// flag is parsed: `fwtop --version` took 290–320 ms of CPU with it and 230–250 without (medians of
// 21 runs each on the 2-core benchmark machine); the dashboard and --json start that much sooner.
//
// fwtop needs none of it: cli.tsx gives meow the version (compiled in) and `pkg` itself. So the
// build cuts that stretch out of the file and puts two stubs in its place; the argument parser
// (yargs-parser), camelcase-keys, decamelize-keys, minimist-options and redent stay meow's own.
// The cut is found by text that begins and ends it, and the build fails if either is not there
// exactly once (a newer meow): test/cli/meow-lean.test.ts checks the cut and that the bundle
// really uses it.

/** The first line of semver, the first package of the stretch (right after redent). */
export const CUT_FROM = 'const debug$1 = (\n';
/** The end of read-pkg-up's readPackageUpSync, the last function of the stretch. */
export const CUT_TO = '\t\tpath: filePath,\n\t};\n}\n';

// meow's index.js calls normalizePackageData(pkg) and options.js readPackageUpSync(); with `pkg`
// given, the package found would be thrown away, so nothing is looked for.
const STUBS = [
	'// Cut by fwtop\'s build (scripts/meow-lean.mjs): cli.tsx gives meow `pkg` and `version`.',
	'const normalizePackageData = () => {};',
	'const readPackageUpSync = () => undefined;',
	'',
].join('\n');

const only = (text, part) => {
	const at = text.indexOf(part);
	return at >= 0 && text.indexOf(part, at + 1) < 0 ? at : -1;
};

/** meow's dependencies.js without the package.json stretch; throws if it cannot find it. */
export function leanMeowDependencies(text) {
	const from = only(text, CUT_FROM);
	const to = only(text, CUT_TO);
	if (from < 0 || to < from) {
		throw new Error('scripts/meow-lean.mjs: meow/build/dependencies.js is not laid out as in meow 13.2 (the package.json code to cut was not found once); check the cut against the new meow');
	}

	return text.slice(0, from) + STUBS + text.slice(to + CUT_TO.length);
}

export const meowLeanPlugin = {
	name: 'meow-lean',
	setup(build) {
		build.onLoad({filter: /[/\\]node_modules[/\\]meow[/\\]build[/\\]dependencies\.js$/}, async ({path}) => {
			const {readFile} = await import('node:fs/promises');
			return {contents: leanMeowDependencies(await readFile(path, 'utf8')), loader: 'js'};
		});
	},
};
