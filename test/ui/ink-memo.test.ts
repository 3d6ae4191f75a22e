import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {styledCharsFromTokens as realChars, styledCharsToString, tokenize as realTokenize} from '@alcalzone/ansi-tokenize';
import {build} from 'esbuild';
import stringWidth from 'string-width';
import measuredWidth from '../../source/ui/measured-width.ts';
import {styledCharsFromTokens, tokenize} from '../../source/ui/styled-lines.ts';
// @ts-expect-error -- a plain .mjs build script without types
import {sharedOptions} from '../../scripts/esbuild-options.mjs';

// The build hands Ink's output stage a memoised string-width and memoised line tokens (the files
// say why: at 1,000 rules a key's frame went from 43 to 12 ms of CPU). They must give what the
// real ones give, hand out the same objects for the same line, and really be what the bundle uses.

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

	it('styles every line as ansi-tokenize does, and hands out the same characters for the same line', () => {
		for (const line of lines) {
			const chars = styledCharsFromTokens(tokenize(line));
			assert.deepEqual(chars, realChars(realTokenize(line)), line);
			assert.equal(styledCharsToString(chars), styledCharsToString(realChars(realTokenize(line))));
			assert.equal(styledCharsFromTokens(tokenize(line)), chars, 'the same array for the same line');
		}
	});

	it('is what the bundle gives Ink\'s output stage and widest-line (scripts/esbuild-options.mjs)', async () => {
		const result = await build({
			...(sharedOptions as object), entryPoints: ['source/ui/run.tsx'], write: false, metafile: true, outdir: 'unused', logLevel: 'silent', external: ['react-devtools-core'],
		});
		const imports = (file: RegExp): string[] => Object.entries(result.metafile.inputs)
			.filter(([name]) => file.test(name))
			.flatMap(([, input]) => input.imports.map(entry => entry.path));
		assert.ok(imports(/node_modules\/ink\/build\/output\.js$/).some(path => path.endsWith('source/ui/styled-lines.ts')), 'output.js → styled-lines.ts');
		assert.ok(imports(/node_modules\/ink\/build\/output\.js$/).some(path => path.endsWith('source/ui/measured-width.ts')), 'output.js → measured-width.ts');
		assert.ok(imports(/node_modules\/widest-line\/index\.js$/).some(path => path.endsWith('source/ui/measured-width.ts')), 'widest-line → measured-width.ts');
	});
});
