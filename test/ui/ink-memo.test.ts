import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {build} from 'esbuild';
import stringWidth from 'string-width';
import measuredWidth from '../../source/ui/measured-width.ts';
// @ts-expect-error -- a plain .mjs build script without types
import {sharedOptions} from '../../scripts/esbuild-options.mjs';

// The build hands Ink's renderer an output stage that remembers rows (row-output.test.ts holds it
// to Ink's), and Ink's text layout a memoised string-width (the files say why: at 1,000 rules a
// key's frame went from 43 to 12 and then 5 ms of CPU). The width must be string-width's, and
// both must really be what the bundle uses.

const lines = [
	'› 1   2.1k  142 kB  380/s 26.3 kB/s accept all  *  0.0.0.0/0  ct state established,related ▁▂▃█',
	'\u001B[2m  2      –       – \u001B[22m\u001B[32mDNAT\u001B[39m tcp  !docker0  0.0.0.0/0  dpt:80 to:172.17.0.2:80',
	'plain ascii line',
	'wide: 表 and emoji 🔥 and ↳ "docker0" → filter-forward-in__docker0',
	'',
];

describe('Ink\'s memoised measurements', () => {
	it('measures every line as string-width does, and again from memory', () => {
		for (const line of lines) {
			assert.equal(measuredWidth(line), stringWidth(line), line);
			assert.equal(measuredWidth(line), stringWidth(line), `${line} (remembered)`);
		}

		assert.equal(measuredWidth('表', {ambiguousIsNarrow: false}), stringWidth('表', {ambiguousIsNarrow: false}));
	});

	it('is what the bundle gives Ink\'s renderer and widest-line (scripts/esbuild-options.mjs)', async () => {
		const result = await build({
			...(sharedOptions as object), entryPoints: ['source/ui/run.tsx'], write: false, metafile: true, outdir: 'unused', logLevel: 'silent', external: ['react-devtools-core'],
		});
		const imports = (file: RegExp): string[] => Object.entries(result.metafile.inputs)
			.filter(([name]) => file.test(name))
			.flatMap(([, input]) => input.imports.map(entry => entry.path));
		assert.ok(imports(/node_modules\/ink\/build\/renderer\.js$/).some(path => path.endsWith('source/ui/row-output.ts')), 'renderer.js → row-output.ts');
		assert.ok(!Object.keys(result.metafile.inputs).some(name => name.endsWith('node_modules/ink/build/output.js')), 'Ink\'s own output.js is not in the bundle');
		assert.ok(imports(/source\/ui\/row-output\.ts$/).some(path => path.endsWith('source/ui/measured-width.ts')), 'row-output.ts → measured-width.ts');
		assert.ok(imports(/node_modules\/ink\/build\/render-node-to-output\.js$/).length > 0, 'Ink\'s own text layout is still in the bundle');
		assert.ok(imports(/node_modules\/widest-line\/index\.js$/).some(path => path.endsWith('source/ui/measured-width.ts')), 'widest-line → measured-width.ts');
	});
});
