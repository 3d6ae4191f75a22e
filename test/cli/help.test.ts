// --help, the man page and the completions come from one list (help-text.ts), which must cover
// exactly the flags meow accepts (flag-spec.ts); the README's flag table too.
import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';
import {describe, test} from 'node:test';
import {completionScript, SHELLS} from '../../source/cli/completion.ts';
import {FLAGS} from '../../source/cli/flag-spec.ts';
import {FLAG_DOCS, flagLabel, helpText, wrap} from '../../source/cli/help-text.ts';
import {manPage, roff} from '../../source/cli/man.ts';

const kebab = (name: string) => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
const spec = Object.entries(FLAGS) as Array<[string, {type: string; shortFlag?: string; default?: unknown}]>;

describe('flag documentation', () => {
	test('every flag of meow\'s spec is documented once, and nothing else is (but --help and --version)', () => {
		assert.deepEqual(FLAG_DOCS.map(doc => doc.name).sort(), [...spec.map(([name]) => name), 'help', 'version'].sort());
		for (const [name, flag] of spec) {
			const doc = FLAG_DOCS.find(item => item.name === name)!;
			assert.equal(doc.long, flag.default === true ? `--no-${kebab(name)}` : `--${kebab(name)}`, name);
			assert.equal(doc.short, flag.shortFlag, `${name}: short flag`);
			assert.equal(doc.value === undefined, flag.type === 'boolean', `${name}: a value exactly when it is not a switch`);
			assert.notEqual(doc.description, '');
			assert.match(doc.example, /fwtop/, `${name}: an example`);
		}
	});

	const help = helpText();
	const man = manPage({version: '1.2.3', date: '2026-11-24'});
	for (const doc of FLAG_DOCS) {
		test(`${doc.long}: in --help with its default and example, in the man page, in every completion`, () => {
			assert.ok(help.includes(flagLabel(doc)), 'help');
			assert.ok(help.includes(`e.g. ${doc.example}`), 'help example');
			assert.ok(help.replaceAll(/\n\s+/g, ' ').includes(`(default: ${doc.default})`), 'help default');
			assert.ok(man.includes(`\\fB${roff(doc.long)}\\fR`), 'man');
			assert.ok(man.includes(`Default: ${roff(doc.default)}.`), 'man default');
			for (const shell of SHELLS) {
				const script = completionScript(shell);
				assert.ok(shell === 'fish' ? script.includes(`-l ${doc.long.slice(2)}`) : script.includes(doc.long), shell);
			}
		});
	}

	test('the README flag table lists every flag', async () => {
		const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
		const missing = FLAG_DOCS.filter(doc => !['help', 'version'].includes(doc.name) && !readme.includes(`\`${doc.long}`));
		assert.deepEqual(missing.map(doc => doc.long), []);
	});

	test('help lines stay within 100 columns; the man page is plain ASCII roff', () => {
		assert.deepEqual(help.split('\n').filter(line => line.length > 100 && !line.startsWith('  $ ') && !line.startsWith('Defaults')), []);
		assert.deepEqual(wrap('a bb ccc dddd', 6), ['a bb', 'ccc', 'dddd']);
		assert.match(man, /^\.TH FWTOP 1 "2026-11-24" "fwtop 1\.2\.3"/);
		assert.equal(/[^\x00-\x7F]/.test(man), false);
	});
});
