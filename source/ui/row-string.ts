import {ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, type StyledChar, type tokenize} from '@alcalzone/ansi-tokenize';

// ansi-tokenize's styledCharsToString (what Ink's output stage and row-output.ts serialise a row
// with) works out, for every character, the codes that lead from the last character's styles to
// its own: three Sets and four arrays a character, 10,000 characters on a 200×50 screen. Nearly
// every character is styled as the one before it, and then that diff is empty (each of its codes
// is overwritten by or already in the other). Here such a character adds no codes without working
// the diff out; any other gets the library's own diff. The dashboard's first frame at 1,000 rules
// (bench/startup.ts' namespace, 200×50) took 460 → 346 ms of CPU to draw (medians of 7 on the
// loaded 2-core machine); in a CPU profile styledCharsToString was 150–200 ms of it, this 17–40.
// test/ui/row-string.test.ts holds it to styledCharsToString.

type Styles = StyledChar['styles'];

function sameStyles(from: Styles, to: Styles): boolean {
	if (from === to) return true;
	if (from.length !== to.length) return false;
	for (let index = 0; index < from.length; index++) {
		if (from[index]!.code !== to[index]!.code || from[index]!.endCode !== to[index]!.endCode) return false;
	}

	return true;
}

/** The codes written before a character styled `next`, after one styled `last` (undefined: the
 * first character): none when the styles are the same, else the library's own diff. */
function leadInto(last: Styles | undefined, next: Styles): string {
	if (last === undefined) return ansiCodesToString(next);
	return sameStyles(last, next) ? '' : ansiCodesToString(diffAnsiCodes(last, next));
}

/** The codes that close the styles of the last character written. */
const closing = (last: Styles | undefined): string => (last === undefined ? '' : ansiCodesToString(diffAnsiCodes(last, [])));

/** styledCharsToString(chars), with a run of equally styled characters written as it is. */
export function rowString(chars: readonly StyledChar[]): string {
	let last: Styles | undefined;
	let text = '';
	for (const char of chars) {
		text += leadInto(last, char.styles) + char.value;
		last = char.styles;
	}

	return text + closing(last);
}

type Token = ReturnType<typeof tokenize>[number];

/** rowString(styledCharsFromTokens(tokens)) without a styled character per character: the styles
 * change only at a code, so a line that is a row's only write (row-output.ts) is serialised from
 * its tokens as they come, each run of characters after the codes that lead into it. */
export function lineString(tokens: readonly Token[]): string {
	let codes: Styles = [];
	let last: Styles | undefined;
	let text = '';
	for (const token of tokens) {
		if (token.type === 'ansi') codes = reduceAnsiCodesIncremental(codes, [token]);
		else if (token.type === 'char') {
			text += leadInto(last, codes) + token.value;
			last = codes;
		}
	}

	return text + closing(last);
}
