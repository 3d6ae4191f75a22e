// The stdout Ink writes to. Ink 6.8.0's incremental writer is off by one row: ink.js appends '\n'
// to each frame, and log-update.js createIncremental then moves up `previousVisible - 1` lines,
// one too few, so every frame lands a row lower and the screen scrolls (seen in tmux at 100x30;
// 6.8.0 is the last Ink 6). So Ink runs with its standard writer (erase the frame, write it again)
// into this stream, which keeps the last frame and sends the terminal only the lines that changed,
// each addressed absolutely on the alternate screen. A steady screen costs one line a second (the
// sample's age); a resize repaints everything.

/** Ink's erase sequences in front of a frame (eraseLines, clearTerminal). */
const ERASE = /^(?:\u001B\[(?:2K|\d*A|G|2J|3J|H))+/;
const ERASE_ONLY = /^(?:\u001B\[(?:2K|\d*A|G|2J|3J|H))+$/;
const CLEAR = '\u001B[2J';

export type ScreenWriter = {
	/** Give this to Ink as `stdout`. */
	stream: NodeJS.WriteStream;
	/** Draws a frame given as lines (one string per line, styles included), as if Ink had. */
	draw(next: readonly string[]): void;
	/** Clears the screen and draws the last frame again (after a resize). */
	repaint(): void;
	/** Bytes sent to the terminal and frames drawn so far. */
	stats(): {bytes: number; frames: number};
};

export function lineUpdates(previous: readonly string[], next: readonly string[]): string {
	let out = '';
	const rows = Math.max(previous.length, next.length);
	for (let row = 0; row < rows; row++) {
		const line = next[row];
		if (line === previous[row]) continue;
		out += `\u001B[${row + 1};1H${line ?? ''}\u001B[K`;
	}

	return out;
}

export function createScreenWriter(target: NodeJS.WriteStream): ScreenWriter {
	let lines: string[] = [];
	let bytes = 0;
	let frames = 0;
	const send = (text: string): boolean => {
		bytes += Buffer.byteLength(text);
		return target.write(text);
	};

	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		const callback = rest.find((argument): argument is () => void => typeof argument === 'function');
		const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
		let result = true;
		if (text.endsWith('\n')) {
			const next = text.replace(ERASE, '').slice(0, -1).split('\n');
			const update = lineUpdates(lines, next);
			lines = next;
			frames++;
			if (update !== '') result = send(update);
		} else if (text !== '' && !ERASE_ONLY.test(text)) {
			// Cursor show/hide, synchronized-output brackets: as they are.
			result = send(text);
		}

		if (callback) queueMicrotask(callback);
		return result;
	};

	const stream = new Proxy(target, {
		get(object, property) {
			if (property === 'write') return write;
			const value: unknown = Reflect.get(object, property, object);
			return typeof value === 'function' ? (value as (...parameters: unknown[]) => unknown).bind(object) : value;
		},
	});
	return {
		stream,
		draw(next) {
			const update = lineUpdates(lines, next);
			lines = [...next];
			frames++;
			if (update !== '') send(update);
		},
		repaint() {
			send(CLEAR + lineUpdates([], lines));
		},
		stats: () => ({bytes, frames}),
	};
}
