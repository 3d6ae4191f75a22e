import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {build} from 'esbuild';
import stringWidth from 'string-width';
import measuredWidth, {glyphLineWidth} from '../../source/ui/measured-width.ts';
import {seededRandom} from '../helpers/random.ts';
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

	it('adds up lines of ASCII and fwtop\'s glyphs as string-width measures them, and leaves any other line to it', () => {
		const glyphs = [...'–—−›·…↳→←↑↓↔↺↩Δ▁▂▃▄▅▆▇█■×≤≥␛²§'];
		const ascii = Array.from({length: 0x7F - 0x20}, (_, index) => String.fromCharCode(0x20 + index));
		for (const glyph of glyphs) {
			for (const neighbour of [...ascii, ...glyphs]) {
				for (const text of [glyph + neighbour, neighbour + glyph, `\u001B[7m${neighbour}\u001B[2m${glyph}\u001B[22m\u001B[27m`]) {
					assert.equal(glyphLineWidth(text), stringWidth(text), JSON.stringify(text));
				}
			}
		}

		const random = seededRandom(7);
		const pieces = [...glyphs, ...ascii, '\u001B[2m', '\u001B[22m', '\u001B[32m', '\u001B[39m'];
		for (let count = 0; count < 2000; count++) {
			let text = '';
			for (let length = Math.floor(random() * 60); length > 0; length--) text += pieces[Math.floor(random() * pieces.length)];
			assert.equal(measuredWidth(text), stringWidth(text), JSON.stringify(text));
		}

		for (const other of ['表', '🔥', 'e\u0301', '↔\uFE0F', '\u200D', '\u1100\u1161', 'a\tb', 'ä']) {
			assert.equal(glyphLineWidth(`› ${other}`), undefined, JSON.stringify(other));
			assert.equal(measuredWidth(`› ${other}`), stringWidth(`› ${other}`), JSON.stringify(other));
		}
	});

	it('is what the bundle gives Ink\'s renderer, its text measuring and wrapping, and widest-line (scripts/esbuild-options.mjs)', async () => {
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
		for (const file of [/node_modules\/ink\/build\/dom\.js$/, /node_modules\/ink\/build\/render-node-to-output\.js$/]) {
			assert.ok(imports(file).some(path => path.endsWith('source/ui/ink-wrap-text.ts')), `${String(file)} → ink-wrap-text.ts`);
		}

		assert.ok(imports(/node_modules\/ink\/build\/dom\.js$/).some(path => path.endsWith('source/ui/ink-measure-text.ts')), 'dom.js → ink-measure-text.ts');
		for (const own of ['measure-text.js', 'wrap-text.js']) {
			assert.ok(!Object.keys(result.metafile.inputs).some(name => name.endsWith(`node_modules/ink/build/${own}`)), `Ink's own ${own} (a memory that never forgets) is not in the bundle`);
		}
	});
});
