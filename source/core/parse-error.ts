// The one error type every parser throws, so the CLI can print a single line and exit 1
// instead of a stack trace.

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

/** Up to 60 characters of `text` with control characters replaced, so that an error message
 * stays one line and cannot move the terminal's cursor (a comment may hold anything but NUL). */
export function excerpt(text: string): string {
	const short = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
	return short.replaceAll(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, '?');
}

/** `line 12: <problem>: '<excerpt of the line>'`. */
export function parseErrorAt(line: number, problem: string, text: string): ParseError {
	return new ParseError(`line ${line}: ${problem}: '${excerpt(text)}'`, line);
}
