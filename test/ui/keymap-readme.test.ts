import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {it} from 'node:test';
import {keyTableMarkdown} from '../../source/ui/keymap.ts';

// The README's key table is generated from the keymap; this fails when someone changes one
// without the other (fix: npm run keys, paste between the markers).
it('the README key table is the keymap', () => {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const table = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme)?.[1];
	assert.ok(table, 'README has the keys:start/keys:end markers');
	assert.equal(table, keyTableMarkdown().trimEnd());
});
