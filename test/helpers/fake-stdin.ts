import {EventEmitter} from 'node:events';

/** A keyboard for Ink without a terminal: `write` hands Ink the keys as a readable TTY would
 * (test/ui/render.ts for the frame tests, bench/frames.ts for the frame benchmark). */
export class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string): void => {
		this.data = data;
		this.emit('readable');
	};

	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}
