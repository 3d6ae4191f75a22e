// Tokenising `iptables-save` rule text.
// xtables_save_string() double-quotes any value with characters outside [A-Za-z0-9_-] and
// backslash-escapes `"`, `\` and `'` inside the quotes (libxtables/xtables.c, unchanged from
// v1.4.21 to v1.8.13; see ../shared/reference/iptables-formats.md §8). A comment may contain a raw
// newline, which iptables-save prints as is: the quotes stay open across the line break.

/** True when `text` ends inside an open double-quoted string. */
export function endsInsideQuotes(text: string): boolean {
	let open = false;
	for (let i = 0; i < text.length; i++) {
		const char = text.charCodeAt(i);
		if (char === 92 /* \ */ && open) {
			i++;
		} else if (char === 34 /* " */) {
			open = !open;
		}
	}

	return open;
}

export type SaveWord = {
	/** The word unquoted and unescaped. */
	value: string;
	/** The word exactly as printed (quotes and escapes kept). */
	raw: string;
};

/** Splits rule text into words, unquoting and unescaping quoted ones. */
export function splitSaveWords(text: string): SaveWord[] {
	const words: SaveWord[] = [];
	let i = 0;
	const {length} = text;
	while (i < length) {
		while (i < length && text.charCodeAt(i) === 32) i++;
		if (i >= length) break;
		const start = i;
		let value = '';
		let open = false;
		while (i < length) {
			const char = text[i]!;
			if (open && char === '\\' && i + 1 < length) {
				value += text[i + 1];
				i += 2;
				continue;
			}

			if (char === '"') {
				open = !open;
			} else if (char === ' ' && !open) {
				break;
			} else {
				value += char;
			}

			i++;
		}

		words.push({value, raw: text.slice(start, i)});
	}

	return words;
}
