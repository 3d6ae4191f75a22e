import {EventEmitter} from 'node:events';
import {render as inkRender} from 'ink';
import type {ReactElement} from 'react';
import {FakeStdin} from '../helpers/fake-stdin.ts';

// ink-testing-library's stdout is always 100 columns; the dashboard must be checked at 80 and 200,
// so this is the same harness with the size as a parameter. Frames are compared with colours
// stripped, and a test waits for the frame it expects after `stdin.write`, never a fixed sleep.

class Stdout extends EventEmitter {
	readonly frames: string[] = [];
	isTTY = true;
	constructor(public columns: number, public rows: number) {
		super();
	}

	write = (frame: string): boolean => {
		this.frames.push(frame);
		this.emit('frame');
		return true;
	};

	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

const ansi = /\u001B\[[\d;?]*[A-Za-z]/g;

export const strip = (text: string): string => text.replaceAll(ansi, '');

export type Rendered = {
	stdin: FakeStdin;
	stdout: Stdout;
	/** The last frame, colours stripped, trailing spaces cut from each line. */
	frame(): string;
	/** The last frame as written, with colours. */
	raw(): string;
	/** Resolves once the frame satisfies `predicate` (checked on every write); fails after `timeoutMs`. */
	waitFor(predicate: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
	/** Writes keys and waits for the frame to change. */
	press(keys: string): Promise<string>;
	unmount(): void;
};

export function renderAt(node: ReactElement, columns: number, rows: number): Rendered {
	const stdout = new Stdout(columns, rows);
	const stdin = new FakeStdin();
	const instance = inkRender(node, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: new Stdout(columns, rows) as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const raw = (): string => stdout.frames.at(-1) ?? '';
	const frame = (): string => strip(raw()).split('\n').map(line => line.trimEnd()).join('\n');
	const waitFor = async (predicate: (frame: string) => boolean, timeoutMs = 3000): Promise<string> => {
		if (predicate(frame())) return frame();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				stdout.off('frame', check);
				reject(new Error(`timed out waiting for the frame; last frame:\n${frame()}`));
			}, timeoutMs);
			function check(): void {
				if (!predicate(frame())) return;
				clearTimeout(timer);
				stdout.off('frame', check);
				resolve(frame());
			}

			stdout.on('frame', check);
		});
	};

	return {
		stdin,
		stdout,
		frame,
		raw,
		waitFor,
		async press(keys) {
			const before = frame();
			stdin.write(keys);
			return waitFor(current => current !== before);
		},
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}
