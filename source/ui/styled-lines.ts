import {type StyledChar, styledCharsFromTokens as fromTokens, styledCharsToString, tokenize as tokenizeLine} from '@alcalzone/ansi-tokenize';
import {boundedMemo} from './bounded-memo.ts';

// Ink's output stage turns every line of every frame into styled characters (output.js:
// `styledCharsFromTokens(tokenize(line))`), with a cache that lives for one frame only. Between
// two frames nearly every line is the same string, so the build (scripts/esbuild-options.mjs)
// gives Ink's output.js this module instead: a line's tokens and styled characters are made once
// and handed out again. Ink only reads them (it places the characters in its grid and prints
// them), never changes them.

type Token = ReturnType<typeof tokenizeLine>[number];

const charsOf = new WeakMap<Token[], StyledChar[]>();

export const tokenize: (line: string) => Token[] = boundedMemo(4096, line => tokenizeLine(line));

export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
	let chars = charsOf.get(tokens);
	if (chars === undefined) {
		chars = fromTokens(tokens);
		charsOf.set(tokens, chars);
	}

	return chars;
}

export {styledCharsToString};
