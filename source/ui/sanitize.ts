// Rule comments, interface names, chain names and options come from whoever wrote the firewall
// (a container's labels, a script, an attacker who got a comment into a rule). Before any of it
// reaches the terminal, escape sequences are cut out whole and every other C0/C1 control character
// becomes a visible escape, so `\x1b[2J` in a comment can neither clear the screen nor leave a
// stray `[2J` that looks like part of the rule.

// ESC [ … final byte (CSI), ESC ] … BEL or ESC \ (OSC), ESC P/X/^/_ … ESC \ (DCS, SOS, PM, APC),
// then any other two-byte ESC sequence; the 8-bit forms \x9b (CSI) and \x9d (OSC) likewise.
const escapeSequences =
	/\u001B\[[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]?|\u009B[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]?|(?:\u001B\]|\u009D)[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)?|\u001B[PX^_][^\u001B\u009C]*(?:\u001B\\|\u009C)?|\u001B[\u0020-\u007E]/g;
const controls = /[\u0000-\u001F\u007F-\u009F]/g;

const names: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'};

/** Text safe to print: escape sequences shown as `␛`, other control characters as `\n`, `\x07`… */
export function sanitize(text: string): string {
	if (!/[\u0000-\u001F\u007F-\u009F]/.test(text)) return text;
	return text
		.replaceAll(escapeSequences, '␛')
		.replaceAll(controls, character => names[character] ?? '\\x' + character.charCodeAt(0).toString(16).padStart(2, '0'));
}
