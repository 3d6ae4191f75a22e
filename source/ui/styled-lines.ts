import {type StyledChar, styledCharsFromTokens as fromTokens, styledCharsToString, tokenize as tokenizeLine} from '@alcalzone/ansi-tokenize';

// Ink's output stage turns every line of every frame into styled characters (output.js:
// `styledCharsFromTokens(tokenize(line))`), with a cache that lives for one frame only. Between
// two frames nearly every line is the same string, so the build (scripts/esbuild-options.mjs)
// gives Ink's output.js this module instead: a line's tokens and styled characters are made once
// and handed out again. Ink only reads them (it places the characters in its grid and prints
// them), never changes them. Bounded: cleared when full.

type Token = ReturnType<typeof tokenizeLine>[number];

const LIMIT = 4096;
const tokensOf = new Map<string, Token[]>();
const charsOf = new WeakMap<Token[], StyledChar[]>();

export function tokenize(line: string): Token[] {
	let tokens = tokensOf.get(line);
	if (tokens === undefined) {
		tokens = tokenizeLine(line);
		if (tokensOf.size >= LIMIT) tokensOf.clear();
		tokensOf.set(line, tokens);
	}

	return tokens;
}

export function styledCharsFromTokens(tokens: Token[]): StyledChar[] {
	let chars = charsOf.get(tokens);
	if (chars === undefined) {
		chars = fromTokens(tokens);
		charsOf.set(tokens, chars);
	}

	return chars;
}

export {styledCharsToString};
