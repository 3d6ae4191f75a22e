// The one error type every parser throws, so the CLI can print a single line and exit 1
// instead of a stack trace.

import {printable} from './printable.ts';

const EXCERPT_LENGTH = 60;

export class ParseError extends Error {
	/** 1-based line of the input the error is about, when there is one. */
	readonly line?: number;

	constructor(message: string, line?: number) {
		super(message);
		this.name = 'ParseError';
		if (line !== undefined) {
			this.line = line;
		}
	}
}

/** Up to 60 characters of `text` with control characters made visible (`\x1b`), so that an error
 * message stays one line and cannot move the terminal's cursor (a comment may hold anything). */
export function excerpt(text: string): string {
	return printable(text, EXCERPT_LENGTH);
}

/** `line 12: <problem>: '<excerpt of the line>'`. */
export function parseErrorAt(line: number, problem: string, text: string): ParseError {
	return new ParseError(`line ${line}: ${problem}: '${excerpt(text)}'`, line);
}
