import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	type Command, KEYMAP, type KeyFlags, type Scope, commandFor, hints, isText, keyTableMarkdown, keysOf,
} from '../../source/ui/keymap.ts';

const none: KeyFlags = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false,
	home: false, end: false, return: false, escape: false, backspace: false, delete: false, tab: false, ctrl: false,
};

test('every command has a key and a description', () => {
	for (const binding of KEYMAP) {
		assert.ok(binding.keys.length > 0, `${binding.command} has no key`);
		assert.ok(binding.description.trim() !== '', `${binding.command} has no description`);
		assert.ok(binding.description.length <= 23, `${binding.command}: the help has 23 characters per description at 80 columns`);
	}
});

test('no command is bound twice, and no two commands share a key in one scope', () => {
	const commands = KEYMAP.map(binding => binding.command);
	assert.equal(new Set(commands).size, commands.length);
	const scopes: Scope[] = ['list', 'help', 'filter'];
	for (const scope of scopes) {
		const seen = new Map<string, Command>();
		for (const binding of KEYMAP.filter(item => item.scope === scope || item.scope === 'always')) {
			for (const key of binding.keys) {
				assert.ok(!seen.has(key), `${key} is bound to both ${seen.get(key)} and ${binding.command} in ${scope}`);
				seen.set(key, binding.command);
			}
		}
	}
});

test('the keys of the issue are bound', () => {
	const expected: Array<[Command, string[]]> = [
		['up', ['up', 'k']], ['down', ['down', 'j']], ['pageUp', ['pageup']], ['pageDown', ['pagedown']],
		['home', ['home']], ['end', ['end']], ['enter', ['return']], ['back', ['escape', 'backspace', 'h']],
		['cycleTable', ['tab', 't']], ['family4', ['4']], ['family6', ['6']], ['toggleView', ['v']], ['filter', ['/']],
		['cycleSort', ['s']], ['toggleIdle', ['i']], ['pause', ['p', 'space']], ['intervalUp', ['+']], ['intervalDown', ['-']],
		['zero', ['z']], ['bits', ['b']], ['help', ['?']], ['quit', ['q', 'ctrl+c']],
		['mark', ['m']], ['clearMark', ['M']],
	];
	for (const [command, keys] of expected) {
		for (const key of keys) assert.equal(commandFor('list', key), command, `${key} → ${command}`);
	}

	const help: Array<[Command, string[]]> = [['helpUp', ['up', 'k']], ['helpDown', ['down', 'j']], ['helpPageUp', ['pageup']], ['helpPageDown', ['pagedown']]];
	for (const [command, keys] of help) {
		for (const key of keys) assert.equal(commandFor('help', key), command, `help: ${key} → ${command}`);
	}
});

test('keys resolve by scope: in the help, Esc closes it; Ctrl-C quits everywhere', () => {
	assert.equal(commandFor('help', 'escape'), 'closeHelp');
	assert.equal(commandFor('help', 'j'), 'helpDown', 'the movement keys scroll the help');
	assert.equal(commandFor('help', 's'), undefined);
	assert.equal(commandFor('filter', 'return'), 'filterApply');
	assert.equal(commandFor('filter', 'ctrl+c'), 'quit');
	assert.equal(commandFor('help', 'ctrl+c'), 'quit');
});

test('an input string of several printable keys is one key per character', () => {
	assert.deepEqual(keysOf('jjj', none), ['j', 'j', 'j']);
	assert.deepEqual(keysOf('j k', none), ['j', 'space', 'k']);
	assert.deepEqual(keysOf('jj\r', none), ['j', 'j', 'return'], 'control characters inside a string are keys too');
	assert.deepEqual(keysOf('a\u007F\u0003', none), ['a', 'backspace', 'ctrl+c']);
	assert.deepEqual(keysOf('', {...none, downArrow: true}), ['down']);
	assert.deepEqual(keysOf('c', {...none, ctrl: true}), ['ctrl+c']);
	// Ink 6 reports the Backspace key (0x7f) as `delete`.
	assert.deepEqual(keysOf('', {...none, delete: true}), ['backspace']);
	assert.deepEqual(keysOf('', {...none, escape: true}), ['escape']);
	assert.ok(isText('q') && isText('space') && !isText('escape') && !isText('ctrl+c'));
});

test('footer hints and the README table come from the keymap', () => {
	assert.deepEqual(hints('list').map(item => `${item.keys} ${item.hint}`).slice(0, 3), ['? help', 'q quit', 'Enter open']);
	const table = keyTableMarkdown();
	const lines = table.trimEnd().split('\n');
	assert.equal(lines[0], '| Keys | Action | Where |');
	assert.equal(lines.length, KEYMAP.length + 2);
	assert.ok(lines.includes('| `↑` `k` | move up | dashboard |'));
	assert.ok(lines.includes('| `q` `Ctrl-C` | quit | everywhere |'));
});
