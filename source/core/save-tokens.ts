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

/** The value of the word `text[start, end)`: as printed unless quoted. Built from slices, not one
 * character at a time: `+=` per character leaves a chain of concatenated strings behind each word,
 * which a rule keeps for as long as it exists. */
function unquote(text: string, start: number, end: number): string {
	const raw = text.slice(start, end);
	if (!raw.includes('"')) return raw;
	const parts: string[] = [];
	let open = false;
	let from = start;
	for (let i = start; i < end; i++) {
		const char = text.charCodeAt(i);
		if (open && char === 92 /* \ */ && i + 1 < end) {
			parts.push(text.slice(from, i));
			from = ++i;
		} else if (char === 34 /* " */) {
			parts.push(text.slice(from, i));
			from = i + 1;
			open = !open;
		}
	}

	parts.push(text.slice(from, end));
	return parts.join('');
}

/** Splits rule text into words, unquoting and unescaping quoted ones. */
export function splitSaveWords(text: string): SaveWord[] {
	const words: SaveWord[] = [];
	let i = 0;
	const {length} = text;
	while (i < length) {
		while (i < length && text.charCodeAt(i) === 32) i++;
		if (i >= length) break;
		const start = i;
		let open = false;
		for (; i < length; i++) {
			const char = text.charCodeAt(i);
			if (open && char === 92 /* \ */ && i + 1 < length) i++;
			else if (char === 34 /* " */) open = !open;
			else if (char === 32 && !open) break;
		}

		words.push({value: unquote(text, start, i), raw: text.slice(start, i)});
	}

	return words;
}
