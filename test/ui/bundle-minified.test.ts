import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {build} from 'esbuild';
// @ts-expect-error -- a plain .mjs build script without types
import {sharedOptions} from '../../scripts/esbuild-options.mjs';

// The build minifies dependencies file by file (scripts/esbuild-options.mjs,
// minifiedDependenciesPlugin): less JavaScript to compile before the first frame, while fwtop's
// own code stays as written for --debug stack traces, and the dependencies' licence comments stay.

async function dashboardBundle(): Promise<string> {
	const result = await build({
		...(sharedOptions as object), entryPoints: ['source/ui/run.tsx'], write: false, outdir: 'unused', logLevel: 'silent', external: ['react-devtools-core'],
	});
	return result.outputFiles.map(file => file.text).join('\n');
}

describe('the dashboard bundle', () => {
	it('minifies React and Ink, keeps their licence comments, and leaves fwtop\'s own functions named', async () => {
		const text = await dashboardBundle();
		// A name local to react-reconciler's factory: 31 times in the unminified bundle.
		assert.ok(!text.includes('workInProgressRootRenderLanes'), 'react-reconciler is minified');
		assert.match(text, /@license React/);
		for (const name of ['takeTerminal', 'rowString', 'lineString']) assert.match(text, new RegExp(`function ${name}\\(`), name);
		// 1,156 kB unminified (Ink, React, yoga and the UI in one file), 824 kB with the dependencies minified.
		assert.ok(text.length < 950_000, `${text.length} characters`);
	});
});
